import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueName, REDIS_KEYS } from '../../agent/src/protocol.js';
import { writeEndEntry } from '../../agent/src/run-stream.js';
import { type OwnRedis, startOwnRedis } from '../../agent/test/redis-server.js';
import { createApiToken } from '../src/api-tokens.js';
import { type BundleManifest, PlanStorage } from '../src/plan-storage.js';
import { type RunningServer, startServer } from '../src/server.js';
import type { RunRecord } from '../src/store/store.js';

/**
 * The plan loader the server is given (the CLI gives it the library's loadPlan): here one that reads
 * the scenario files the manifest names and fails like loadPlan on a missing one.
 */
async function loadTestPlan(dir: string, manifest: BundleManifest): Promise<unknown> {
  let delayMs = 0;
  let data = '';
  for (const file of manifest.files) {
    try {
      const scenario = JSON.parse(await readFile(join(dir, file), 'utf8')) as { delayMs: number; data?: string };
      delayMs += scenario.delayMs;
      // What a data file puts in a plan (base64), for the tests of large plans.
      data += scenario.data ?? '';
    } catch {
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', `cannot read the scenario ${file}`);
    }
  }
  return data === '' ? { delayMs } : { delayMs, data };
}

let own: OwnRedis;
let work: string;
let dataDir: string;
let server: RunningServer;
const children: ChildProcess[] = [];
const tokens: Record<'read' | 'submit' | 'admin', string> = { read: '', submit: '', admin: '' };

async function boot(): Promise<RunningServer> {
  return startServer({ redis: own.url, port: 0, dataDir, version: 'test', loadPlan: loadTestPlan, retentionDays: 0 });
}

async function startAgent(name: string, pool = 'default'): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('../../agent/test/agent-child.ts', import.meta.url).pathname, own.url, name, '1000', pool],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
  });
  return child;
}

/** A bundle as `sortie run --remote` makes it: the files and a manifest, tar.gz. */
async function makeBundle(name: string, files: Record<string, string>, manifest: Partial<BundleManifest> = {}): Promise<Buffer> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await writeFile(join(dir, 'sortie-bundle.json'), JSON.stringify({ version: 1, files: Object.keys(files), ...manifest }));
  return execFileSync('tar', ['-czf', '-', '-C', dir, '.']);
}

async function api(path: string, token: string | undefined, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  return fetch(`${server.url}${path}`, { ...init, headers });
}

async function submit(bundle: Buffer, fields: Record<string, string> = {}, token = tokens.submit): Promise<Response> {
  const form = new FormData();
  form.set('bundle', new Blob([bundle]), 'plan.tar.gz');
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return api('/api/runs', token, { method: 'POST', body: form });
}

