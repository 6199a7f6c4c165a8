/**
 * Setup, teardown, project hooks, flaky steps and --retry-failed, through the real engine against the
 * fixture API: `PUT /marks/:name` records what arrived (the test asks the server, not the engine,
 * whether a teardown ran) and `/flaky/:key?fail=N` fails the first N requests of a key.
 */
import { ErrorCode, MAX_RETRY_FAILED, ScenarioSchema, type StepResult } from '@sortie/core';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { findClosedPort } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedHook } from '../src/index.js';
import { type FlowRun, runFlow, runFlows } from './support/run-flow.js';

let server: FixtureServer;
let closed: number;
beforeAll(async () => {
  server = await startFixtureServer();
  closed = await findClosedPort();
});
afterAll(async () => {
  await server.close();
});

let unique = 0;
/** A name no other test uses, for marks and flaky keys. */
const fresh = (name: string) => `${name}-${++unique}`;
const mark = (name: string, extra: Record<string, unknown> = {}) => ({
  name: `mark ${name}`,
  request: { method: 'PUT', url: `{{base}}/marks/${name}` },
  ...extra,
});
const expectStatus = (status: number) => ({ assert: { status: { equals: status } } });
const get = (name: string, path: string, extra: Record<string, unknown> = {}) => ({ name, request: { url: `{{base}}${path}` }, ...extra });

async function marks(): Promise<Record<string, number>> {
  const response = await fetch(`${server.url}/marks`);
  return ((await response.json()) as { marks: Record<string, number> }).marks;
}

function scenario(fields: Record<string, unknown>): Record<string, unknown> {
  return { name: 'lifecycle', variables: { base: server.url }, ...fields };
}

const trace = (run: FlowRun) => run.trace;
const only = (run: FlowRun) => run.result.scenarios[0]!;

describe('scenario teardown', () => {
  it('runs after a failed assertion ended the steps, and sees the variables the steps set', async () => {
    const name = fresh('cleanup');
    const run = await runFlow(
      scenario({
        steps: [
          get('create', '/flaky/never?fail=0', { post: [{ extract: { var: 'created', jsonpath: '$.key' } }] }),
          get('check', '/status/500', { post: [expectStatus(200)] }),
          get('never', '/status/200'),
        ],
        teardown: [mark(name), get('delete {{created}}', '/status/204?id={{created}}')],
      }),
    );
    expect(trace(run)).toEqual([
      '0 create passed',
      '1 check failed',
      '2 never skipped',
      `teardown.0 teardown › mark ${name} passed`,
      'teardown.1 teardown › delete never passed',
    ]);
    expect(await marks()).toMatchObject({ [name]: 1 });
    expect(only(run)).toMatchObject({ status: 'failed', teardown: 'passed' });
    expect(run.steps.filter((s) => s.id.startsWith('teardown')).map((s) => s.phase)).toEqual(['teardown', 'teardown']);
    expect(run.result.status).toBe('failed');
  });

  it('runs after a step error and after --bail stopped the run', async () => {
    const name = fresh('after-error');
    const run = await runFlows(
      [
        source(scenario({ steps: [{ name: 'refused', request: { url: `http://127.0.0.1:${closed}/` } }], teardown: [mark(name)] })),
        source(scenario({ name: 'second', steps: [get('later', '/status/200')], teardown: [mark(`${name}-never`)] }), 'second.json'),
      ],
      { bail: true },
    );
    expect(run.result.scenarios.map((s) => [s.name, s.status, s.teardown, s.notRun])).toEqual([
      ['lifecycle', 'error', 'passed', undefined],
      ['second', 'skipped', undefined, 'bail'],
    ]);
    // The scenario that never started created nothing: its teardown does not run.
    expect(await marks()).toMatchObject({ [name]: 1 });
    expect((await marks())[`${name}-never`]).toBeUndefined();
  });

  it('reports its own failures apart from the test, goes on after them, and makes the run fail', async () => {
    const name = fresh('goes-on');
    const run = await runFlow(
      scenario({
        steps: [get('test', '/status/200')],
        teardown: [get('cleanup fails', '/status/500', { post: [expectStatus(204)] }), mark(name)],
      }),
    );
    expect(only(run)).toMatchObject({ status: 'passed', teardown: 'failed' });
    expect(only(run).totals).toMatchObject({ steps: 3, passed: 2, failed: 1 });
    expect(await marks()).toMatchObject({ [name]: 1 });
    expect(run.result.status).toBe('failed');
  });

  it('keeps a step’s own onError in the teardown', async () => {
    const name = fresh('own-policy');
    const run = await runFlow(
      scenario({ steps: [], teardown: [get('stop here', '/status/500', { onError: 'end', post: [expectStatus(204)] }), mark(name)] }),
    );
    expect(trace(run).at(-1)).toBe(`teardown.1 teardown › mark ${name} skipped`);
  });

  it('runs after an interrupt during the test, within the grace period, and cuts or skips what is left after it', async () => {
    const name = fresh('interrupted');
    const controller = new AbortController();
    const run = await runFlow(
      scenario({
        steps: [get('slow', '/slow?ms=100'), get('never', '/status/200')],
        teardown: [mark(name), get('slow cleanup', '/slow?ms=1500'), mark(`${name}-late`)],
      }),
      {
        signal: controller.signal,
        teardownGrace: 1000,
        onEvent: (event) => {
          // Interrupted in the middle of the test (after its first step): nothing of the test starts after it.
          if (event.type === 'step:end' && event.result.name === 'slow') controller.abort();
        },
      },
    );
    expect(trace(run)).toEqual([
      '0 slow passed',
      '1 never skipped',
      `teardown.0 teardown › mark ${name} passed`,
      // Still on its way when the grace period ends: cut, not waited for.
      'teardown.1 teardown › slow cleanup error',
      `teardown.2 teardown › mark ${name}-late skipped`,
    ]);
    expect(await marks()).toMatchObject({ [name]: 1 });
    expect(run.result.status).toBe('interrupted');
    expect(run.result.timedOut).toBeUndefined();
  });
});

