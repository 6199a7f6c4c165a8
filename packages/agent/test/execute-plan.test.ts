import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectionPool, createConnectionPool, loadPlan } from '@sortie/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanExecutor } from '../src/execute-plan.js';

let work: string;
let server: Server;
let base: string;
let connections = 0;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sortie-agent-exec-'));
  // Answers GET /status/<code> with that status.
  server = createServer((request, response) => {
    const code = /^\/status\/(\d{3})$/.exec(request.url ?? '');
    response.statusCode = code === null ? 404 : Number(code[1]);
    response.end();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const step = { name: 'get {{code}}', request: { url: '{{base}}/status/{{code}}' }, post: [{ assert: { status: { equals: 200 } } }] };
  await writeFile(join(work, 'status.json'), JSON.stringify({ name: 'status', steps: [step] }));
  await writeFile(join(work, 'rows.csv'), 'code\n200\n500\n200\n200\n');
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(work, { recursive: true, force: true });
});

describe('the plan executor', () => {
  const execute = async (reports: string[], connectionPool?: ConnectionPool) => {
    const plan = await loadPlan({ paths: [join(work, 'status.json')], cwd: work, iterationData: join(work, 'rows.csv') });
    const ends: unknown[] = [];
    const executor = createPlanExecutor({
      env: {},
      cwd: work,
      version: 'test',
      ...(connectionPool === undefined ? {} : { connectionPool }),
    });
    const context = {
      signal: new AbortController().signal,
      onEvent: (event: unknown) => {
        if ((event as { type: string }).type === 'scenario:end') ends.push(event);
      },
      agent: 'test',
      attempt: 1,
    };
    const outcome = await executor(
      { runId: 'r', plan: JSON.parse(JSON.stringify(plan)), options: { envVars: { base } }, reports },
      context,
    );
    return { outcome, ends };
  };

  it('counts every scenario run of a job that writes no report (whose passing runs are not kept), as of one with a report', async () => {
    const without = await execute([]);
    const withReport = await execute(['json']);
    expect(without.outcome).toMatchObject({ status: 'failed', reports: new Map() });
    expect(without.outcome.counts).toEqual({ scenarios: 4, steps: 4, requests: 4, passed: 3, failed: 1, errored: 0, skipped: 0 });
    expect(withReport.outcome.counts).toEqual(without.outcome.counts);
    expect(withReport.outcome.status).toBe('failed');
    expect([...withReport.outcome.reports.keys()]).toEqual(['report.json']);
    // Made in memory: the json report of the 4 rows, whole.
    const report = JSON.parse(withReport.outcome.reports.get('report.json')!.toString('utf8')) as { status: string; scenarios: unknown[] };
    expect(report).toMatchObject({ status: 'failed' });
    expect(report.scenarios).toHaveLength(4);
    expect(without.ends).toHaveLength(4);
  });

  it('runs jobs over the connection pool it is given: the runs after the first open no connection', async () => {
    const pool = createConnectionPool();
    let afterFirst = 0;
    try {
      expect((await execute(['json'], pool)).outcome.counts.requests).toBe(4);
      afterFirst = connections;
      for (let i = 0; i < 2; i++) expect((await execute(['json'], pool)).outcome.counts.requests).toBe(4);
    } finally {
      await pool.close();
    }
    expect(connections).toBe(afterFirst);
    // Without one, each run opens (and closes) its own.
    const unpooled = connections;
    await execute([]);
    await execute([]);
    expect(connections - unpooled).toBeGreaterThanOrEqual(2);
  });
});
