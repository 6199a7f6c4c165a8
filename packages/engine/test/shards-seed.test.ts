/**
 * `--seed` with a run split into shards (`sortie run --remote --shards N`, engine option `shard`) or
 * run `--parallel`: each scenario run generates from its place in the whole plan (and its attempt),
 * so the shards together generate exactly what the whole run generates, and no two shards generate
 * the same "random" values (a $guid, a faker name) for different scenario runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowServer, startFlowServer } from './support/flow-server.js';
import { runFlow } from './support/run-flow.js';

let server: FlowServer;
beforeAll(async () => {
  server = await startFlowServer();
});
afterAll(() => server.close());

const scenario = () => ({
  name: 'seeded',
  variables: { base: server.url },
  // Two requests: runs side by side (--parallel) generate in turns.
  steps: ['first', 'second'].map((name) => ({
    name,
    request: { url: '{{base}}/echo', query: { n: '{{$randomInt}}', who: '{{$person.firstName}}', id: '{{$guid}}' } },
  })),
});

/** The URLs each scenario run requested, by its place in the whole plan. */
async function urls(options: Parameters<typeof runFlow>[1]): Promise<Map<number, string>> {
  const run = await runFlow(scenario(), { seed: 7, iterations: 6, ...options });
  const byPlace = new Map<number, string>();
  for (const event of run.events) {
    // The step's scenario run: `flow.json#<iteration>`, its place in the whole plan (one file).
    if (event.type === 'step:end' && event.result.request !== undefined) {
      const place = Number(event.scenario.split('#')[1]);
      byPlace.set(place, `${byPlace.get(place) ?? ''} ${event.result.request.url}`);
    }
  }
  return byPlace;
}

describe('--seed in shards and in parallel', () => {
  it('generates, shard by shard, the values of the whole run, each scenario run its own', async () => {
    const whole = await urls({});
    expect(whole.size).toBe(6);
    // Six scenario runs, six different sets of values.
    expect(new Set(whole.values()).size).toBe(6);
    const sharded = new Map<number, string>();
    for (let index = 0; index < 3; index++) for (const [place, url] of await urls({ shard: { index, count: 3 } })) sharded.set(place, url);
    expect([...sharded].sort(([a], [b]) => a - b)).toEqual([...whole].sort(([a], [b]) => a - b));
    // The same seed again: the same values; another seed: others.
    expect([...(await urls({}))]).toEqual([...whole]);
    expect((await urls({ seed: 8 })).get(0)).not.toBe(whole.get(0));
  });

  it('generates the same values with --parallel as one at a time', async () => {
    const one = await urls({});
    const parallel = await urls({ parallel: 3 });
    expect([...parallel].sort(([a], [b]) => a - b)).toEqual([...one].sort(([a], [b]) => a - b));
  });
});
