/**
 * `sortie run --remote` when a run's first attempt goes on after BullMQ handed the run to another
 * agent (its agent lost the job's lock: a Redis restart longer than --lock-duration, a frozen
 * agent). Both attempts then write to the run's stream; the first one's events and its `end` came
 * after the second's `attempt-start`, and the client showed them among the second's and ended with
 * the first attempt's outcome while the second still ran. The server is a real HTTP server on
 * 127.0.0.1:0 replaying such a stream (the order a live run with a Redis restart wrote it).
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, listenOnLoopback, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'srt_superseded-attempt-test-token';
const RUN = { id: 'run-two-attempts', pool: 'default', reports: [] as string[] };
let server: ListeningServer;
let work: string;

const totals = (passed: number, failed: number) => ({
  steps: passed + failed,
  requests: passed + failed,
  assertions: 0,
  failedAssertions: 0,
  passed,
  failed,
  errors: 0,
  skipped: 0,
});
const step = (attempt: number, id: string, name: string, status: 'passed' | 'failed') => ({
  kind: 'event',
  attempt,
  event: {
    type: 'step:end',
    scenario: 'two.json',
    result: { id, name, kind: 'request', path: [], status, startedAt: 1, durationMs: 5, assertions: [], extracted: [] },
  },
});
const scenarioEnd = (attempt: number, status: 'passed' | 'failed', passed: number, failed: number) => ({
  kind: 'event',
  attempt,
  event: {
    type: 'scenario:end',
    index: 0,
    result: { name: 'two', file: 'two.json', status, startedAt: 1, durationMs: 10, totals: totals(passed, failed) },
  },
});
const runEnd = (attempt: number, status: 'passed' | 'failed', passed: number, failed: number) => ({
  kind: 'event',
  attempt,
  event: {
    type: 'run:end',
    result: {
      status,
      startedAt: 1,
      durationMs: 10,
      totals: totals(passed, failed),
      scenarios: [{ name: 'two', file: 'two.json', status, startedAt: 1, durationMs: 10, totals: totals(passed, failed) }],
    },
  },
});
const end = (attempt: number, agent: string, status: 'passed' | 'failed', passed: number, failed: number) => ({
  kind: 'end',
  attempt,
  result: {
    runId: RUN.id,
    agent,
    status,
    counts: { scenarios: 1, steps: 2, requests: 2, passed, failed, errored: 0, skipped: 0 },
    startedAt: 1,
    endedAt: 2,
    reports: [],
  },
});
const start = (attempt: number) => ({ kind: 'event', attempt, event: { type: 'run:start', startedAt: 1, files: ['two.json'] } });
const scenarioStart = (attempt: number) => ({ kind: 'event', attempt, event: { type: 'scenario:start', name: 'two', file: 'two.json' } });

/** Attempt 1 (agent "first") goes on after attempt 2 (agent "second") started, and ends first. */
const STREAM = [
  { kind: 'attempt-start', attempt: 1, agent: 'first' },
  start(1),
  scenarioStart(1),
  step(1, '0', 'one', 'passed'),
  { kind: 'attempt-start', attempt: 2, agent: 'second' },
  start(2),
  scenarioStart(2),
  step(2, '0', 'one', 'passed'),
  step(1, '1', 'two-of-the-superseded-attempt', 'passed'),
  scenarioEnd(1, 'passed', 2, 0),
  runEnd(1, 'passed', 2, 0),
  end(1, 'first', 'passed', 2, 0),
  step(2, '1', 'two', 'failed'),
  scenarioEnd(2, 'failed', 1, 1),
  runEnd(2, 'failed', 1, 1),
  end(2, 'second', 'failed', 1, 1),
];

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-attempts-'));
  await writeFile(
    join(work, 'two.json'),
    JSON.stringify({
      name: 'two',
      steps: [
        { name: 'one', request: { method: 'GET', url: 'http://127.0.0.1:9/one' } },
        { name: 'two', request: { method: 'GET', url: 'http://127.0.0.1:9/two' } },
      ],
    }),
  );
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401).end();
        return;
      }
      if (request.method === 'POST' && request.url === '/api/runs') {
        request.resume();
        request.on('end', () => {
          response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ...RUN, status: 'queued' }));
        });
        return;
      }
      if (request.method === 'GET' && request.url === `/api/runs/${RUN.id}/events`) {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        response.write(`event: run\ndata: ${JSON.stringify({ ...RUN, status: 'queued' })}\n\n`);
        for (const [index, entry] of STREAM.entries()) {
          response.write(`id: 1700000000000-${index}\nevent: ${entry.kind}\ndata: ${JSON.stringify(entry)}\n\n`);
        }
        response.end();
        return;
      }
      if (request.method === 'GET' && request.url === `/api/runs/${RUN.id}`) {
        const record = { ...RUN, status: 'failed', agent: 'second', attempt: 2 };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(record));
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

describe('sortie run --remote when a lost attempt goes on', () => {
  it("shows only the newest attempt's events and ends with its outcome, not the superseded attempt's", async () => {
    const outcome = await runSortie(['run', '--remote', server.url, '--token', TOKEN, 'two.json'], { cwd: work });
    expect(outcome.stderr).toContain('The agent running it was lost; agent second runs it again (attempt 2)');
    expect(outcome.stdout).not.toContain('two-of-the-superseded-attempt');
    expect(outcome.stdout).toContain('FAILED');
    expect(outcome.code, `${outcome.stdout}\n${outcome.stderr}`).toBe(1);
  });
});
