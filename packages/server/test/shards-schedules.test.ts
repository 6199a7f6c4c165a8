/**
 * A schedule whose runs are split into shards (`options.shards`) of a plan with beforeAll/afterAll
 * hooks: a run of it would be refused ("Cannot split the run"), so the schedule is refused when it
 * is created, by JSON and by multipart, as a submission is, rather than stored and failing unseen
 * each time it fires. The same schedule of a plan without hooks is created.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { goldenIn } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../src/plan-storage.js';
import { rawTarGz } from './hostile-tar.js';
import { startTestServer, type TestServer } from './test-server.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden', 'api'));

/** redis-server is a service this test starts: without it the test skips, saying why (not under CI). */
function redisServerMissing(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.CI) return false;
    console.warn('redis-server is not installed: skipping the shards-schedules tests (with CI set they would fail)');
    return true;
  }
}

/** The plan loader: a bundle whose scenario is `hooked.json` makes a plan with a beforeAll hook. */
async function loadPlan(_dir: string, manifest: BundleManifest): Promise<unknown> {
  return manifest.files.includes('hooked.json') ? { hooks: { beforeAll: { scenario: { path: 'hooked.json' } } } } : {};
}

const bundle = (file: string) =>
  rawTarGz([
    { name: 'sortie-bundle.json', data: JSON.stringify({ version: 1, files: [file] }) },
    { name: file, data: '{}' },
  ]);

describe.skipIf(redisServerMissing())('schedules of runs split into shards', () => {
  let running: TestServer;
  let admin: string;
  const plans = { hooked: '', plain: '' };

  beforeAll(async () => {
    running = await startTestServer({ loadPlan });
    admin = await running.token('admin');
    for (const name of ['hooked', 'plain'] as const) {
      const form = new FormData();
      form.set('bundle', new Blob([bundle(`${name}.json`)]), 'plan.tar.gz');
      const stored = await call('/api/plans', { method: 'POST', body: form });
      expect(stored.status).toBe(201);
      plans[name] = ((await stored.json()) as { id: string }).id;
    }
  }, 60_000);

  afterAll(async () => {
    await running?.close();
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${running.server.url}${path}`, { ...init, headers: { authorization: `Bearer ${admin}`, ...init.headers } });
  const createJson = (body: unknown) =>
    call('/api/schedules', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses, with a 400 saying why, a split schedule of a plan with hooks; creates one of a plan without', async () => {
    const lines: string[] = [];
    const record = async (label: string, response: Response) => {
      lines.push(`${label}\n  ${response.status} ${await response.text()}`);
      return response.status;
    };
    expect(
      await record(
        'JSON, 2 shards, plan with hooks',
        await createJson({ name: 'split', planId: plans.hooked, every: 60_000, options: { shards: 2 } }),
      ),
    ).toBe(400);
    const form = new FormData();
    form.set('bundle', new Blob([bundle('hooked.json')]), 'plan.tar.gz');
    form.set('name', 'split');
    form.set('every', '60000');
    form.set('options', JSON.stringify({ shards: 3 }));
    expect(await record('multipart, 3 shards, plan with hooks', await call('/api/schedules', { method: 'POST', body: form }))).toBe(400);
    expectGolden('schedule-shards-hooks.txt', `${lines.join('\n')}\n`);

    // Not split, or a plan without hooks: created.
    expect((await createJson({ name: 'whole', planId: plans.hooked, every: 60_000, options: { shards: 1 } })).status).toBe(201);
    expect((await createJson({ name: 'split plain', planId: plans.plain, every: 60_000, options: { shards: 2 } })).status).toBe(201);
    const { schedules } = (await (await call('/api/schedules')).json()) as { schedules: { name: string }[] };
    expect(schedules.map((schedule) => schedule.name).sort()).toEqual(['split plain', 'whole']);
  });
});
