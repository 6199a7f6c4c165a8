/**
 * `sortie run --remote` against a server whose run event stream goes silent (a proxy holding it
 * back, a stalled server): once the run's record says it ended, the client ends with that outcome
 * and its exit code instead of waiting on the stream for ever. The server is a real HTTP server on
 * 127.0.0.1:0 speaking the API's routes, checking the token, the upload and the stream's headers.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, listenOnLoopback, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'srt_silent-stream-test-token';
let server: ListeningServer;
let work: string;
const seen: string[] = [];
let recordReads = 0;
let finishedAt = 0;

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-silent-'));
  await writeFile(
    join(work, 'one.json'),
    JSON.stringify({ name: 'one', steps: [{ name: 'get', request: { method: 'GET', url: 'http://127.0.0.1:9/never' } }] }),
  );
  const run = { id: 'run-silent', pool: 'default', reports: [] as string[] };
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401).end();
        return;
      }
      seen.push(`${request.method} ${request.url}`);
      if (request.method === 'POST' && request.url === '/api/runs') {
        let size = 0;
        request.on('data', (chunk: Buffer) => (size += chunk.length));
        request.on('end', () => {
          const multipart = request.headers['content-type']?.startsWith('multipart/form-data') === true;
          response.writeHead(multipart && size > 0 ? 201 : 400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ ...run, status: 'queued' }));
          // The run "ends" on the server two seconds later; its stream never says so.
          setTimeout(() => (finishedAt = Date.now()), 2_000);
        });
        return;
      }
      if (request.method === 'GET' && request.url === `/api/runs/${run.id}/events`) {
        if (request.headers.accept !== 'text/event-stream') {
          response.writeHead(406).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        response.write(`event: run\ndata: ${JSON.stringify({ ...run, status: 'queued' })}\n\n`);
        return; // and nothing more: the stream stays open and silent
      }
      if (request.method === 'GET' && request.url === `/api/runs/${run.id}`) {
        recordReads++;
        const ended = finishedAt > 0 ? { status: 'failed', message: 'the record says it failed' } : { status: 'running' };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...run, ...ended }));
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

describe('sortie run --remote with a silent event stream', () => {
  it("ends with the outcome of the run's record, about 10 s after the stream went quiet", async () => {
    const started = Date.now();
    const outcome = await runSortie(['run', '--remote', server.url, '--token', TOKEN, 'one.json'], { cwd: work });
    const took = Date.now() - started;
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(outcome.stderr).toContain("The run's event stream went silent; its outcome is taken from the server's record of it");
    expect(outcome.stderr).toContain('Run run-silent failed: the record says it failed');
    expect(outcome.stderr).not.toContain(TOKEN);
    expect(took).toBeGreaterThanOrEqual(10_000);
    expect(took).toBeLessThan(25_000);
    expect(recordReads).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(expect.arrayContaining(['POST /api/runs', 'GET /api/runs/run-silent/events', 'GET /api/runs/run-silent']));
  }, 40_000);
});
