/**
 * `sortie run --remote` says what a queued run waits for. The pool's only agent was killed just
 * before the submission: the server lists it live for 10 s more (its last heartbeat), so a single
 * look at 5 s saw a live, idle agent, said nothing, and the run waited in silence for ever. The
 * client looks again while the run stays queued, until it has something to say. The server here is a
 * real HTTP server on 127.0.0.1:0 speaking the API's routes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ensureBuilt, type ListeningServer, listenOnLoopback } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: ListeningServer;
let work: string;
let agentReads = 0;
const killedAt = Date.now();

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-waiting-'));
  await writeFile(
    join(work, 'one.json'),
    JSON.stringify({ name: 'one', steps: [{ name: 'get', request: { method: 'GET', url: 'http://x/' } }] }),
  );
  const run = { id: 'run-waiting', pool: 'eu', reports: [] as string[], status: 'queued' };
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      request.resume();
      if (request.method === 'POST' && request.url === '/api/runs') {
        request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(run)));
        return;
      }
      if (request.url === `/api/runs/${run.id}/events`) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(`event: run\ndata: ${JSON.stringify(run)}\n\n`);
        return; // queued for ever
      }
      if (request.url === '/api/agents') {
        agentReads++;
        // Killed at `killedAt`: live (idle) until 10 s without a heartbeat, then lost.
        const state = Date.now() - killedAt < 8_000 ? 'live' : 'lost';
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ agents: [{ name: 'eu-1', pool: 'eu', state }] }));
        return;
      }
      if (request.url === `/api/runs/${run.id}`) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(run));
        return;
      }
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"code":"SORTIE_FILE_NOT_FOUND","title":"Not found","message":"no"}}');
    }),
  );
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('--remote while the run waits', () => {
  it('says the pool has no live agent once the one it listed as live is lost', async () => {
    const client = spawn(process.execPath, [CLI, 'run', '--remote', server.url, '--token', 'sortie_x', '--pool', 'eu', 'one.json'], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const said = await new Promise<string>((resolve) => {
      let stderr = '';
      const timer = setTimeout(() => resolve(stderr), 20_000);
      client.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Waiting for an agent')) {
          clearTimeout(timer);
          resolve(stderr);
        }
      });
    });
    client.kill('SIGKILL');
    expect(said).toContain('Waiting for an agent on pool eu: no live agent serves it');
    expect(agentReads).toBeGreaterThanOrEqual(2);
  }, 40_000);
});