describe('run timeout', () => {
  it('stops the run when its time limit passes, runs the teardown and afterAll, and says why', async () => {
    const name = fresh('timeout');
    const run = await runFlows(
      [
        source(scenario({ steps: [get('slow', '/slow?ms=400'), get('never', '/status/200')], teardown: [mark(name)] })),
        source(scenario({ name: 'later', steps: [get('later', '/status/200')] }), 'later.json'),
      ],
      { timeoutRun: 150, hooks: { afterAll: hook({ name: 'clean', steps: [mark(`${name}-after`)] }) } },
    );
    // The request in flight is cut when the time limit passes (it ran to its end and passed, which
    // `sortie run --timeout` never did: an agent's run, with timeoutRun alone, differed from a local one).
    expect(trace(run)).toEqual([
      '0 slow error',
      '1 never skipped',
      `teardown.0 teardown › mark ${name} passed`,
      '0 later skipped',
      `0 mark ${name}-after passed`,
    ]);
    expect(run.result.scenarios.map((s) => s.notRun)).toEqual([undefined, 'interrupted', undefined]);
    expect(run.result.status).toBe('interrupted');
    expect(run.result.timedOut).toBe(true);
    expect(await marks()).toMatchObject({ [name]: 1, [`${name}-after`]: 1 });
    expect(run.events).toContainEqual(
      expect.objectContaining({ type: 'log', level: 'warn', message: expect.stringContaining('--timeout-run') }),
    );
    expect(run.steps[0]?.error).toMatchObject({
      code: 'SORTIE_INTERRUPTED',
      message: expect.stringMatching(/time limit during this request/),
    });
  });
});

