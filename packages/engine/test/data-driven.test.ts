import type { ScenarioStartEvent } from '@sortie/core';
import { ScenarioSchema } from '@sortie/core';
import { Variables } from '@sortie/template';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planScenarioRuns } from '../src/flow/scenario-runs.js';
import { type FlowServer, startFlowServer } from './support/flow-server.js';
import { runFlow, runFlows } from './support/run-flow.js';

let server: FlowServer;
beforeAll(async () => {
  server = await startFlowServer();
});
afterAll(() => server.close());

function userScenario(name = 'users') {
  return {
    name,
    variables: { base: server.url },
    steps: [{ name: 'hello', request: { url: '{{base}}/echo', query: { user: '{{user}}', it: '{{who}}' } } }],
  };
}

describe('iteration data', () => {
  it('runs the scenario once per row, the row being the data scope, keyed file#n', async () => {
    const run = await runFlow(
      { ...userScenario(), variables: { base: server.url, who: 'scenario' } },
      {
        iterationData: [{ user: 'ann' }, { user: 'bob', who: 'row' }],
      },
    );
    expect(server.requests.slice(-2)).toEqual(['GET /echo?user=ann&it=scenario', 'GET /echo?user=bob&it=row']);
    expect(run.result.scenarios.map((s) => s.iteration)).toEqual([0, 1]);
    const starts = run.events.filter((e): e is ScenarioStartEvent => e.type === 'scenario:start');
    expect(starts.map((s) => s.iteration)).toEqual([0, 1]);
    const keys = run.events.flatMap((e) => (e.type === 'step:end' ? [e.scenario] : []));
    expect(keys).toEqual(['flow.json#0', 'flow.json#1']);
    expect(run.result.totals.requests).toBe(2);
  });

  it('runs N iterations cycling through the rows when both are given', async () => {
    const run = await runFlow(
      { ...userScenario(), variables: { base: server.url, who: 'x' } },
      {
        iterationData: [{ user: 'a' }, { user: 'b' }],
        iterations: 3,
      },
    );
    expect(server.requests.slice(-3)).toEqual(['GET /echo?user=a&it=x', 'GET /echo?user=b&it=x', 'GET /echo?user=a&it=x']);
    expect(run.result.scenarios).toHaveLength(3);
  });

  it('keeps no iteration on a plain run', async () => {
    const run = await runFlow({ ...userScenario(), variables: { base: server.url, user: 'u', who: 'w' } });
    expect(run.result.scenarios[0]?.iteration).toBeUndefined();
    expect(run.events.find((e) => e.type === 'step:end')).toMatchObject({ scenario: 'flow.json' });
  });

  it('plans runs by file then iteration without building them up front', () => {
    const value = ScenarioSchema.parse({ name: 'x', steps: [] });
    const scenarios = [
      { value, file: 'a.json', dir: '.' },
      { value, file: 'b.json', dir: '.' },
    ];
    const plan = planScenarioRuns({ scenarios, iterations: 10_000 });
    expect(plan.count).toBe(20_000);
    expect(plan.at(10_001)).toMatchObject({ scenario: { file: 'b.json' }, iteration: 1 });
    expect(planScenarioRuns({ scenarios, iterationData: [] }).at(1)).toEqual({ scenario: scenarios[1] });
  });
});

