/**
 * Two servers with databases of their own on one Redis (two deployments sharing a Redis, or a
 * server whose data dir was replaced beside the old one): they share the BullMQ queue schedules
 * fire on, so either may take a fired job. The one that does not know the schedule makes no run:
 * it says so in its log, where it said nothing and the run went missing unseen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.js';
import { rawTarGz } from './hostile-tar.js';
import { startTestServer, type TestServer } from './test-server.js';

let first: TestServer;
let second: RunningServer;
let work: string;
const logged: string[] = [];

beforeAll(async () => {
  first = await startTestServer();
  work = await mkdtemp(join(tmpdir(), 'sortie-shared-redis-'));
  second = await startServer({
    redis: first.redis.url,
    port: 0,
    dataDir: join(work, 'data'),
    version: 'test',
    loadPlan: async () => ({}),
    retentionDays: 0,
    onLog: (message) => logged.push(message),
  });
}, 60_000);

afterAll(async () => {
  await second?.close();
  await first?.close();
  await rm(work, { recursive: true, force: true });
});

describe('schedules of two servers on one Redis', { timeout: 60_000 }, () => {
  it('says so when a server takes a fired schedule it does not know', async () => {
    const admin = await first.token('admin');
    const form = new FormData();
    const bundle = rawTarGz([
      { name: 'sortie-bundle.json', data: JSON.stringify({ version: 1, files: ['a.json'] }) },
      { name: 'a.json', data: '{}' },
    ]);
    form.append('bundle', new Blob([bundle]), 'plan.tgz');
    const headers = { authorization: `Bearer ${admin}` };
    const plan = (await (await fetch(`${first.server.url}/api/plans`, { method: 'POST', body: form, headers })).json()) as { id: string };
    const created = await fetch(`${first.server.url}/api/schedules`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'every second', planId: plan.id, every: 1_000, pool: 'nobody' }),
    });
    const schedule = (await created.json()) as { id: string };
    const deadline = Date.now() + 30_000;
    while (!logged.some((line) => line.includes(schedule.id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await fetch(`${first.server.url}/api/schedules/${schedule.id}`, { method: 'DELETE', headers });
    expect(logged.find((line) => line.includes(schedule.id))).toBe(
      `schedules: schedule ${schedule.id} fired, but this server's database does not have it: no run made here ` +
        '(another server with another database uses this Redis, or this database replaced the one that made it)',
    );
  });
});
