import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowServer, startFlowServer } from './support/flow-server.js';
import { runFlow } from './support/run-flow.js';

let server: FlowServer;
beforeAll(async () => {
  server = await startFlowServer();
});
afterAll(() => server.close());

const ok = (name: string) => ({ name, request: { url: '{{base}}/status/200' } });
const fail = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  request: { url: '{{base}}/status/500' },
  post: [{ assert: { status: { equals: 200 } } }],
  ...extra,
});

function scenario(steps: unknown[], options: Record<string, unknown> = {}) {
  return { name: 'policies', variables: { base: server.url }, options, steps };
}

describe('on-error policies', () => {
  it('end (the default) skips every remaining step, at each level', async () => {
    const run = await runFlow(scenario([{ name: 'g', group: { steps: [fail('bad'), ok('after in group')] } }, ok('after')]));
    expect(run.trace).toEqual(['0.0 g › bad failed', '0.1 g › after in group skipped', '0 g failed', '1 after skipped']);
    expect(run.result.totals).toMatchObject({ steps: 3, failed: 1, skipped: 2 });
    expect(run.result.status).toBe('failed');
  });

  it('continue goes on and the scenario fails', async () => {
    const run = await runFlow(scenario([fail('bad'), ok('next')], { onError: 'continue' }));
    expect(run.trace).toEqual(['0 bad failed', '1 next passed']);
    expect(run.result.status).toBe('failed');
  });

  it('ignore goes on and the step does not fail the scenario or its container', async () => {
    const run = await runFlow(scenario([{ name: 'g', group: { steps: [fail('flaky', { onError: 'ignore' }), ok('next')] } }]));
    expect(run.trace).toEqual(['0.0 g › flaky failed ignored', '0.1 g › next passed', '0 g passed']);
    expect(run.result.status).toBe('passed');
    expect(run.result.totals).toMatchObject({ passed: 2, failed: 0 });
  });

  it('break leaves the innermost loop and the scenario goes on', async () => {
    const run = await runFlow(
      scenario([{ name: 'l', loop: { count: 3, steps: [ok('a'), fail('b', { onError: 'break' }), ok('c')] } }, ok('after')]),
    );
    expect(run.trace).toEqual(['0.0.0 l[0] › a passed', '0.0.1 l[0] › b failed', '0.0 l[0] failed', '0 l failed', '1 after passed']);
  });

  it('break outside a loop ends the scenario like end', async () => {
    const run = await runFlow(scenario([fail('b', { onError: 'break' }), ok('after')]));
    expect(run.trace).toEqual(['0 b failed', '1 after skipped']);
  });

  it('a container\u2019s onError is the default of the steps inside it', async () => {
    const run = await runFlow(
      scenario([{ name: 'g', onError: 'continue', group: { steps: [fail('bad'), ok('still runs')] } }, ok('after')]),
    );
    expect(run.trace).toEqual(['0.0 g › bad failed', '0.1 g › still runs passed', '0 g failed', '1 after passed']);
  });

  it('--bail stops the whole run at the first failed step, even with continue', async () => {
    const run = await runFlow(scenario([{ name: 'l', loop: { count: 3, steps: [fail('bad')] } }, ok('after')], { onError: 'continue' }), {
      bail: true,
      iterations: 2,
    });
    // The second iteration never starts: it is reported, its steps skipped, and the run says it bailed.
    expect(run.trace).toEqual([
      '0.0.0 l[0] › bad failed',
      '0.0 l[0] failed',
      '0 l failed',
      '1 after skipped',
      '0 l skipped',
      '1 after skipped',
    ]);
    expect(run.result.scenarios.map((s) => [s.iteration, s.status, s.notRun])).toEqual([
      [0, 'failed', undefined],
      [1, 'skipped', 'bail'],
    ]);
    expect(run.result).toMatchObject({ status: 'failed', bailed: true });
    expect(run.result.totals).toMatchObject({ steps: 4, failed: 1, skipped: 3 });
  });

  it('an interrupt ends the running wait early as an error (it did not wait) and reports the steps that did not start as skipped', async () => {
    const controller = new AbortController();
    const run = await runFlow(scenario([ok('first'), { name: 'long wait', wait: 60_000 }, ok('never')]), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'step:start' && event.name === 'long wait') setTimeout(() => controller.abort(), 10);
      },
    });
    expect(run.trace).toEqual(['0 first passed', '1 long wait error', '2 never skipped']);
    expect(run.steps.find((step) => step.name === 'long wait')?.error).toMatchObject({
      code: 'SORTIE_INTERRUPTED',
      message: expect.stringMatching(/^the run was interrupted during this wait, after \d+ of 60000 ms$/),
    });
    expect(run.result.status).toBe('interrupted');
    // A run interrupted before it starts lists its scenario, not run, its steps skipped.
    const after = await runFlow(scenario([ok('first')]), { signal: controller.signal });
    expect(after.trace).toEqual(['0 first skipped']);
    expect(after.result.scenarios).toMatchObject([{ status: 'skipped', notRun: 'interrupted' }]);
    expect(after.result.status).toBe('interrupted');
  });
  it('an interrupt between two passes of a loop reports the next pass as skipped: the loop did not finish', async () => {
    const controller = new AbortController();
    const run = await runFlow(scenario([{ name: 'poll', loop: { count: 5, steps: [{ name: 'tick', wait: 5 }] } }]), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'step:end' && event.result.name === 'tick') controller.abort();
      },
    });
    expect(run.trace).toEqual(['0.0.0 poll[0] › tick passed', '0.0 poll[0] passed', '0.1 poll[1] skipped', '0 poll passed']);
    expect(run.result.totals).toMatchObject({ steps: 2, passed: 1, skipped: 1 });
    expect(run.result.status).toBe('interrupted');
    const each = await runFlow(scenario([{ name: 'each', forEach: { items: [1, 2], steps: [{ name: 'tick', wait: 10 }] } }]), {
      signal: controller.signal,
    });
    expect(each.trace).toEqual(['0 each skipped']);
  });
});

describe('container processors and own problems', () => {
  it('a failed post assertion on a group fails the group itself and counts as a step', async () => {
    const run = await runFlow(scenario([{ name: 'g', group: { steps: [ok('a')] }, post: [{ assert: { status: { equals: 201 } } }] }]));
    expect(run.steps.at(-1)).toMatchObject({ id: '0', status: 'failed' });
    expect(run.result.totals).toMatchObject({ steps: 2, passed: 1, failed: 1, assertions: 1, failedAssertions: 1 });
  });
});

describe('inherited auth', () => {
  it('passes the scenario auth and a group\u2019s auth down to the requests inside', async () => {
    const run = await runFlow({
      name: 'auth',
      variables: { base: server.url },
      auth: { type: 'bearer', token: 'scenario-token' },
      steps: [
        {
          name: 'plain',
          request: { url: '{{base}}/headers' },
          post: [{ assert: { jsonpath: { path: '$.authorization', equals: 'Bearer scenario-token' } } }],
        },
        {
          name: 'g',
          group: {
            auth: { type: 'bearer', token: 'group-token' },
            steps: [
              {
                name: 'inner',
                request: { url: '{{base}}/headers' },
                post: [{ assert: { jsonpath: { path: '$.authorization', equals: 'Bearer group-token' } } }],
              },
            ],
          },
        },
      ],
    });
    expect(run.trace).toEqual(['0 plain passed', '1.0 g › inner passed', '1 g passed']);
  });
});