async function waitFor(runId: string, statuses: string[], timeoutMs = 30_000): Promise<RunRecord> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const run = (await (await api(`/api/runs/${runId}`, tokens.read)).json()) as RunRecord;
    if (statuses.includes(run.status)) return run;
    if (Date.now() > end) throw new Error(`run ${runId} is still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  own = await startOwnRedis();
  work = await mkdtemp(join(tmpdir(), 'sortie-server-'));
  dataDir = join(work, 'data');
  server = await boot();
  for (const scope of ['read', 'submit', 'admin'] as const)
    tokens[scope] = (await createApiToken(server.store, { name: scope, scope })).token;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await server.close();
  await own.close();
  await rm(work, { recursive: true, force: true });
});

describe('sortie server', { timeout: 60_000 }, () => {
  it('answers 401 without a token, 401 with an unknown one, and 403 when the scope is too small', async () => {
    const none = await api('/api/runs', undefined);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="sortie"');
    expect((await api('/api/runs', 'sortie_nope')).status).toBe(401);
    const forbidden = await submit(await makeBundle('scope', { 's.json': '{"delayMs":1}' }), {}, tokens.read);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('SORTIE_FORBIDDEN');
    const schedule = await api('/api/schedules', tokens.submit, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(schedule.status).toBe(403);
    // The 403 (and 401) body names the scope the endpoint needs, and what it is for.
    expect(((await schedule.json()) as { error: unknown }).error).toEqual({
      code: 'SORTIE_FORBIDDEN',
      title: 'Forbidden',
      message: 'creating a schedule needs a token with the admin scope; yours has submit',
      scope: 'admin',
    });
    const cancel = await api('/api/runs/00000000-0000-4000-8000-000000000000/cancel', tokens.read, { method: 'POST' });
    expect(cancel.status).toBe(403);
    expect(((await cancel.json()) as { error: { message: string; scope: string } }).error).toMatchObject({
      message: 'cancelling a run needs a token with the submit scope; yours has read',
      scope: 'submit',
    });
    expect(((await none.json()) as { error: { scope: string } }).error.scope).toBe('read');
    expect((await api('/api/health', undefined)).status).toBe(200);
  });

  it('takes a bundle, queues the run, an agent runs it, progress streams as SSE, the report downloads', async () => {
    await startAgent('agent-1');
    const response = await submit(await makeBundle('ok', { 'scenarios/a.json': '{"delayMs":100}' }), { options: '{"iterations":1}' });
    expect(response.status).toBe(201);
    const queued = (await response.json()) as RunRecord;
    expect(queued).toMatchObject({ status: 'queued', trigger: 'api', pool: 'default', options: { iterations: 1 } });
    const sse = await (await api(`/api/runs/${queued.id}/events`, tokens.read)).text();
    expect(sse).toMatch(/^event: run\n/);
    expect(sse).toContain('event: attempt-start');
    expect(sse).toMatch(/event: end\ndata: .*"status":"passed"/);
    const done = await waitFor(queued.id, ['passed']);
    expect(done).toMatchObject({ agent: 'agent-1', attempt: 1, reports: ['report.json'] });
    expect(done.endedAt).toBeGreaterThanOrEqual(done.startedAt as number);
    const report = await api(`/api/runs/${queued.id}/reports/report.json`, tokens.read);
    expect(report.status).toBe(200);
    // A download, never a page of the server's origin (a browser extension that adds the bearer header rendered report.html there).
    expect(report.headers.get('content-disposition')).toBe(`attachment; filename="sortie-${queued.id.slice(0, 8)}-report.json"`);
    expect(report.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(report.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await report.json()).toEqual({ by: 'agent-1', attempt: 1 });
    expect((await api(`/api/runs/${queued.id}/reports/..%2Fsortie.db`, tokens.read)).status).toBe(404);
    const list = (await (await api('/api/runs?status=passed', tokens.read)).json()) as { runs: RunRecord[]; total: number };
    expect(list.runs.map((r) => r.id)).toContain(queued.id);
  });

  it('refuses a bundle with a path outside it or a link out of it, and writes nothing', async () => {
    const dir = join(work, 'evil');
    await mkdir(join(dir, 'in'), { recursive: true });
    await writeFile(join(dir, 'secret.txt'), 'x');
    await writeFile(join(dir, 'in', 'sortie-bundle.json'), JSON.stringify({ version: 1, files: ['../secret.txt'] }));
    const traversal = execFileSync('tar', ['-czf', '-', '-P', '-C', join(dir, 'in'), 'sortie-bundle.json', '../secret.txt']);
    const before = await readdir(join(dataDir, 'plans'));
    const refused = await submit(traversal);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; title: string; message: string } };
    expect(body.error).toMatchObject({ code: 'SORTIE_INVALID_INPUT', title: 'Invalid bundle' });
    expect(body.error.message).toContain('"../secret.txt"');
    expect(await readdir(join(dataDir, 'plans'))).toEqual(before);
  });

  it("answers an invalid plan with the loader's error and stores nothing", async () => {
    const response = await submit(await makeBundle('bad-plan', { 'x.json': 'not json' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('cannot read the scenario x.json');
    expect((await readdir(join(dataDir, 'plans'))).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('cancels a queued run at once', async () => {
    const queued = (await (
      await submit(await makeBundle('cancel', { 'c.json': '{"delayMs":1}' }), { pool: 'nobody' })
    ).json()) as RunRecord;
    const cancelled = await api(`/api/runs/${queued.id}/cancel`, tokens.submit, { method: 'POST' });
    expect(((await cancelled.json()) as RunRecord).status).toBe('cancelled');
  });

  it('records a run that ends out of submission order, behind more queued runs than every read of the streams covers', async () => {
    // The tracker's reads cover the runs agents started and the next queued ones of each pool; the
    // others once a second. The last of 24 queued runs ends first (as after a restart, or when
    // another server's agents took it): it is still recorded.
    const bundle = await makeBundle('order', { 'o.json': '{"delayMs":1}' });
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push(((await (await submit(bundle, { pool: 'nobody-order' })).json()) as RunRecord).id);
    const last = ids.at(-1) as string;
    const redis = new Redis(own.url);
    const counts = { scenarios: 1, steps: 1, requests: 1, passed: 1, failed: 0, errored: 0, skipped: 0 };
    await writeEndEntry(redis, { runId: last, agent: 'elsewhere', status: 'passed', counts, startedAt: 1, endedAt: 2, reports: [] }, 1);
    redis.disconnect();
    expect(await waitFor(last, ['passed', 'failed', 'error'])).toMatchObject({ status: 'passed', agent: 'elsewhere', counts });
    for (const id of ids.slice(0, -1)) {
      expect(((await (await api(`/api/runs/${id}`, tokens.read)).json()) as RunRecord).status).toBe('queued');
      await api(`/api/runs/${id}/cancel`, tokens.submit, { method: 'POST' });
    }
  });

  it("records a run whose start and end it reads at once with the start's attempt and agent", async () => {
    // The tracker then writes the run once, as ended (no 'running' write before it): the attempt
    // comes from the start entry, which the end's result does not carry.
    const bundle = await makeBundle('fold', { 'f.json': '{"delayMs":1}' });
    const queued = (await (await submit(bundle, { pool: 'nobody-fold' })).json()) as RunRecord;
    const counts = { scenarios: 1, steps: 1, requests: 1, passed: 1, failed: 0, errored: 0, skipped: 0 };
    const result = { runId: queued.id, agent: 'second', status: 'passed' as const, counts, startedAt: 1, endedAt: 2, reports: [] };
    const redis = new Redis(own.url);
    const key = `sortie:run:${queued.id}:events`;
    const entries = [
      { kind: 'attempt-start', attempt: 2, agent: 'second' },
      { kind: 'event', attempt: 2, event: { type: 'run:start' } },
      { kind: 'end', attempt: 2, result },
    ];
    const multi = redis.multi();
    for (const entry of entries) multi.xadd(key, '*', 'e', JSON.stringify(entry));
    await multi.exec();
    redis.disconnect();
    expect(await waitFor(queued.id, ['passed', 'failed', 'error'])).toMatchObject({
      status: 'passed',
      agent: 'second',
      attempt: 2,
      counts,
    });
  });

  it("ends a run with its newest attempt's outcome, not with the end of an attempt it replaced that went on", async () => {
    // Agent "first" lost the job's lock (Redis away longer than --lock-duration) and went on after
    // BullMQ handed the run to "second": its end came while attempt 2 still ran, and was the run's.
    const bundle = await makeBundle('superseded', { 's.json': '{"delayMs":1}' });
    const queued = (await (await submit(bundle, { pool: 'nobody-superseded' })).json()) as RunRecord;
    const counts = (passed: number, failed: number) => ({ scenarios: 1, steps: 2, requests: 2, passed, failed, errored: 0, skipped: 0 });
    const result = (agent: string, status: 'passed' | 'failed', passed: number, failed: number) => ({
      runId: queued.id,
      agent,
      status,
      counts: counts(passed, failed),
      startedAt: 1,
      endedAt: 2,
      reports: [],
    });
    const redis = new Redis(own.url);
    const key = `sortie:run:${queued.id}:events`;
    const write = async (entries: unknown[]) => {
      const multi = redis.multi();
      for (const entry of entries) multi.xadd(key, '*', 'e', JSON.stringify(entry));
      await multi.exec();
    };
    await write([
      { kind: 'attempt-start', attempt: 1, agent: 'first' },
      { kind: 'attempt-start', attempt: 2, agent: 'second' },
      { kind: 'end', attempt: 1, result: result('first', 'passed', 2, 0) },
    ]);
    const running = async () => (await (await api(`/api/runs/${queued.id}`, tokens.read)).json()) as RunRecord;
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await running()).toMatchObject({ status: 'running', agent: 'second', attempt: 2 });
    }
    await write([{ kind: 'end', attempt: 2, result: result('second', 'failed', 1, 1) }]);
    redis.disconnect();
    expect(await waitFor(queued.id, ['passed', 'failed', 'error'])).toMatchObject({
      status: 'failed',
      agent: 'second',
      attempt: 2,
      counts: counts(1, 1),
    });
  });

  it('fires a schedule, lists its runs as scheduled, and fires no more once paused', async () => {
    const plan = (await (
      await api('/api/plans', tokens.submit, { method: 'POST', body: formOf(await makeBundle('sched', { 's.json': '{"delayMs":10}' })) })
    ).json()) as { id: string };
    const created = await api('/api/schedules', tokens.admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'every second', planId: plan.id, every: 1_000 }),
    });
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as { id: string };
    let runs: RunRecord[] = [];
    for (let i = 0; i < 100 && runs.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      runs = ((await (await api(`/api/runs?schedule=${schedule.id}`, tokens.read)).json()) as { runs: RunRecord[] }).runs;
    }
    expect(runs[0]).toMatchObject({ trigger: 'schedule', scheduleId: schedule.id });
    await waitFor(runs[0]?.id as string, ['passed']);
    const paused = await api(`/api/schedules/${schedule.id}`, tokens.admin, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"paused":true}',
    });
    expect(((await paused.json()) as { paused: boolean }).paused).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const count = ((await (await api(`/api/runs?schedule=${schedule.id}`, tokens.read)).json()) as { total: number }).total;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(((await (await api(`/api/runs?schedule=${schedule.id}`, tokens.read)).json()) as { total: number }).total).toBe(count);
    expect((await api(`/api/schedules/${schedule.id}`, tokens.admin, { method: 'DELETE' })).status).toBe(204);
  });

  it('fires an "every" schedule first one interval after it is created, and a resumed one on that grid, never at once', async () => {
    // BullMQ fires a new "every" scheduler at once: a 1-day schedule made at 10:00 ran at 10:00 and said "next" was now.
    const plan = (await (
      await api('/api/plans', tokens.submit, { method: 'POST', body: formOf(await makeBundle('first', { 's.json': '{"delayMs":1}' })) })
    ).json()) as { id: string };
    const every = 3_000;
    const created = await api('/api/schedules', tokens.admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'grid', planId: plan.id, every, pool: 'nobody' }),
    });
    const schedule = (await created.json()) as { id: string; createdAt: number; nextRunAt: number };
    expect(schedule.nextRunAt).toBe(schedule.createdAt + every);
    const total = async () => ((await (await api(`/api/runs?schedule=${schedule.id}`, tokens.read)).json()) as { total: number }).total;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await total()).toBe(0);
    const patch = (paused: boolean) =>
      api(`/api/schedules/${schedule.id}`, tokens.admin, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ paused }),
      });
    await patch(true);
    await new Promise((resolve) => setTimeout(resolve, every + 500));
    const before = await total();
    const resumedAt = Date.now();
    const resumed = (await (await patch(false)).json()) as { nextRunAt: number };
    // The next time of created + k·every still ahead, not "now" (which would fire a run at once).
    expect((resumed.nextRunAt - schedule.createdAt) % every).toBe(0);
    expect(resumed.nextRunAt).toBeGreaterThan(resumedAt);
    expect(resumed.nextRunAt).toBeLessThanOrEqual(resumedAt + every);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, resumed.nextRunAt - Date.now() - 500)));
    expect(await total()).toBe(before);
    expect((await api(`/api/schedules/${schedule.id}`, tokens.admin, { method: 'DELETE' })).status).toBe(204);
  });

  it('loses nothing when the server restarts with runs queued: they run and are recorded after it is back', async () => {
    const bundle = await makeBundle('restart', { 'r.json': '{"delayMs":10}' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await (await submit(bundle, { pool: 'later' })).json()) as RunRecord).id);
    await server.close();
    server = await boot();
    await startAgent('late-agent', 'later');
    for (const id of ids) expect(await waitFor(id, ['passed', 'failed', 'error'])).toMatchObject({ status: 'passed', agent: 'late-agent' });
  });

  it('keeps a large plan once in Redis for all the runs of it that wait, not once per job (the server ran out of memory)', async () => {
    // A plan with a 2 MB data file; 300 runs of a 19 MB one made 300 jobs of 35 MB each: the server died, Redis held 1 GB per 40.
    const bundle = await makeBundle('large', { 'big.json': JSON.stringify({ delayMs: 1, data: 'd'.repeat(2_000_000) }) });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(((await (await submit(bundle, { pool: 'large' })).json()) as RunRecord).id);
    const redis = new Redis(own.url);
    try {
      let held = 0;
      // The queue's jobs and whatever holds plans.
      for (const key of [...(await redis.keys('bull:sortie-runs-large:*')), ...(await redis.keys('sortie:*plan*'))]) {
        held += (await redis.memory('USAGE', key)) ?? 0;
      }
      expect(held).toBeLessThan(6_000_000);
    } finally {
      redis.disconnect();
    }
    await startAgent('large-agent', 'large');
    for (const id of ids)
      expect(await waitFor(id, ['passed', 'failed', 'error'])).toMatchObject({ status: 'passed', agent: 'large-agent' });
  });

  it('records a run that ended while the server was away for longer than Redis keeps its job and events (an hour)', async () => {
    const bundle = await makeBundle('away', { 'w.json': '{"delayMs":10}' });
    const queued = (await (await submit(bundle, { pool: 'away' })).json()) as RunRecord;
    await server.close();
    await startAgent('away-agent', 'away');
    const queue = new Queue(queueName('away'), { connection: { url: own.url } });
    try {
      let job = await queue.getJob(queued.id);
      for (let i = 0; i < 100 && (await job?.getState()) !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = await queue.getJob(queued.id);
      }
      // An hour later: the completed job is removed (removeOnComplete) and the run's stream has expired.
      await job?.remove();
      const redis = new Redis(own.url);
      await redis.del(REDIS_KEYS.events(queued.id));
      redis.disconnect();
    } finally {
      await queue.close();
    }
    server = await boot();
    // It was recorded as "error: lost: Redis no longer has its job or its events (Redis restarted without its data?)".
    const run = await waitFor(queued.id, ['passed', 'failed', 'error']);
    expect(run).toMatchObject({ status: 'passed', agent: 'away-agent', reports: ['report.json'] });
    expect(await (await api(`/api/runs/${queued.id}/reports/report.json`, tokens.read)).json()).toEqual({ by: 'away-agent', attempt: 1 });
  });

  it('stores reports without a folder per run, serves those of an older data dir (runs/<id>/<name>), and retention deletes both', async () => {
    const bundle = await makeBundle('layout', { 'l.json': '{"delayMs":1}' });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(((await (await submit(bundle, { pool: 'later' })).json()) as RunRecord).id);
    for (const id of ids)
      expect(await waitFor(id, ['passed', 'failed', 'error'])).toMatchObject({ status: 'passed', reports: ['report.json'] });
    const [id, older] = ids as [string, string];
    const runs = join(dataDir, 'runs');
    // runs/<first two characters>/<id>.<name>: no folder per run.
    expect(JSON.parse(await readFile(join(runs, id.slice(0, 2), `${id}.report.json`), 'utf8'))).toEqual({ by: 'late-agent', attempt: 1 });
    expect(await readdir(runs)).not.toContain(id);
    // A report where a server before this layout put it is still served.
    await mkdir(join(runs, older));
    await rename(join(runs, older.slice(0, 2), `${older}.report.json`), join(runs, older, 'report.json'));
    for (const run of ids) {
      const report = await api(`/api/runs/${run}/reports/report.json`, tokens.read);
      expect(report.status).toBe(200);
      expect(await report.json()).toEqual({ by: 'late-agent', attempt: 1 });
    }
    // Retention (here: every run ended over a millisecond ago) deletes the runs and their files in both layouts.
    await server.close();
    server = await startServer({
      redis: own.url,
      port: 0,
      dataDir,
      version: 'test',
      loadPlan: loadTestPlan,
      retentionDays: 1 / 86_400_000,
    });
    for (const run of ids) expect((await api(`/api/runs/${run}`, tokens.read)).status).toBe(404);
    expect(await readdir(join(runs, id.slice(0, 2)))).not.toContain(`${id}.report.json`);
    expect(await readdir(runs)).not.toContain(older);
    // ...and the plans no run or schedule names any more: a plan per distinct bundle stayed for ever.
    const plansLeft = await readdir(join(dataDir, 'plans'));
    const schedulePlans = new Set((await server.store.listSchedules()).map((schedule) => schedule.planId));
    const runPlans = new Set((await server.store.listRuns({ limit: 1_000 })).runs.map((run) => run.planId));
    for (const plan of plansLeft) expect(schedulePlans.has(plan) || runPlans.has(plan), `plan ${plan} is left`).toBe(true);
    await server.close();
    server = await boot();
  });
});

function formOf(bundle: Buffer): FormData {
  const form = new FormData();
  form.set('bundle', new Blob([bundle]), 'plan.tar.gz');
  return form;
}

describe('plan storage', { timeout: 60_000 }, () => {
  it('stores a bundle uploaded several times at once as one plan', async () => {
    const bundle = await makeBundle('same', { 'same.json': '{"delayMs":1}' });
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => api('/api/plans', tokens.submit, { method: 'POST', body: formOf(bundle) })),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
    expect(new Set(ids).size).toBe(1);
    const dirs = (await readdir(join(dataDir, 'plans'))).filter((name) => name === ids[0]);
    expect(dirs).toHaveLength(1);
  });

  it('reads a plan once for submissions of it that arrive at once (each read and parsed its own copy: out of memory)', async () => {
    const bundle = await makeBundle('herd', { 'herd.json': JSON.stringify({ delayMs: 1, data: 'h'.repeat(100_000) }) });
    const { id } = (await (await api('/api/plans', tokens.submit, { method: 'POST', body: formOf(bundle) })).json()) as { id: string };
    // A server just started: nothing cached. 300 runs of a 25 MB plan at once took a 4 GB heap.
    const plans = new PlanStorage({ store: server.store, dataDir, loadPlan: loadTestPlan });
    const read = await Promise.all(Array.from({ length: 20 }, () => plans.readPlan(id)));
    expect(new Set(read).size).toBe(1);
    expect(read[0]).toMatchObject({ delayMs: 1 });
    await expect(plans.readPlan('no-such-plan')).rejects.toThrow();
    await expect(plans.readPlan('no-such-plan')).rejects.toThrow();
  });
});

describe('Redis away', { timeout: 60_000 }, () => {
  it('answers what needs Redis at once with 503 "Redis unavailable", stores nothing, and works again once it is back', async () => {
    const bundle = await makeBundle('away', { 'away.json': '{"delayMs":1}' });
    const queued = (await (await submit(bundle, { pool: 'nobody-away' })).json()) as RunRecord;
    const plan = ((await (await api('/api/plans', tokens.submit, { method: 'POST', body: formOf(bundle) })).json()) as { id: string }).id;
    const json = { 'content-type': 'application/json' };
    const schedule = (await (
      await api('/api/schedules', tokens.admin, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'away', planId: plan, cron: '0 0 1 1 *' }),
      })
    ).json()) as { id: string };
    const runsBefore = ((await (await api('/api/runs?limit=500', tokens.read)).json()) as { total: number }).total;
    await own.stop();
    try {
      // ioredis notices the closed connection at once; wait until the server's connection says so.
      const deadline = Date.now() + 10_000;
      while ((await api('/api/agents', tokens.read)).status !== 503 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const answers = {
        agents: await api('/api/agents', tokens.read),
        submit: await submit(bundle),
        cancel: await api(`/api/runs/${queued.id}/cancel`, tokens.submit, { method: 'POST' }),
        schedule: await api('/api/schedules', tokens.admin, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ name: 'while away', planId: plan, every: 60_000 }),
        }),
        pause: await api(`/api/schedules/${schedule.id}`, tokens.admin, { method: 'PATCH', headers: json, body: '{"paused":true}' }),
        remove: await api(`/api/schedules/${schedule.id}`, tokens.admin, { method: 'DELETE' }),
        runNow: await api(`/api/schedules/${schedule.id}/run`, tokens.submit, { method: 'POST' }),
      };
      expect(Date.now() - started).toBeLessThan(5_000);
      for (const [what, response] of Object.entries(answers)) {
        expect([what, response.status]).toEqual([what, 503]);
        const { error } = (await response.json()) as { error: { code: string; title: string; message: string } };
        expect(error).toMatchObject({ code: ErrorCode.NETWORK, title: 'Redis unavailable' });
        expect(error.message).toMatch(/^the server cannot reach Redis \(\w+\): /);
      }
      // Nothing was stored for what was refused: no new run, the schedule neither paused nor deleted, no new schedule.
      expect(((await (await api('/api/runs?limit=500', tokens.read)).json()) as { total: number }).total).toBe(runsBefore);
      const schedules = ((await (await api('/api/schedules', tokens.read)).json()) as { schedules: { id: string; paused: boolean }[] })
        .schedules;
      expect(schedules.filter((s) => s.id === schedule.id)).toMatchObject([{ paused: false }]);
      expect(schedules.map((s) => s.id)).toHaveLength(new Set(schedules.map((s) => s.id)).size);
      expect((await (await api(`/api/runs/${queued.id}`, tokens.read)).json()) as RunRecord).toMatchObject({ status: 'queued' });
      // Started again while Redis is away, with a schedule stored (which it puts back on BullMQ once Redis
      // answers): it listens at once all the same.
      await server.close();
      const restarted = Date.now();
      server = await boot();
      expect(Date.now() - restarted).toBeLessThan(5_000);
      expect((await api('/api/health', undefined)).status).toBe(200);
      // Alive but not ready: a readiness probe takes it out of rotation while Redis is away.
      const notReady = await api('/api/ready', undefined);
      expect([notReady.status, await notReady.json()]).toEqual([503, { ready: false, redis: 'unavailable', database: 'ready' }]);
      expect((await api('/api/agents', tokens.read)).status).toBe(503);
    } finally {
      await own.restart();
    }
    const deadline = Date.now() + 15_000;
    while ((await api('/api/agents', tokens.read)).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await api('/api/agents', tokens.read)).status).toBe(200);
    const ready = await api('/api/ready', undefined);
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true, redis: 'ready', database: 'ready' }]);
    expect((await submit(bundle, { pool: 'nobody-away' })).status).toBe(201);
    expect((await api(`/api/schedules/${schedule.id}`, tokens.admin, { method: 'DELETE' })).status).toBeLessThan(300);
  });
});
