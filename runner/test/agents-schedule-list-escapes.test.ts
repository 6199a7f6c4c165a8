/**
 * `sortie server schedule list` prints what the server answers: a schedule name (or a cron pattern)
 * with a terminal escape or a newline, stored by a server that still took them, reached the terminal
 * as it was (colours changed, a line that looked like another schedule). The server is a real HTTP
 * server on 127.0.0.1:0 answering the list route.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, listenOnLoopback, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'srt_schedule-list-escapes-token';
let server: ListeningServer;
let work: string;

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-schedule-escapes-'));
  const schedules = [
    {
      id: '5f0c0000-0000-4000-8000-000000000001',
      name: 'nightly\u001b[31mRED\n5f0c0000-0000-4000-8000-000000000002  active  fake',
      planId: 'p1',
      pool: 'default',
      options: {},
      paused: false,
      createdAt: 1,
      cron: '0 2 * * *\u0007\u009b',
    },
  ];
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401).end();
        return;
      }
      if (request.method === 'GET' && request.url === '/api/schedules') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ schedules }));
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

describe('sortie server schedule list', () => {
  it('prints control characters of what the server sends escaped, one schedule a line', async () => {
    const outcome = await runSortie(['server', 'schedule', 'list', '--remote', server.url, '--token', TOKEN], { cwd: work });
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(outcome.stdout).toBe(
      '5f0c0000-0000-4000-8000-000000000001  active  nightly\\u001b[31mRED\\n5f0c0000-0000-4000-8000-000000000002  active  fake' +
        '  cron "0 2 * * *\\u0007\\u009b"  pool default  plan p1\n',
    );
  });
});
