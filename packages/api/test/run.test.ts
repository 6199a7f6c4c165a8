/** run(plan): a plan and its JSON copy run identically; events reach reporters and listeners. */
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan, type RunEvent, type RunPlan, run, validate } from '../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
}, 60_000);
afterAll(() => server.close());

/** What a run did, without times: every step's id, name, kind and status, and the totals. */
async function trace(plan: RunPlan): Promise<unknown> {
  const events: RunEvent[] = [];
  const result = await run(plan, { env: {}, envVars: { base: server.url }, onEvent: (event) => events.push(event) });
  const steps = events.flatMap((e) =>
    e.type === 'step:end' ? [`${e.result.id} ${e.result.name} ${e.result.kind} ${e.result.status}`] : [],
  );
  return { status: result.status, totals: result.totals, steps };
}

describe('run', () => {
  it('runs a plan and its JSON copy identically (includes and iteration data from the plan)', async () => {
    const plan = await loadPlan({
      paths: ['fixtures/scenarios/flow/flow-control.json', 'fixtures/scenarios/flow/data-driven.json'],
      cwd: ROOT,
      environment: 'fixtures/environments/local.json',
      iterationData: 'fixtures/scenarios/flow/parts/users.csv',
      env: {},
    });
    expect(Object.keys(plan.includes)).toEqual(['fixtures/scenarios/flow/parts/login.json']);
    const copy: RunPlan = JSON.parse(JSON.stringify(plan));
    const [original, shipped] = [await trace(plan), await trace(copy)];
    expect(shipped).toEqual(original);
    expect(original).toMatchObject({ status: 'passed' });
  }, 60_000);

  it('validate checks every input without asking for secret values', async () => {
    const plan = await validate({ paths: ['fixtures/scenarios/ok'], cwd: ROOT });
    expect(plan.scenarios.length).toBeGreaterThan(3);
    await expect(validate({ paths: ['fixtures/scenarios/invalid/bad-include.json'], cwd: ROOT })).rejects.toMatchObject({
      code: 'SORTIE_INVALID_INPUT',
    });
  }, 60_000);
});
