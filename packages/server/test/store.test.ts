import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkipService } from '../../db/test/services.js';
import { authenticateBearer, createApiToken, createTokenToucher, hashApiToken } from '../src/api-tokens.js';
import { openStore } from '../src/store/open-store.js';
import type { RunRecord, Store } from '../src/store/store.js';

const PG_BASE = 'postgres://postgres@127.0.0.1:5432/test';

function run(id: string, patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    status: 'queued',
    trigger: 'api',
    pool: 'default',
    planId: 'plan-1',
    options: { iterations: 2, environment: 'dev' },
    attempt: 1,
    createdAt: 1_000,
    reports: [],
    ...patch,
  };
}

/** The same behaviour, asserted against each database the server can keep its history in. */
function describeStore(name: string, open: () => Promise<{ store: Store; reopen: () => Promise<Store>; cleanup: () => Promise<void> }>) {
  describe(name, () => {
    let store: Store;
    let reopen: () => Promise<Store>;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, reopen, cleanup } = await open());
    });
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    it('stores a run and reads back every field, optional ones included', async () => {
      const full = run('r-full', {
        scheduleId: 's-1',
        agent: 'agent-a',
        startedAt: 1_100,
        endedAt: 1_900,
        status: 'failed',
        counts: { scenarios: 1, steps: 3, requests: 2, passed: 2, failed: 1, errored: 0, skipped: 0 },
        message: 'one assertion failed',
        reports: ['report.json', 'junit.xml'],
        // Times past 2^31 survive: PostgreSQL returns BIGINT as text.
        createdAt: 1_764_000_000_000,
      });
      await store.insertRun(full);
      expect(await store.getRun('r-full')).toEqual(full);
      expect(await store.getRun('r-missing')).toBeUndefined();
    });

    it('updates only the fields named and keeps the rest', async () => {
      await store.insertRun(run('r-upd', { createdAt: 2_000 }));
      const updated = await store.updateRun('r-upd', { status: 'running', agent: 'agent-b', startedAt: 2_100, attempt: 2 });
      expect(updated).toEqual(run('r-upd', { createdAt: 2_000, status: 'running', agent: 'agent-b', startedAt: 2_100, attempt: 2 }));
      expect(await store.updateRun('r-nope', { status: 'passed' })).toBeUndefined();
      // patchRun: the same update, without reading the run back.
      await store.insertRun(run('r-patch', { createdAt: 1_000 }));
      await store.patchRun('r-patch', { status: 'passed', agent: 'agent-b', endedAt: 1_300, reports: ['report.json'] });
      expect(await store.getRun('r-patch')).toEqual(
        run('r-patch', { createdAt: 1_000, status: 'passed', agent: 'agent-b', endedAt: 1_300, reports: ['report.json'] }),
      );
      await store.patchRun('r-nope', { status: 'passed' });
      expect(await store.getRun('r-nope')).toBeUndefined();
    });

    it('lists runs newest first with filters, paging and a total', async () => {
      for (let i = 0; i < 5; i++) {
        await store.insertRun(
          run(`r-list-${i}`, { createdAt: 10_000 + i, pool: i % 2 === 0 ? 'eu' : 'us', status: i < 2 ? 'passed' : 'queued' }),
        );
      }
      const eu = await store.listRuns({ pool: 'eu' });
      expect(eu.runs.map((r) => r.id)).toEqual(['r-list-4', 'r-list-2', 'r-list-0']);
      expect(eu.total).toBe(3);
      const page = await store.listRuns({ pool: 'eu', limit: 1, offset: 1 });
      expect(page.runs.map((r) => r.id)).toEqual(['r-list-2']);
      expect(page.total).toBe(3);
      const passed = await store.listRuns({ status: 'passed', pool: 'us' });
      expect(passed.runs.map((r) => r.id)).toEqual(['r-list-1']);
    });

    it('lists the open runs a restarted server must reconcile', async () => {
      const open = (await store.listOpenRuns()).map((r) => r.id);
      expect(open).toContain('r-upd');
      expect(open).toContain('r-list-4');
      expect(open).not.toContain('r-full');
    });

    it('keeps the history across a restart (close and open again)', async () => {
      await store.close();
      store = await reopen();
      expect((await store.getRun('r-full'))?.status).toBe('failed');
    });

    it('deletes runs that ended before the retention limit and says which', async () => {
      await store.insertRun(run('r-old', { status: 'passed', createdAt: 5, endedAt: 10, reports: ['report.json'] }));
      await store.insertRun(run('r-new', { status: 'passed', createdAt: 5, endedAt: 5_000_000 }));
      expect(await store.deleteRunsEndedBefore(1_000)).toEqual([{ id: 'r-old', reports: ['report.json'] }]);
      expect(await store.getRun('r-old')).toBeUndefined();
      expect(await store.getRun('r-new')).toBeDefined();
      // Unfinished runs are never deleted by retention.
      expect(await store.getRun('r-upd')).toBeDefined();
    });

    it('stores plans and finds one by digest', async () => {
      await store.insertPlan({ id: 'p-1', name: 'smoke', digest: 'abc', createdAt: 1 });
      expect(await store.findPlanByDigest('abc')).toEqual({ id: 'p-1', name: 'smoke', digest: 'abc', createdAt: 1 });
      expect(await store.getPlan('p-1')).toEqual({ id: 'p-1', name: 'smoke', digest: 'abc', createdAt: 1 });
      expect(await store.findPlanByDigest('zzz')).toBeUndefined();
    });

    it('deletes the plans stored before the retention limit that no run or schedule names, and says which', async () => {
      await store.insertPlan({ id: 'p-unused', name: 'old', digest: 'd-unused', createdAt: 10 });
      await store.insertPlan({ id: 'p-run', name: 'old, of a run', digest: 'd-run', createdAt: 10 });
      await store.insertPlan({ id: 'p-sched', name: 'old, of a schedule', digest: 'd-sched', createdAt: 10 });
      await store.insertPlan({ id: 'p-recent', name: 'new', digest: 'd-recent', createdAt: 5_000_000 });
      await store.insertRun(run('r-of-plan', { planId: 'p-run', status: 'queued', createdAt: 10 }));
      await store.insertSchedule({
        id: 's-of-plan',
        name: 'n',
        planId: 'p-sched',
        every: 60_000,
        pool: 'default',
        options: {},
        paused: true,
        createdAt: 10,
      });
      const deleted = await store.deletePlansUnusedBefore(1_000);
      expect(deleted).toContain('p-unused');
      for (const kept of ['p-run', 'p-sched', 'p-recent']) expect(deleted).not.toContain(kept);
      expect(await store.getPlan('p-unused')).toBeUndefined();
      expect(await store.findPlanByDigest('d-unused')).toBeUndefined();
      for (const kept of ['p-run', 'p-sched', 'p-recent']) expect(await store.getPlan(kept), kept).toBeDefined();
      expect(await store.deleteSchedule('s-of-plan')).toBe(true);
      expect(await store.deletePlansUnusedBefore(1_000)).toEqual(['p-sched']);
    });

    it('creates, pauses, lists and deletes schedules', async () => {
      await store.insertSchedule({
        id: 's-a',
        name: 'nightly',
        planId: 'p-1',
        cron: '0 3 * * *',
        pool: 'eu',
        options: {},
        paused: false,
        createdAt: 1,
      });
      await store.insertSchedule({
        id: 's-b',
        name: 'often',
        planId: 'p-1',
        every: 60_000,
        pool: 'default',
        options: { bail: true },
        paused: false,
        createdAt: 2,
      });
      expect((await store.updateSchedule('s-a', { paused: true }))?.paused).toBe(true);
      const all = await store.listSchedules();
      expect(all.map((s) => [s.id, s.paused, s.cron, s.every])).toEqual([
        ['s-a', true, '0 3 * * *', undefined],
        ['s-b', false, undefined, 60_000],
      ]);
      expect(await store.deleteSchedule('s-a')).toBe(true);
      expect(await store.deleteSchedule('s-a')).toBe(false);
    });

    it('keeps only a hash of an API token and finds it from the Bearer header', async () => {
      const { token, record } = await createApiToken(store, { name: 'ci', scope: 'submit', now: 7 });
      const stored = await store.listTokens();
      expect(stored.map((t) => t.hash)).toContain(hashApiToken(token));
      expect(JSON.stringify(stored)).not.toContain(token);
      expect((await authenticateBearer(store, `Bearer ${token}`))?.id).toBe(record.id);
      expect(await authenticateBearer(store, `Bearer ${token}x`)).toBeUndefined();
      expect(await authenticateBearer(store, token)).toBeUndefined();
      expect(await authenticateBearer(store, undefined)).toBeUndefined();
      await store.touchToken(record.id, 99);
      expect((await store.findTokenByHash(record.hash))?.lastUsedAt).toBe(99);
      // The API's toucher writes the time at most once a minute per token.
      const touch = createTokenToucher(store);
      const lastUsed = async () => (await store.findTokenByHash(record.hash))?.lastUsedAt;
      const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
      touch(record, 1_000);
      await settle();
      expect(await lastUsed()).toBe(1_000);
      touch(record, 60_999);
      await settle();
      expect(await lastUsed()).toBe(1_000);
      touch(record, 61_000);
      await settle();
      expect(await lastUsed()).toBe(61_000);
      expect(await store.deleteToken(record.id)).toBe(true);
      expect(await authenticateBearer(store, `Bearer ${token}`)).toBeUndefined();
    });
  });
}

