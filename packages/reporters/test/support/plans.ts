/** The scenario runs the reporter tests drive, from all-green to everything that can go wrong. */
import { ErrorCode, type StepResult } from '@sortie/core';
import { containerStep, failedAssertion, passedAssertion, requestStep, type ScenarioPlan } from './events.js';

export function passingPlan(): ScenarioPlan {
  return {
    name: 'Users API',
    file: 'scenarios/users.json',
    steps: [
      requestStep({
        id: '0',
        name: 'list users',
        assertions: [passedAssertion('status', 'equals', 200), passedAssertion('jsonpath $.ok', 'equals', true)],
        extracted: ['firstUserId'],
      }),
      requestStep({
        id: '1',
        name: 'create user',
        method: 'POST',
        responseStatus: 201,
        assertions: [passedAssertion('status', 'equals', 201)],
      }),
    ],
  };
}

/** Failures, errors, skipped steps, nested containers and text that needs escaping. */
export function failuresPlan(): ScenarioPlan {
  const failed = requestStep({
    id: '0',
    name: 'get order <#1> & "friends"',
    url: 'http://127.0.0.1:4010/orders/1?sort=a&b=<c>',
    responseStatus: 404,
    status: 'failed',
    responseBody: '{"error":"not found \u0007 café ☕ 日本"}',
    assertions: [
      failedAssertion('status', 'equals', 200, 404, 'expected 200 but was 404'),
      passedAssertion('header content-type', 'contains', 'json'),
      failedAssertion('jsonpath $.name', 'equals', 'Zoë & <Ω>', null, 'expected "Zoë & <Ω>" but was null\u0001\u001b[31m ☕'),
    ],
  });
  const errored = requestStep({
    id: '1',
    name: 'refund',
    method: 'POST',
    url: 'http://127.0.0.1:1/refund',
    status: 'error',
    noResponse: true,
    error: {
      code: ErrorCode.NETWORK,
      title: 'Connection refused',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
      hint: 'is the server running?',
    },
  });
  const refused = { code: ErrorCode.NETWORK, title: 'Connection refused', message: 'connect ECONNREFUSED 127.0.0.1:1' };
  errored.attempts = [
    { attempt: 1, error: refused, durationMs: 2, delayMs: 0 },
    { attempt: 2, error: refused, durationMs: 2, delayMs: 100 },
    { attempt: 3, error: refused, durationMs: 2, delayMs: 200 },
  ];
  // A group whose children are emitted one by one (between the group's step:start and step:end).
  const child1 = requestStep({ id: '2.0', name: 'login', path: ['checkout'], assertions: [passedAssertion('status', 'equals', 200)] });
  child1.logs = [
    { level: 'log', message: 'token length 32', script: 'login.post[0]' },
    { level: 'warn', message: 'slow login:\nsecond line', script: 'login.post[0]' },
  ];
  const child2 = requestStep({
    id: '2.1',
    name: 'pay 💳',
    path: ['checkout'],
    status: 'failed',
    assertions: [failedAssertion('jsonpath $.paid', 'equals', true, false, 'expected true but was false')],
  });
  const group = containerStep('2', 'checkout', 'group', [child1, child2]);
  // A loop emitted only as one result with its iterations nested.
  const loop = containerStep('3', 'poll', 'loop', [
    requestStep({ id: '3.0', name: 'status', path: ['poll', 'loop[0]'] }),
    requestStep({ id: '3.1', name: 'status', path: ['poll', 'loop[1]'] }),
  ]);
  const skipped = requestStep({ id: '4', name: 'cleanup', status: 'skipped' });
  return {
    name: 'Orders <&> "quoted"',
    file: 'scenarios/orders & more.json',
    steps: [failed, errored, group, loop, skipped],
    nestedOnly: ['3'],
    leaves: [failed, errored, child1, child2, ...(loop.children ?? []), skipped],
  };
}

/**
 * Every kind of nesting: a group holding a step and an if (its else branch), a loop of two passes
 * (each a probe and a wait; the second probe fails), a forEach over nothing, then a last step.
 */
export function nestedPlan(): ScenarioPlan {
  const login = requestStep({ id: '0.0', name: 'login', path: ['setup'], method: 'POST', responseBody: '{"token":"t"}' });
  const fallback = requestStep({ id: '0.1.0', name: 'guest', path: ['setup', 'admin?', 'else'], url: 'http://127.0.0.1:4010/guest' });
  const setup = containerStep('0', 'setup', 'group', [login, containerStep('0.1', 'admin?', 'if', [fallback], ['setup'])]);
  const pass = (n: number, failed: boolean): StepResult => {
    const probe = requestStep({
      id: `1.${n}.0`,
      name: 'probe',
      path: [`poll[${n}]`],
      url: `http://127.0.0.1:4010/probe?n=${n}`,
      responseBody: `{"ready":${failed ? 'false' : 'true'}}`,
      status: failed ? 'failed' : 'passed',
      assertions: [
        failed
          ? failedAssertion('jsonpath $.ready', 'equals', true, false, 'expected true but was false')
          : passedAssertion('status', 'equals', 200),
      ],
    });
    const settle: StepResult = { ...containerStep(`1.${n}.1`, 'settle', 'wait', undefined, [`poll[${n}]`]), status: 'passed' };
    return containerStep(`1.${n}`, `poll[${n}]`, 'iteration', [probe, settle]);
  };
  const poll = containerStep('1', 'poll', 'loop', [pass(0, false), pass(1, true)]);
  const each = { ...containerStep('2', 'each', 'forEach', []), status: 'passed' as const };
  const after = requestStep({ id: '3', name: 'after', url: 'http://127.0.0.1:4010/after' });
  const leaves = [login, fallback, ...(poll.children ?? []).flatMap((p) => p.children ?? []), after];
  return { name: 'Nested', file: 'scenarios/nested.json', steps: [setup, poll, each, after], leaves };
}

export function loadErrorPlan(): ScenarioPlan {
  return {
    name: 'broken',
    file: 'scenarios/broken.json',
    steps: [],
    error: {
      code: ErrorCode.INVALID_INPUT,
      title: 'Invalid scenario',
      message: 'expected an array at $.steps',
      hint: 'steps must be a list',
      location: { file: 'scenarios/broken.json', line: 3, column: 12, path: '$.steps' },
    },
  };
}

export function iterationPlan(iteration: number): ScenarioPlan {
  return {
    name: 'Data driven',
    file: 'scenarios/data.json',
    iteration,
    steps: [requestStep({ id: '0', name: `row ${iteration}`, url: `http://127.0.0.1:4010/rows/${iteration}` })],
  };
}

/** Two scenario runs meant to run in parallel. */
export function parallelPlans(): [ScenarioPlan, ScenarioPlan] {
  const a: ScenarioPlan = {
    name: 'Alpha',
    file: 'scenarios/alpha.json',
    steps: ['a1', 'a2', 'a3'].map((name, i) => requestStep({ id: String(i), name, url: `http://127.0.0.1:4010/alpha/${i}` })),
  };
  const b: ScenarioPlan = {
    name: 'Beta',
    file: 'scenarios/beta.json',
    steps: [
      requestStep({ id: '0', name: 'b1', url: 'http://127.0.0.1:4010/beta/0' }),
      requestStep({
        id: '1',
        name: 'b2',
        url: 'http://127.0.0.1:4010/beta/1',
        status: 'failed',
        assertions: [failedAssertion('status', 'equals', 201, 200, 'expected 201 but was 200')],
      }),
    ],
  };
  return [a, b];
}
