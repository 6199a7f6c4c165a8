/**
 * Cancelling a run split into shards (`sortie run --remote --shards N`), against a real `sortie
 * server`, one `sortie agent` (processes of the built CLI), a redis-server of the test's own and the
 * fixture API:
 * - cancelled while every shard is queued (no agent on its pool), the run ends as "cancelled before
 *   it started", as a run not split does: no shard ends apart, nothing says it started;
 * - cancelled while one shard runs and the other waits for the agent, the run's report still lists
 *   every scenario run of the plan (those never started as not run), as a cancelled run's report does.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie, startCli } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

/** redis-server is a service these tests start: without it they skip, saying why (not under CI). */
function redisServerMissing(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.CI) return false;
    console.warn('redis-server is not installed: skipping the shards-cancel tests (with CI set they would fail)');
    return true;
  }
}

/** 6 rows, each run waiting 400 ms: two shards of 3 runs, the second queued while the one agent runs the first. */
const ROWS = ['id', '1', '2', '3', '4', '5', '6', ''].join('\n');
const SCENARIO = `name: Slow row
steps:
  - name: slow call
    request:
      method: GET
      url: "{{base}}/slow?ms=400&row={{id}}"
    post:
      - assert: { status: { equals: 200 } }
`;

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let project: string;
let serverUrl: string;
const tokens = { submit: '', read: '' };
const processes: ChildProcess[] = [];

interface RunRecord {
  id: string;
  status: string;
  planId: string;
  startedAt?: number;
  message?: string;
  counts?: Record<string, number>;
}

async function call<T>(path: string, init: RequestInit = {}, token = tokens.read): Promise<T> {
  const response = await fetch(`${serverUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  return (await response.json()) as T;
}

async function waitFor(runId: string, until: (run: RunRecord) => boolean): Promise<RunRecord> {
  let run = await call<RunRecord>(`/api/runs/${runId}`);
  for (let i = 0; i < 300 && !until(run); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    run = await call<RunRecord>(`/api/runs/${runId}`);
  }
  return run;
}

const ended = (run: RunRecord) => run.status !== 'queued' && run.status !== 'running';

describe.skipIf(redisServerMissing())('cancelling a run split into shards', { timeout: 120_000 }, () => {
  let planId: string;

  beforeAll(async () => {
    ensureBuilt();
    redis = await startOwnRedis();
    api = await startFixtureServer();
    work = await mkdtemp(join(tmpdir(), 'sortie-shards-cancel-'));
    project = join(work, 'project');
    await mkdir(project);
    await writeFile(join(project, 'slow.yaml'), SCENARIO);
    await writeFile(join(project, 'rows.csv'), ROWS);
    const dataDir = join(work, 'server-data');
    for (const scope of ['submit', 'read'] as const) {
      const created = await runSortie(['server', 'token', 'create', '--scope', scope, '--data-dir', dataDir]);
      expect(created.code).toBe(0);
      tokens[scope] = created.stdout.trim();
    }
    const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/, {
      cwd: work,
    });
    processes.push(server.child);
    serverUrl = server.match[1] as string;
    const agent = await startCli(['agent', '--redis', redis.url, '--name', 'only-agent'], /waiting for runs/, { cwd: work });
    processes.push(agent.child);
    // The plan, stored by a first run (not split) that the agent runs to its end.
    const first = await runSortie(
      ['run', '--remote', serverUrl, '--token', tokens.submit, 'slow.yaml', '-d', 'rows.csv', '--env-var', `base=${api.url}`, '-r', 'json'],
      { cwd: project },
    );
    expect(first.code, first.stderr).toBe(0);
    planId = (await call<{ runs: RunRecord[] }>('/api/runs?limit=1')).runs[0]?.planId as string;
  }, 120_000);

  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await api?.close();
    await redis?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  const submit = (pool: string) =>
    call<RunRecord>(
      '/api/runs',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ planId, pool, options: { envVars: { base: api.url }, shards: 2 }, reports: ['json'] }),
      },
      tokens.submit,
    );
  const cancel = (runId: string) => call<RunRecord>(`/api/runs/${runId}/cancel`, { method: 'POST' }, tokens.submit);

  it('ends a run whose shards are all queued as cancelled before it started, with one end and no shard ending apart', async () => {
    const submitted = await submit('nobody-serves-it');
    expect(submitted.status).toBe('queued');
    await cancel(submitted.id);
    const run = await waitFor(submitted.id, ended);
    expect(run.status).toBe('cancelled');
    // Once the tracker has read the stream too, the record is still the cancel's.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const settled = await call<RunRecord>(`/api/runs/${submitted.id}`);
    expect(settled.status).toBe('cancelled');
    expect(settled.message).toBe('cancelled before it started');
    expect(settled.startedAt).toBeUndefined();
    const client = new Redis(redis.url);
    try {
      const kinds = (await client.xrange(`sortie:run:${submitted.id}:events`, '-', '+')).map(
        ([, fields]) => (JSON.parse(fields[1] as string) as { kind: string }).kind,
      );
      expect(kinds).toEqual(['end']);
    } finally {
      client.disconnect();
    }
  });

  it('lists every scenario run in the report of a run cancelled while a shard waited for an agent', async () => {
    const submitted = await submit('default');
    // The one agent runs shard 1; shard 2 waits on the queue.
    const running = await waitFor(submitted.id, (run) => run.status === 'running' || ended(run));
    expect(running.status).toBe('running');
    await cancel(submitted.id);
    const run = await waitFor(submitted.id, ended);
    expect(run.status).toBe('cancelled');
    // 6 scenario runs, as in the plan: those the cancel stopped before they started are skipped.
    expect(run.counts?.scenarios).toBe(6);
    expect(run.counts?.skipped).toBeGreaterThanOrEqual(3);
    const response = await fetch(`${serverUrl}/api/runs/${submitted.id}/reports/report.json`, {
      headers: { authorization: `Bearer ${tokens.read}` },
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as { status: string; scenarios: { iteration: number; notRun?: string }[] };
    expect(report.status).toBe('interrupted');
    expect(report.scenarios.map((scenario) => scenario.iteration)).toEqual([0, 1, 2, 3, 4, 5]);
    // The shard that waited (iterations 1, 3, 5, or 0, 2, 4 if the agent took the second first) never started.
    const notRun = report.scenarios.filter((scenario) => scenario.notRun === 'interrupted').map((scenario) => scenario.iteration);
    const waited = notRun.includes(1) ? [1, 3, 5] : [0, 2, 4];
    expect(notRun).toEqual(expect.arrayContaining(waited));
    // The record says, in shard order, which shard ran and which never started.
    const [ran, waitedOnly] = ['cancelled while it ran', 'cancelled before it started'];
    expect(run.message).toBe(
      waited[0] === 1 ? `shard 1/2: ${ran}; shard 2/2: ${waitedOnly}` : `shard 1/2: ${waitedOnly}; shard 2/2: ${ran}`,
    );
  });
});