describe("keepResults 'problems'", () => {
  const statusScenario = () => ({
    name: 'status',
    variables: { base: server.url },
    steps: [{ name: 'get', request: { url: '{{base}}/status/{{code}}' }, post: [{ assert: { status: { equals: 200 } } }] }],
  });
  const rows = [{ code: '200' }, { code: '500' }, { code: '200' }, { code: '200' }, { code: '404' }];

  it('lists only the runs that did not pass, with totals and status counting every run as with all', async () => {
    const all = await runFlow(statusScenario(), { iterationData: rows, parallel: 2 });
    const problems = await runFlow(statusScenario(), { iterationData: rows, parallel: 2, keepResults: 'problems' });
    expect(problems.result.scenarios.map((s) => [s.iteration, s.status])).toEqual([
      [1, 'failed'],
      [4, 'failed'],
    ]);
    expect(problems.result.omittedScenarios).toBe(3);
    expect(problems.result.totals).toEqual(all.result.totals);
    expect(problems.result.totals.requests).toBe(5);
    expect(problems.result.status).toBe('failed');
    expect(all.result.scenarios).toHaveLength(5);
    expect(all.result.omittedScenarios).toBeUndefined();
    expect(problems.result.omittedCounts).toEqual({ passed: 3, skipped: 0, teardowns: 0 });
    expect(all.result.omittedCounts).toBeUndefined();
    // Events still carry every scenario run, with its place in the plan.
    const ends = problems.events.flatMap((e) => (e.type === 'scenario:end' ? [[e.index, e.result.iteration]] : []));
    expect(ends.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([0, 1, 2, 3, 4].map((n) => [n, n]));
  });

  it('passes with nothing listed when every run passes', async () => {
    const run = await runFlow(statusScenario(), { iterationData: [{ code: '200' }, { code: '200' }], keepResults: 'problems' });
    expect(run.result).toMatchObject({ status: 'passed', scenarios: [], omittedScenarios: 2, totals: { steps: 2, passed: 2 } });
  });

  it('reruns the failed runs with --retry-failed by their place in the plan', async () => {
    const run = await runFlow(statusScenario(), { iterationData: rows, keepResults: 'problems', retryFailed: 1 });
    const reruns = run.events.flatMap((e) => (e.type === 'scenario:start' && e.attempt === 2 ? [e.iteration] : []));
    expect(reruns).toEqual([1, 4]);
    // A rerun's scenario:end keeps the run's place in the plan.
    expect(run.events.flatMap((e) => (e.type === 'scenario:end' ? [e.index] : []))).toEqual([0, 1, 2, 3, 4, 1, 4]);
    expect(run.result.scenarios.map((s) => [s.iteration, s.attempts?.length])).toEqual([
      [1, 1],
      [4, 1],
    ]);
    expect(run.result.omittedScenarios).toBe(3);
  });

  it('lists the runs a --bail left out as not run', async () => {
    const run = await runFlow(statusScenario(), { iterationData: rows, keepResults: 'problems', bail: true });
    expect(run.result.scenarios.map((s) => [s.iteration, s.status, s.notRun])).toEqual([
      [1, 'failed', undefined],
      [2, 'skipped', 'bail'],
      [3, 'skipped', 'bail'],
      [4, 'skipped', 'bail'],
    ]);
    expect(run.result.omittedScenarios).toBe(1);
    expect(run.result.omittedCounts).toEqual({ passed: 1, skipped: 0, teardowns: 0 });
    expect(run.result.bailed).toBe(true);
    // Runs that never started are placed too.
    expect(run.events.flatMap((e) => (e.type === 'scenario:end' ? [e.index] : []))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('parallel', () => {
  it('isolates the variables of concurrent scenario runs and keeps results in planned order', async () => {
    // Each run extracts the row's user into a local variable, waits, then sends it back: a shared scope would mix them up.
    const scenario = {
      name: 'isolated',
      variables: { base: server.url },
      steps: [
        { name: 'set', request: { url: '{{base}}/echo', query: { v: '{{user}}' } }, post: [{ extract: { var: 'mine', jsonpath: '$.v' } }] },
        { wait: '{{delay}}' },
        { name: 'check', request: { url: '{{base}}/echo', query: { mine: '{{mine}}', row: '{{user}}' } } },
      ],
    };
    const rows = Array.from({ length: 8 }, (_, i) => ({ user: `user${i}`, delay: (8 - i) * 3 }));
    const run = await runFlow(scenario, { iterationData: rows, parallel: 4 });
    expect(run.result.status).toBe('passed');
    const checks = server.requests.filter((r) => r.includes('mine='));
    expect(checks).toHaveLength(8);
    for (const check of checks) expect(check).toMatch(/mine=(user\d)&row=\1$/);
    expect(run.result.scenarios.map((s) => s.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // the runs really overlapped: some scenario started before an earlier one ended
    const order = run.events.flatMap((e) =>
      e.type === 'scenario:start' ? [`s${e.iteration}`] : e.type === 'scenario:end' ? [`e${e.result.iteration}`] : [],
    );
    expect(order.slice(0, 4)).toEqual(['s0', 's1', 's2', 's3']);
  });

  it('starts every iteration from the scenario as written; with carryVariables, from what the last run left', async () => {
    // Each run sends what it starts with, then stores new values in the local, scenario and defaults scopes.
    const scenario = (carryVariables: boolean) => ({
      name: carryVariables ? 'carried' : 'fresh',
      variables: { base: server.url, inScenario: 's0' },
      defaults: { inDefaults: 'd0' },
      options: { carryVariables, allowUnresolved: true },
      steps: [
        {
          request: {
            url: '{{base}}/echo',
            query: { carried: String(carryVariables), local: '{{inLocal}}', s: '{{inScenario}}', d: '{{inDefaults}}' },
          },
          post: [
            { extract: { var: 'inLocal', jsonpath: '$.s' } },
            { extract: { var: 'inScenario', jsonpath: '$.d', scope: 'scenario' } },
            // pm.collectionVariables writes the defaults scope of a scenario that declares defaults (a collection's variables).
            { script: "pm.collectionVariables.set('inDefaults', 'from-' + pm.info.iteration);" },
          ],
        },
      ],
    });
    for (const carryVariables of [false, true]) {
      const run = await runFlow(scenario(carryVariables), { iterations: 3 });
      expect(run.result.status).toBe('passed');
    }
    const sent = (carried: boolean) =>
      server.requests.filter((r) => r.includes(`carried=${carried}`)).map((r) => r.split('&').slice(1).join('&'));
    expect(sent(false)).toEqual(Array(3).fill('local=%7B%7BinLocal%7D%7D&s=s0&d=d0'));
    // Each iteration sees what the one before stored: local ← its s, scenario ← its d, defaults ← from-<its iteration>.
    expect(sent(true)).toEqual(['local=%7B%7BinLocal%7D%7D&s=s0&d=d0', 'local=s0&s=d0&d=from-0', 'local=d0&s=from-0&d=from-1']);
  });

  it('shares environment and global variables between scenario runs', async () => {
    const shared = new Variables();
    const value = ScenarioSchema.parse({
      name: 'writer',
      variables: { base: server.url },
      steps: [
        {
          request: { url: '{{base}}/echo', query: { v: 'written' } },
          post: [{ extract: { var: 'fromA', jsonpath: '$.v', scope: 'global' } }],
        },
      ],
    });
    const reader = ScenarioSchema.parse({
      name: 'reader',
      variables: { base: server.url },
      steps: [{ request: { url: '{{base}}/echo', query: { v: '{{fromA}}' } } }],
    });
    const run = await runFlows(
      [
        { value, file: 'a.json', dir: '.' },
        { value: reader, file: 'b.json', dir: '.' },
      ],
      { sharedVariables: shared },
    );
    expect(run.result.status).toBe('passed');
    expect(shared.getIn('global', 'fromA')).toBe('written');
    expect(server.requests.at(-1)).toBe('GET /echo?v=written');
  });
});

describe('shards (sortie run --remote --shards)', () => {
  const statusScenario = () => ({
    name: 'status',
    variables: { base: server.url },
    steps: [{ name: 'get', request: { url: '{{base}}/status/{{code}}' }, post: [{ assert: { status: { equals: 200 } } }] }],
  });
  const rows = [{ code: '200' }, { code: '500' }, { code: '200' }, { code: '200' }, { code: '404' }];

  it('plans every count-th run from the shard index on, each keeping its iteration, row and place in the whole plan', () => {
    const value = ScenarioSchema.parse({ name: 'x', steps: [] });
    const scenarios = [
      { value, file: 'a.json', dir: '.' },
      { value, file: 'b.json', dir: '.' },
    ];
    const iterationData = [{ n: 0 }, { n: 1 }, { n: 2 }];
    const shards = [0, 1, 2, 3].map((index) => planScenarioRuns({ scenarios, iterationData, shard: { index, count: 4 } }));
    expect(shards.map((plan) => plan.count)).toEqual([2, 2, 1, 1]);
    const places = shards.flatMap((plan) => Array.from({ length: plan.count }, (_, at) => plan.placeOf(at)));
    expect(places.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(shards[1]?.at(1)).toMatchObject({ scenario: { file: 'b.json' }, iteration: 2, row: { n: 2 } });
    expect(shards[1]?.placeOf(1)).toBe(5);
    // More shards than runs: the shards past the last run have none.
    expect(planScenarioRuns({ scenarios, shard: { index: 3, count: 4 } }).count).toBe(0);
    expect(planScenarioRuns({ scenarios, shard: { index: 1, count: 4 } }).at(0)).toEqual({ scenario: scenarios[1] });
  });

  it('runs only its share, its events carrying each run place in the whole plan; the shards together run every row once', async () => {
    const runs = await Promise.all(
      [0, 1].map((index) => runFlow(statusScenario(), { iterationData: rows, keepResults: 'problems', shard: { index, count: 2 } })),
    );
    const ends = runs.map((run) => run.events.flatMap((e) => (e.type === 'scenario:end' ? [[e.index, e.result.iteration]] : [])));
    expect(ends).toEqual([
      [
        [0, 0],
        [2, 2],
        [4, 4],
      ],
      [
        [1, 1],
        [3, 3],
      ],
    ]);
    expect(runs.map((run) => run.result.totals.requests)).toEqual([3, 2]);
    expect(runs.map((run) => run.result.scenarios.map((s) => s.iteration))).toEqual([[4], [1]]);
    expect(runs.map((run) => run.result.status)).toEqual(['failed', 'failed']);
  });

  it('lists the runs of its share that a --bail left out as not run, at their places', async () => {
    const run = await runFlow(statusScenario(), { iterationData: rows, bail: true, shard: { index: 1, count: 2 } });
    expect(run.result.bailed).toBe(true);
    expect(run.events.flatMap((e) => (e.type === 'scenario:end' ? [[e.index, e.result.status, e.result.notRun]] : []))).toEqual([
      [1, 'failed', undefined],
      [3, 'skipped', 'bail'],
    ]);
  });

  it("stops as its own --bail would when another shard bailed (bailSignal): running runs finish, the rest are listed as not run 'bail'", async () => {
    const stop = new AbortController();
    const passing = rows.map(() => ({ code: '200' }));
    const run = await runFlow(statusScenario(), {
      iterationData: passing,
      parallel: 2,
      bailSignal: stop.signal,
      // The other shard bails as the first run of this one ends; the second, already running, finishes.
      onEvent: (event) => {
        if (event.type === 'scenario:end') stop.abort();
      },
    });
    const ends = run.events.flatMap((e) => (e.type === 'scenario:end' ? [[e.index, e.result.status, e.result.notRun]] : []));
    expect(ends.filter(([, status]) => status === 'passed').map(([index]) => index)).toEqual([0, 1]);
    expect(ends.filter(([, , notRun]) => notRun !== undefined)).toEqual([
      [2, 'skipped', 'bail'],
      [3, 'skipped', 'bail'],
      [4, 'skipped', 'bail'],
    ]);
    expect(run.result).toMatchObject({ status: 'passed', bailed: true });
    // Once every run has started, a bail elsewhere changes nothing.
    const late = new AbortController();
    const whole = await runFlow(statusScenario(), {
      iterationData: passing,
      bailSignal: late.signal,
      onEvent: (event) => {
        if (event.type === 'scenario:end' && event.index === 4) late.abort();
      },
    });
    expect(whole.result.bailed).toBeUndefined();
  });
});