describeStore('SQLite store', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sortie-store-'));
  return {
    store: await openStore({ dataDir }),
    reopen: () => openStore({ dataDir }),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
});

const skipPostgres = await shouldSkipService('PostgreSQL', 5432);
describe.skipIf(skipPostgres)('on PostgreSQL', () => {
  describeStore('PostgreSQL store', async () => {
    // A schema of its own, so the test never touches another test's tables.
    const schema = `sortie_store_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_BASE });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const database = `${PG_BASE}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      store: await openStore({ database, dataDir: '/nonexistent' }),
      reopen: () => openStore({ database, dataDir: '/nonexistent' }),
      cleanup: async () => {
        const client = new pg.Client({ connectionString: PG_BASE });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      },
    };
  });
});

describe('openStore', () => {
  it('refuses a database URL it cannot use, with a hint and without the password', async () => {
    const error = (await openStore({ database: 'mysql://u:hunter2@h/db', dataDir: '/tmp' }).catch((e: unknown) => e)) as Error & {
      code: string;
    };
    expect(error.code).toBe('SORTIE_USAGE');
    expect(error.message).not.toContain('hunter2');
  });

  it('says the PostgreSQL server is unavailable without printing the password', async () => {
    const error = (await openStore({ database: 'postgres://u:hunter2@127.0.0.1:1/db', dataDir: '/tmp' }).catch(
      (e: unknown) => e,
    )) as Error & {
      code: string;
      hint: string;
    };
    expect(error.code).toBe('SORTIE_USAGE');
    expect(error.message).toContain('cannot open the run history');
    expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
  });
});
