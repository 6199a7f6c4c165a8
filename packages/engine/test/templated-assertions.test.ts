import { ErrorCode, type StepStartEvent } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowServer, startFlowServer } from './support/flow-server.js';
import { ifStep, runFlow } from './support/run-flow.js';

let server: FlowServer;
beforeAll(async () => {
  server = await startFlowServer();
});
afterAll(() => server.close());

function echo(name: string, query: Record<string, string>, post: unknown[]) {
  return { name, request: { url: `${server.url}/echo`, query }, post };
}

describe('expected values are templates', () => {
  it('compares with the variable, keeping its type when the value is exactly one template', async () => {
    const run = await runFlow({
      name: 'typed',
      variables: { id: 2, who: 'ann', code: 200, ids: [1, 2, 3] },
      steps: [
        {
          name: 'items',
          request: { url: `${server.url}/items` },
          post: [
            { assert: { status: { equals: '{{code}}' } } },
            { assert: { jsonpath: { path: '$.items[1].id', equals: '{{id}}' } } },
            { assert: { jsonpath: { path: '$.items[*].id', contains: '{{id}}', equals: '{{ids}}' } } },
            { assert: { jsonpath: { path: '$.items[2].id', gt: '{{id}}', oneOf: ['{{id}}', 3] } } },
          ],
        },
        echo('text', { greeting: 'hello ann' }, [
          { assert: { jsonpath: { path: '$.greeting', equals: 'hello {{who}}', matches: '^hello {{who}}$' } } },
        ]),
      ],
    });
    const assertions = run.steps.flatMap((s) => s.assertions);
    expect(assertions.filter((a) => !a.passed)).toEqual([]);
    expect(assertions.map((a) => a.expected)).toEqual([200, 2, [1, 2, 3], 2, 2, [2, 3], 'hello ann', '^hello ann$']);
  });

  it('fails a number against a template of mixed text, which renders a string', async () => {
    const run = await runFlow({
      name: 'mixed',
      variables: { code: 200 },
      steps: [{ name: 'items', request: { url: `${server.url}/items` }, post: [{ assert: { status: { equals: '{{code}} ' } } }] }],
    });
    expect(run.steps[0]?.assertions[0]).toMatchObject({ passed: false, expected: '200 ' });
  });

  it('turns a CSV cell into a number with the number filter', async () => {
    const run = await runFlow(
      {
        name: 'rows',
        steps: [{ request: { url: `${server.url}/status/{{code}}` }, post: [{ assert: { status: { equals: '{{code | number}}' } } }] }],
      },
      { iterationData: [{ code: '201' }, { code: '404' }] },
    );
    expect(run.steps.map((s) => [s.status, s.assertions[0]?.expected])).toEqual([
      ['passed', 201],
      ['passed', 404],
    ]);
  });

  it('writes a literal {{ with \\{{', async () => {
    const run = await runFlow({
      name: 'literal',
      steps: [echo('braces', { t: '{{x}}'.replace('{{', '\\{{') }, [{ assert: { jsonpath: { path: '$.t', equals: '\\{{x}}' } } }])],
    });
    expect(server.requests.at(-1)).toBe('GET /echo?t=%7B%7Bx%7D%7D');
    expect(run.steps[0]?.assertions[0]).toMatchObject({ passed: true, expected: '{{x}}' });
  });

  it('makes the step an error when an expected value names an unknown variable', async () => {
    const run = await runFlow({
      name: 'unresolved',
      steps: [echo('missing', { a: '1' }, [{ assert: { jsonpath: { path: '$.a', equals: '{{nope}}' } } }])],
    });
    expect(run.steps[0]?.status).toBe('error');
    expect(run.steps[0]?.error?.code).toBe(ErrorCode.UNRESOLVED_VARIABLE);
  });

  it('renders expected values of conditions, with the variables of that moment', async () => {
    const run = await runFlow({
      name: 'condition',
      variables: { code: 200 },
      steps: [
        { name: 'items', request: { url: `${server.url}/items` }, post: [{ extract: { var: 'second', jsonpath: '$.items[1].name' } }] },
        ifStep({ jsonpath: { path: '$.items[1].name', equals: '{{second}}' } }, [echo('then', { b: '1' }, [])]),
      ],
    });
    expect(run.trace).toEqual(['0 items passed', '1.0 if › then passed', '1 if passed']);
  });
});

describe('step names are templates', () => {
  it('renders a name per iteration; step:start and step:end agree', async () => {
    const run = await runFlow(
      { name: 'names', steps: [echo('login as {{user}}', { u: '{{user}}' }, [])] },
      { iterationData: [{ user: 'ann' }, { user: 'bob' }] },
    );
    const starts = run.events.filter((e): e is StepStartEvent => e.type === 'step:start').map((e) => e.name);
    expect(starts).toEqual(['login as ann', 'login as bob']);
    expect(run.steps.map((s) => s.name)).toEqual(starts);
  });

  it('keeps an unresolved part as written and never fails the step for its name', async () => {
    const run = await runFlow({
      name: 'names',
      variables: { user: 'ann' },
      steps: [echo('{{user}} and {{nobody}}', {}, []), echo('bad {{user | format("YYYY")}}', {}, [])],
    });
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ['ann and {{nobody}}', 'passed'],
      ['bad {{user | format("YYYY")}}', 'passed'],
    ]);
  });

  it('redacts a secret a name renders', async () => {
    const run = await runFlow({
      name: 'secret',
      steps: [
        {
          name: 'login',
          request: { url: `${server.url}/echo`, query: { t: 'tok-123456' } },
          post: [{ extract: { var: 'token', jsonpath: '$.t' } }],
        },
        echo('use {{token}}', {}, []),
      ],
    });
    expect(run.steps[1]?.name).toBe('use [REDACTED]');
  });

  it('renders the names of steps inside a loop with the item of each iteration', async () => {
    const run = await runFlow({
      name: 'loop',
      steps: [{ name: 'users', forEach: { items: ['ann', 'bob'], as: 'u', steps: [echo('hello {{u}}', { u: '{{u}}' }, [])] } }],
    });
    expect(run.trace.filter((t) => t.includes('hello'))).toEqual([
      '0.0.0 users[0] › hello ann passed',
      '0.1.0 users[1] › hello bob passed',
    ]);
  });
});