describe('run deadline', () => {
  it('reports a request it cut as interrupted, not as a request timeout to raise (the hint said to raise the request timeout)', async () => {
    const run = await runFlows([source(scenario({ steps: [get('slow', '/slow?ms=3000'), get('never', '/status/200')] }))], {
      timeoutRun: 300,
      deadline: Date.now() + 300,
    });
    expect(trace(run)).toEqual(['0 slow error', '1 never skipped']);
    const error = run.steps[0]?.error;
    expect(error).toMatchObject({
      code: 'SORTIE_INTERRUPTED',
      title: 'Interrupted',
      message: expect.stringMatching(/^the run reached its time limit during this request: no response within \d+ ms \(GET http/),
    });
    expect(error?.hint).toContain('--timeout');
    expect(error?.hint).not.toContain('request timeout');
  });

  it('leaves a request that timed out on its own well before the deadline a request timeout', async () => {
    const run = await runFlows([source(scenario({ steps: [{ name: 'slow', request: { url: '{{base}}/slow?ms=3000', timeout: 100 } }] }))], {
      timeoutRun: 5000,
      deadline: Date.now() + 5000,
    });
    expect(run.steps[0]?.error).toMatchObject({ code: 'SORTIE_TIMEOUT', title: 'Request timed out' });
  });
});

describe('scenario setup', () => {
  it('skips the steps when it fails, runs the teardown, and counts as the scenario’s outcome', async () => {
    const name = fresh('setup-failed');
    const run = await runFlow(
      scenario({
        setup: [get('seed', '/status/503', { post: [expectStatus(201)] })],
        steps: [get('test', '/status/200')],
        teardown: [mark(name)],
      }),
    );
    expect(trace(run)).toEqual(['setup.0 setup › seed failed', '0 test skipped', `teardown.0 teardown › mark ${name} passed`]);
    expect(run.steps[0]?.phase).toBe('setup');
    expect(only(run)).toMatchObject({ status: 'failed', teardown: 'passed' });
  });

  it('hands its variables to the steps and the teardown', async () => {
    const run = await runFlow(
      scenario({
        setup: [get('seed', '/flaky/seeded?fail=0', { post: [{ extract: { var: 'seed', jsonpath: '$.key' } }] })],
        steps: [get('use {{seed}}', '/status/200')],
        teardown: [get('drop {{seed}}', '/status/204')],
      }),
    );
    expect(trace(run)).toEqual(['setup.0 setup › seed passed', '0 use seeded passed', 'teardown.0 teardown › drop seeded passed']);
  });
});

describe('container teardown', () => {
  it('runs a group’s teardown after a failed child; its failure is a teardown failure, not the group’s', async () => {
    const name = fresh('group');
    const run = await runFlow(
      scenario({
        options: { onError: 'continue' },
        steps: [
          {
            name: 'g',
            group: {
              steps: [get('inner', '/status/500', { onError: 'end', post: [expectStatus(200)] }), get('skipped', '/status/200')],
              teardown: [mark(name), get('bad cleanup', '/status/500', { post: [expectStatus(204)] })],
            },
          },
        ],
      }),
    );
    expect(trace(run)).toEqual([
      '0.0 g › inner failed',
      '0.1 g › skipped skipped',
      `0.teardown.0 g › teardown › mark ${name} passed`,
      '0.teardown.1 g › teardown › bad cleanup failed',
      '0 g failed',
    ]);
    expect(only(run)).toMatchObject({ status: 'failed', teardown: 'failed' });
    const passing = await runFlow(
      scenario({
        steps: [
          { name: 'g', group: { steps: [get('ok', '/status/200')], teardown: [get('bad', '/status/500', { post: [expectStatus(204)] })] } },
        ],
      }),
    );
    expect(passing.trace.at(-1)).toBe('0 g passed');
    expect(only(passing)).toMatchObject({ status: 'passed', teardown: 'failed' });
  });

  it('runs a loop’s and a forEach’s teardown after each pass, with the pass’s variables', async () => {
    const name = fresh('pass');
    const run = await runFlow(
      scenario({
        steps: [
          { name: 'loop', loop: { count: 2, steps: [get('pass {{index}}', '/status/200')], teardown: [mark(`${name}-{{index}}`)] } },
          {
            name: 'each',
            forEach: {
              items: ['a'],
              steps: [get('item {{item}}', '/status/500', { post: [expectStatus(200)] })],
              teardown: [mark(`${name}-{{item}}`)],
            },
          },
        ],
      }),
    );
    expect(trace(run)).toEqual([
      '0.0.0 loop[0] › pass 0 passed',
      `0.0.teardown.0 loop[0] › teardown › mark ${name}-0 passed`,
      '0.0 loop[0] passed',
      '0.1.0 loop[1] › pass 1 passed',
      `0.1.teardown.0 loop[1] › teardown › mark ${name}-1 passed`,
      '0.1 loop[1] passed',
      '0 loop passed',
      '1.0.0 each[0] › item a failed',
      `1.0.teardown.0 each[0] › teardown › mark ${name}-a passed`,
      '1.0 each[0] failed',
      '1 each failed',
    ]);
    expect(await marks()).toMatchObject({ [`${name}-0`]: 1, [`${name}-1`]: 1, [`${name}-a`]: 1 });
  });
});

describe('project hooks', () => {
  it('runs beforeAll once whatever --parallel, exports its variables to every scenario, and runs afterAll last', async () => {
    const name = fresh('hooks');
    const before = hook({ name: 'seed', steps: [mark(`${name}-before`, { post: [{ extract: { var: 'tenant', jsonpath: '$.name' } }] })] }, [
      'tenant',
    ]);
    const after = hook({ name: 'clean', steps: [mark(`${name}-after`)] });
    const scenarios = ['a', 'b', 'c'].map((n) => source(scenario({ name: n, steps: [mark(`${name}-{{tenant}}-${n}`)] }), `${n}.json`));
    const run = await runFlows(scenarios, { parallel: 3, hooks: { beforeAll: before, afterAll: after } });
    expect(await marks()).toMatchObject({
      [`${name}-before`]: 1,
      [`${name}-after`]: 1,
      [`${name}-${name}-before-a`]: 1,
      [`${name}-${name}-before-b`]: 1,
      [`${name}-${name}-before-c`]: 1,
    });
    expect(run.result.scenarios.map((s) => [s.name, s.hook])).toEqual([
      ['seed', 'beforeAll'],
      ['a', undefined],
      ['b', undefined],
      ['c', undefined],
      ['clean', 'afterAll'],
    ]);
    expect(run.result.status).toBe('passed');
  });

  it('skips every scenario when beforeAll fails, and still runs afterAll', async () => {
    const name = fresh('before-fails');
    const run = await runFlows([source(scenario({ steps: [mark(`${name}-test`)] }))], {
      hooks: {
        beforeAll: hook({ name: 'seed', steps: [get('seed', '/status/500', { post: [expectStatus(201)] })] }),
        afterAll: hook({ name: 'clean', steps: [mark(name)] }),
      },
    });
    expect(run.result.scenarios.map((s) => [s.name, s.status, s.notRun])).toEqual([
      ['seed', 'failed', undefined],
      ['lifecycle', 'skipped', 'beforeAll'],
      ['clean', 'passed', undefined],
    ]);
    expect(await marks()).toMatchObject({ [name]: 1 });
    expect((await marks())[`${name}-test`]).toBeUndefined();
    expect(run.result.status).toBe('failed');
  });

  it('loads what only a hook needs (faker for a dynamic value)', async () => {
    const name = fresh('needs');
    const steps = [{ ...mark(`${name}-{{$person.firstName}}`), post: [{ assert: { status: { equals: 201 } } }] }];
    const run = await runFlows([source(scenario({ steps: [] }))], { seed: 7, hooks: { beforeAll: hook({ name: 'seed', steps }) } });
    expect(run.result.scenarios[0]).toMatchObject({ hook: 'beforeAll', status: 'passed' });
  });

  it('makes beforeAll an error when it did not set a variable it exports', async () => {
    const run = await runFlows([source(scenario({ steps: [] }))], { hooks: { beforeAll: hook({ name: 'seed', steps: [] }, ['token']) } });
    expect(run.result.scenarios[0]).toMatchObject({ status: 'error', error: { code: 'SORTIE_UNRESOLVED_VARIABLE' } });
    expect(run.result.scenarios[0]?.error?.message).toContain('"token"');
  });

  it('runs afterAll after an interrupt', async () => {
    const name = fresh('after-interrupt');
    const controller = new AbortController();
    controller.abort();
    const run = await runFlows([source(scenario({ steps: [mark(`${name}-test`)] }))], {
      signal: controller.signal,
      hooks: { afterAll: hook({ name: 'clean', steps: [mark(name)] }) },
    });
    expect(run.result.scenarios.map((s) => [s.name, s.notRun])).toEqual([
      ['lifecycle', 'interrupted'],
      ['clean', undefined],
    ]);
    expect(await marks()).toMatchObject({ [name]: 1 });
    expect(run.result.status).toBe('interrupted');
  });
});

describe('flaky steps', () => {
  it('marks a step that passed only on a retry as flaky, with its attempts, and counts it', async () => {
    const key = fresh('step');
    const run = await runFlow(
      scenario({
        steps: [
          get('flaky', `/flaky/${key}?fail=1`, { retry: { count: 2, delay: 0 }, post: [expectStatus(200)] }),
          get('steady', '/status/200'),
        ],
      }),
    );
    const step = run.steps[0] as StepResult;
    expect(step).toMatchObject({ status: 'passed', flaky: true });
    expect(step.attempts?.map((a) => a.status)).toEqual([503, 200]);
    expect(run.steps[1]?.flaky).toBeUndefined();
    expect(run.result.totals.flaky).toBe(1);
    expect(run.result.status).toBe('passed');
  });

  it('does not call a step flaky when its retries ran out on the same retried status it began with', async () => {
    // Every attempt answers 503: the step asserts the outage, so it passes, but no retry changed anything.
    const key = fresh('outage');
    const run = await runFlow(
      scenario({ steps: [get('outage', `/flaky/${key}?fail=9`, { retry: { count: 2, delay: 0 }, post: [expectStatus(503)] })] }),
      { failOnFlaky: true },
    );
    const step = run.steps[0] as StepResult;
    expect(step.status).toBe('passed');
    expect(step.attempts?.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(step.flaky).toBeUndefined();
    expect(run.result.totals.flaky ?? 0).toBe(0);
    expect(run.result.status).toBe('passed');
  });

  it('fails the run with failOnFlaky', async () => {
    const key = fresh('strict');
    const run = await runFlow(scenario({ steps: [get('flaky', `/flaky/${key}?fail=1`, { retry: { count: 1, delay: 0 } })] }), {
      failOnFlaky: true,
    });
    expect(only(run).status).toBe('passed');
    expect(run.result).toMatchObject({ status: 'failed', failOnFlaky: true });
  });
});

describe('--retry-failed', () => {
  it('reruns a failed scenario after the run, setup and teardown around it; passing then makes it flaky', async () => {
    const key = fresh('rerun');
    const run = await runFlows(
      [
        source(
          scenario({
            setup: [mark(`${key}-setup`)],
            steps: [get('flaky', `/flaky/${key}?fail=2`, { post: [expectStatus(200)] })],
            teardown: [mark(`${key}-teardown`)],
          }),
        ),
        source(scenario({ name: 'steady', steps: [get('ok', '/status/200')] }), 'steady.json'),
      ],
      { retryFailed: 3 },
    );
    const first = run.result.scenarios[0]!;
    expect(first).toMatchObject({ status: 'passed', flaky: true });
    expect(first.attempts?.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
    ]);
    expect(run.result.scenarios[1]?.attempts).toBeUndefined();
    expect(await marks()).toMatchObject({ [`${key}-setup`]: 3, [`${key}-teardown`]: 3 });
    const starts = run.events.flatMap((e) =>
      e.type === 'scenario:start' ? [`${e.name}${e.attempt === undefined ? '' : ` #${e.attempt}`}`] : [],
    );
    expect(starts).toEqual(['lifecycle', 'steady', 'lifecycle #2', 'lifecycle #3']);
    expect(run.result.status).toBe('passed');
  });

  it('stops after N reruns and keeps the scenario failed', async () => {
    const key = fresh('still');
    const run = await runFlow(scenario({ steps: [get('flaky', `/flaky/${key}?fail=5`, { post: [expectStatus(200)] })] }), {
      retryFailed: 1,
    });
    expect(only(run)).toMatchObject({ status: 'failed', attempts: [{ attempt: 1, status: 'failed' }] });
    expect(only(run).flaky).toBeUndefined();
    expect(run.result.status).toBe('failed');
  });

  it('refuses more reruns than MAX_RETRY_FAILED (1e9 would never end) before anything runs', async () => {
    const key = fresh('too-many');
    for (const times of [1e9, MAX_RETRY_FAILED + 1, -1, 1.5]) {
      await expect(runFlow(scenario({ steps: [mark(key)] }), { retryFailed: times })).rejects.toMatchObject({
        code: ErrorCode.INVALID_INPUT,
        message: `retryFailed expects a whole number from 0 to ${MAX_RETRY_FAILED}, got ${times}`,
      });
    }
    expect((await marks())[key]).toBeUndefined();
    const most = await runFlow(scenario({ steps: [mark(key)] }), { retryFailed: MAX_RETRY_FAILED });
    expect(most.result.status).toBe('passed');
  });
});

function source(value: Record<string, unknown>, file = 'flow.json') {
  return { value: ScenarioSchema.parse(value), file, dir: process.cwd() };
}

function hook(value: Record<string, unknown>, exports?: string[]): PlannedHook {
  const planned: PlannedHook = { scenario: source(scenario(value), 'sortie.config.json') };
  if (exports !== undefined) planned.export = exports;
  return planned;
}
