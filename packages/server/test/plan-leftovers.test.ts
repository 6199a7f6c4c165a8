import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlanStorage } from '../src/plan-storage.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';

let dataDir: string;
let store: Store;

afterEach(async () => {
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A folder under plans/ holding a plan.json, last changed `ageMs` ago. */
async function folder(name: string, ageMs: number): Promise<void> {
  const path = join(dataDir, 'plans', name);
  await mkdir(join(path, 'files'), { recursive: true });
  await writeFile(join(path, 'plan.json'), '{}');
  const when = new Date(Date.now() - ageMs);
  await utimes(path, when, when);
}

describe('plan folders left by an upload cut short (kill -9 of the server)', () => {
  it('removes old staging folders and old plan folders the store has no record of, nothing else', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sortie-leftovers-'));
    store = await openStore({ dataDir });
    const plans = new PlanStorage({ store, dataDir, loadPlan: async () => ({}) });
    await plans.ensureDir();
    const hour = 3_600_000;
    const recorded = randomUUID();
    const unrecorded = randomUUID();
    const fresh = randomUUID();
    await store.insertPlan({ id: recorded, name: 'kept', digest: 'd1', createdAt: 1 });
    await folder(recorded, 2 * hour);
    await folder(unrecorded, 2 * hour); // renamed into place, the server died before the record
    await folder(`.${randomUUID()}.staging`, 2 * hour); // died while unpacking
    await folder(`.${fresh}.staging`, 60_000); // an upload in progress
    await folder(fresh, 60_000); // a record being written
    await folder('not-a-plan', 2 * hour); // not the server's: left alone
    expect(await plans.removeLeftovers()).toBe(2);
    expect((await readdir(join(dataDir, 'plans'))).sort()).toEqual([`.${fresh}.staging`, fresh, 'not-a-plan', recorded].sort());
    expect(await plans.removeLeftovers()).toBe(0);
  });
});
