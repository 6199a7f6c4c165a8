/**
 * `sortie run --remote` when the agent running the run was killed and no other agent serves its pool:
 * the client waited in silence until the server ends the run as lost. It says why once the stream
 * has been silent a while, and ends when the run does (agents-lost-agent.test.ts covers the server). The server is a real HTTP server on 127.0.0.1:0.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, listenOnLoopback, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'srt_stranded-run-test-token';
const RUN = { id: 'run-stranded', pool: 'eu', reports: [] as string[] };
let server: ListeningServer;
let work: string;
let recordReads = 0;

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-stranded-'));
  await writeFile(
    join(work, 'one.json'),
    JSON.stringify({ name: 'one', steps: [{ name: 'get', request: { method: 'GET', url: 'http://127.0.0.1:9/' } }] }),
  );
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401).end();
        return;
      }
      const json = (value: unknown, status = 200) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (request.method === 'POST' && request.url === '/api/runs') {
        request.resume();
        request.on('end', () => json({ ...RUN, status: 'queued' }, 201));
        return;
      }
      if (request.method === 'GET' && request.url === `/api/runs/${RUN.id}/events`) {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        response.write(`event: run\ndata: ${JSON.stringify({ ...RUN, status: 'queued' })}\n\n`);
        response.write(`id: 1-0\nevent: attempt-start\ndata: ${JSON.stringify({ kind: 'attempt-start', attempt: 1, agent: 'eu-1' })}\n\n`);
        return; // its agent was killed: nothing more comes
      }
      if (request.method === 'GET' && request.url === `/api/runs/${RUN.id}`) {
        recordReads++;
        // Running until the client has looked once; then the server ended it as lost.
        if (recordReads < 2) json({ ...RUN, status: 'running', agent: 'eu-1' });
        else json({ ...RUN, status: 'error', agent: 'eu-1', message: 'agent lost: the agents running it stopped answering' });
        return;
      }
      if (request.method === 'GET' && request.url === '/api/agents') {
        json({
          agents: [
            { name: 'eu-1', pool: 'eu', state: 'lost' },
            { name: 'us-1', pool: 'us', state: 'live' },
          ],
        });
        return;
      }
      response.writeHead(404).end();
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('sortie run --remote when the agent running it is lost and no agent serves the pool', () => {
  it('says what the run waits for, then ends with the outcome', async () => {
    const outcome = await runSortie(['run', '--remote', server.url, '--token', TOKEN, '--pool', 'eu', 'one.json'], { cwd: work });
    expect(outcome.stderr).toContain(
      "Agent eu-1, which runs it, is lost, and no live agent serves pool eu: the server ends the run as lost once the agent's lock on it expires (--lock-duration), unless one starts first and takes it over (`sortie agent --pool eu`)\n",
    );
    expect(outcome.code, outcome.stderr).toBe(1);
  }, 40_000);
});
