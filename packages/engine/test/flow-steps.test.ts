import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowServer, startFlowServer } from './support/flow-server.js';
import { ifStep, runFlow } from './support/run-flow.js';

let server: FlowServer;
let dir: string;
beforeAll(async () => {
  server = await startFlowServer();
  dir = mkdtempSync(join(tmpdir(), 'sortie-flow-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const echo = (name: string, query: Record<string, string>) => ({ name, request: { url: '{{base}}/echo', query } });

function scenario(steps: unknown[], extra: Record<string, unknown> = {}) {
  return { name: 'flow', ...extra, variables: { base: server.url, ...((extra.variables as object) ?? {}) }, steps };
}

describe('group', () => {
  it('runs its children under its name with hierarchical ids, children ending before the group', async () => {
    const run = await runFlow(scenario([{ name: 'setup', group: { steps: [echo('one', { n: '1' }), echo('two', { n: '2' })] } }]));
    expect(run.trace).toEqual(['0.0 setup › one passed', '0.1 setup › two passed', '0 setup passed']);
    const group = run.steps.at(-1)!;
    expect(group.children?.map((c) => c.id)).toEqual(['0.0', '0.1']);
    expect(group.children?.[0]?.request).toBeUndefined(); // the container keeps light copies
    expect(run.result.totals).toMatchObject({ steps: 2, requests: 2, passed: 2 });
  });

  it('emits step:start of a container before its children and step:end after them', async () => {
    const run = await runFlow(scenario([{ name: 'g', group: { steps: [echo('a', {})] } }]));
    const order = run.events
      .filter((e) => e.type === 'step:start' || e.type === 'step:end')
      .map((e) => `${e.type} ${e.type === 'step:start' ? e.id : e.result.id}`);
    expect(order).toEqual(['step:start 0', 'step:start 0.0', 'step:end 0.0', 'step:end 0']);
  });

  it('runs pre-processors before and post-processors after the children, reading the last response', async () => {
    const run = await runFlow(
      scenario([
        {
          name: 'g',
          pre: [{ assert: { variable: { name: 'base', exists: true } } }],
          group: { steps: [echo('a', { v: 'inside' })] },
          post: [{ extract: { var: 'seen', jsonpath: '$.v' } }, { assert: { variable: { name: 'seen', equals: 'inside' } } }],
        },
        echo('after', { seen: '{{seen}}' }),
      ]),
    );
    expect(run.result.status).toBe('passed');
    expect(server.requests.at(-1)).toBe('GET /echo?seen=inside');
    expect(run.result.totals.assertions).toBe(2);
  });
});

describe('if / else', () => {
  it('takes then when an expression holds and else when it does not', async () => {
    const steps = () => [ifStep({ expression: '{{n}} < 3' }, [echo('small', {})], [echo('big', {})], { name: 'check' })];
    const small = await runFlow(scenario(steps(), { variables: { n: 1 } }));
    expect(small.trace).toEqual(['0.0 check › small passed', '0 check passed']);
    const big = await runFlow(scenario(steps(), { variables: { n: 10 } }));
    expect(big.trace).toEqual(['0.0 check › else › big passed', '0 check passed']);
  });

  it('evaluates an assertion-shaped condition on the last response', async () => {
    const run = await runFlow(
      scenario([
        { name: 'probe', request: { url: '{{base}}/status/404' } },
        ifStep({ status: { equals: 404 } }, [echo('create', {})], undefined, { name: 'missing?' }),
      ]),
    );
    expect(run.trace).toContain('1.0 missing? › create passed');
  });

  it('makes the if step an error when the condition names an unknown variable', async () => {
    const run = await runFlow(scenario([ifStep({ expression: '{{nope}} == 1' }, [echo('x', {})], undefined, { name: 'c' })]));
    expect(run.steps[0]).toMatchObject({ id: '0', status: 'error', error: { code: 'SORTIE_UNRESOLVED_VARIABLE' } });
    expect(run.result.totals).toMatchObject({ steps: 1, errors: 1 });
  });
});

describe('loop', () => {
  it('runs count passes with the index variable and names iterations loop[n]', async () => {
    const run = await runFlow(scenario([{ name: 'poll', loop: { count: 3, steps: [echo('ping', { i: '{{index}}' })] } }]));
    expect(run.trace).toEqual([
      '0.0.0 poll[0] › ping passed',
      '0.0 poll[0] passed',
      '0.1.0 poll[1] › ping passed',
      '0.1 poll[1] passed',
      '0.2.0 poll[2] › ping passed',
      '0.2 poll[2] passed',
      '0 poll passed',
    ]);
    expect(server.requests.slice(-3)).toEqual(['GET /echo?i=0', 'GET /echo?i=1', 'GET /echo?i=2']);
    expect(run.result.totals.steps).toBe(3);
  });

  it('takes its count from a template', async () => {
    const run = await runFlow(
      scenario([{ name: 'l', loop: { count: '{{times}}', steps: [echo('x', {})] } }], { variables: { times: '2' } }),
    );
    expect(run.result.totals.requests).toBe(2);
  });

  it('loops while a condition holds, reading what the passes changed', async () => {
    const run = await runFlow(
      scenario(
        [
          {
            name: 'until 3',
            loop: {
              while: { expression: '{{count}} < 3' },
              steps: [
                {
                  name: 'bump',
                  request: { method: 'POST', url: '{{base}}/counter/while' },
                  post: [{ extract: { var: 'count', jsonpath: '$.count' } }],
                },
              ],
            },
          },
        ],
        { variables: { count: 0 } },
      ),
    );
    expect(run.result.totals.requests).toBe(3);
    expect(server.counters.get('while')).toBe(3);
  });

  it('stops a while loop at its hard maximum with an error of the loop', async () => {
    const run = await runFlow(scenario([{ name: 'forever', loop: { while: { expression: 'true' }, max: 2, steps: [echo('x', {})] } }]));
    const loop = run.steps.at(-1)!;
    expect(loop).toMatchObject({ id: '0', status: 'error', error: { title: 'Loop limit' } });
    expect(loop.children).toHaveLength(2);
    expect(loop.error?.message).toBe('the loop condition still held after 2 passes');
    expect(run.result.status).toBe('error');
  });

  it('counts one pass in the singular in the loop limit errors (max: 1)', async () => {
    const run = await runFlow(scenario([{ name: 'forever', loop: { while: { expression: 'true' }, max: 1, steps: [echo('x', {})] } }]));
    expect(run.steps.at(-1)?.error?.message).toBe('the loop condition still held after 1 pass');
    const counted = await runFlow(scenario([{ name: 'three', loop: { count: 3, max: 1, steps: [echo('x', {})] } }]));
    expect(counted.steps.at(-1)?.error?.message).toBe('the loop count 3 is above its maximum of 1 pass');
  });

  it('names nested loop passes readably and restores the outer index after the inner loop', async () => {
    const run = await runFlow(
      scenario([
        {
          name: 'outer',
          group: {
            steps: [
              {
                name: 'rows',
                loop: {
                  count: 2,
                  steps: [
                    { name: 'cols', loop: { count: 2, index: 'j', steps: [echo('cell', { cell: '{{index}}-{{j}}' })] } },
                    echo('row end', { row: '{{index}}' }),
                  ],
                },
              },
            ],
          },
        },
      ]),
    );
    expect(run.trace).toContain('0.0.1.0.1.0 outer › rows[1] › cols[1] › cell passed');
    expect(server.requests.slice(-6)).toEqual([
      'GET /echo?cell=0-0',
      'GET /echo?cell=0-1',
      'GET /echo?row=0',
      'GET /echo?cell=1-0',
      'GET /echo?cell=1-1',
      'GET /echo?row=1',
    ]);
  });
});

describe('forEach', () => {
  it('iterates a variable holding an array, with item and index variables', async () => {
    const run = await runFlow(
      scenario([{ name: 'each', forEach: { items: '{{users}}', as: 'user', steps: [echo('u', { u: '{{user}}', i: '{{index}}' })] } }], {
        variables: { users: ['ann', 'bob'] },
      }),
    );
    expect(run.result.totals.requests).toBe(2);
    expect(server.requests.slice(-2)).toEqual(['GET /echo?u=ann&i=0', 'GET /echo?u=bob&i=1']);
    expect(run.trace).toContain('0.1.0 each[1] › u passed');
  });

  it('iterates a JSON array literal whose strings are templates', async () => {
    await runFlow(
      scenario([{ forEach: { items: ['plain', '{{who}}'], steps: [echo('e', { v: '{{item}}' })] } }], { variables: { who: 'zed' } }),
    );
    expect(server.requests.slice(-2)).toEqual(['GET /echo?v=plain', 'GET /echo?v=zed']);
  });

  it('iterates a jsonpath into the last response, and into a variable with from', async () => {
    const run = await runFlow(
      scenario([
        { name: 'list', request: { url: '{{base}}/items' }, post: [{ extract: { var: 'list', jsonpath: '$' } }] },
        { name: 'ids', forEach: { items: { jsonpath: '$.items[*].id' }, as: 'id', steps: [echo('get', { id: '{{id}}' })] } },
        { name: 'names', forEach: { items: { jsonpath: '$.items', from: 'list' }, steps: [echo('name', { name: '{{item.name}}' })] } },
      ]),
    );
    expect(run.result.status).toBe('passed');
    expect(server.requests.slice(-6)).toEqual([
      'GET /echo?id=1',
      'GET /echo?id=2',
      'GET /echo?id=3',
      'GET /echo?name=a',
      'GET /echo?name=b',
      'GET /echo?name=c',
    ]);
  });

  it('is an error, not a request with another id, when a jsonpath item is a number JSON.parse changes', async () => {
    const sent = server.requests.length;
    const run = await runFlow(
      scenario([
        { name: 'list', request: { url: '{{base}}/big-ids' } },
        { name: 'ids', forEach: { items: { jsonpath: '$.ids[*]' }, as: 'id', steps: [echo('get', { id: '{{id}}' })] } },
      ]),
    );
    expect(run.steps[1]).toMatchObject({ status: 'error', error: { code: 'SORTIE_SELECTOR', title: 'Inexact number' } });
    expect(run.steps[1]?.error?.message).toMatch(/^Cannot evaluate forEach: jsonpath \$\.ids\[\*\]: the response has this number/);
    expect(server.requests.slice(sent)).toEqual(['GET /big-ids']);
  });

  it('is an error when the items are not an array', async () => {
    const run = await runFlow(scenario([{ name: 'bad', forEach: { items: '{{base}}', steps: [echo('x', {})] } }]));
    expect(run.steps[0]).toMatchObject({ status: 'error', error: { code: 'SORTIE_SELECTOR', title: 'Not a list' } });
    const objects = await runFlow(
      scenario(
        [
          { name: 'object', forEach: { items: '{{o}}', steps: [echo('x', {})] }, onError: 'continue' },
          { name: 'null', forEach: { items: '{{n}}', steps: [echo('x', {})] } },
        ],
        { variables: { o: { a: 1 }, n: null } },
      ),
    );
    expect(objects.steps.map((step) => step.error?.message)).toEqual([
      'forEach: "{{o}}" gave an object, not an array',
      'forEach: "{{n}}" gave null, not an array',
    ]);
  });

  it('says where text meant as a JSON array cannot be read, instead of "a string"', async () => {
    const run = await runFlow(
      scenario(
        [
          { name: 'cut', forEach: { items: '{{cut}}', steps: [echo('x', {})] }, onError: 'continue' },
          { name: 'lines', forEach: { items: '{{lines}}', steps: [echo('x', {})] } },
        ],
        { variables: { cut: '[1,2', lines: '[\n  1,\n  {"a" 2}\n]' } },
      ),
    );
    expect(run.steps.map((step) => [step.status, step.error?.title, step.error?.message])).toEqual([
      [
        'error',
        'Not a list',
        'forEach: "{{cut}}" gave text that is not valid JSON: expected "]" to close the array (line 1, column 5 of the text)',
      ],
      [
        'error',
        'Not a list',
        'forEach: "{{lines}}" gave text that is not valid JSON: expected ":" after the property name (line 3, column 8 of the text)',
      ],
    ]);
  });
});

describe('break', () => {
  it('leaves the innermost loop only, when its condition holds', async () => {
    const run = await runFlow(
      scenario([
        {
          name: 'outer',
          loop: {
            count: 2,
            index: 'o',
            steps: [
              {
                name: 'inner',
                loop: {
                  count: 5,
                  steps: [{ name: 'stop at 2', break: { expression: '{{index}} >= 2' } }, echo('tick', { o: '{{o}}', i: '{{index}}' })],
                },
              },
            ],
          },
        },
      ]),
    );
    expect(run.result.totals.requests).toBe(4);
    expect(server.requests.slice(-4)).toEqual(['GET /echo?o=0&i=0', 'GET /echo?o=0&i=1', 'GET /echo?o=1&i=0', 'GET /echo?o=1&i=1']);
    expect(run.result.status).toBe('passed');
  });

  it('leaves a loop at once with break: true inside an if', async () => {
    const run = await runFlow(
      scenario([
        {
          name: 'l',
          loop: { count: 10, steps: [ifStep({ expression: '{{index}} == 1' }, [{ break: true }]), echo('x', {})] },
        },
      ]),
    );
    expect(run.result.totals.requests).toBe(1);
  });
});

describe('wait', () => {
  it('waits a number or a templated number of milliseconds, and rejects a non-number', async () => {
    const run = await runFlow(
      scenario([{ wait: 1 }, { wait: '{{ms}}' }, { name: 'bad wait', wait: '{{base}}' }], {
        variables: { ms: 2 },
        options: { onError: 'continue' },
      }),
    );
    expect(run.trace.slice(0, 2)).toEqual(['0 wait 1 ms passed', '1 wait {{ms}} passed']);
    expect(run.steps[2]).toMatchObject({ status: 'error', error: { title: 'Invalid wait' } });
  });

  it('holds a templated wait to the rules of a literal one: a whole number of ms from 0 to 2^53 - 1', async () => {
    const run = await runFlow(
      scenario(
        [
          { name: 'exponent', wait: '{{e}}' },
          { name: 'fraction', wait: '{{f}}' },
          { name: 'huge', wait: '{{h}}' },
          { name: 'negative', wait: '{{n}}' },
          { name: 'huge number', wait: '{{hn}}' },
          { name: 'hex', wait: '{{x}}' },
        ],
        {
          variables: { e: '1e1', f: '2.5', h: '99999999999999999999999', n: '-1', hn: 1e300, x: '0x10' },
          options: { onError: 'continue' },
        },
      ),
    );
    expect(run.trace[0]).toBe('0 exponent passed');
    const errors = run.steps.slice(1).map((step) => [step.name, step.status, step.error?.title, step.error?.message]);
    expect(errors).toEqual([
      ['fraction', 'error', 'Invalid wait', 'wait "{{f}}" gave "2.5": expected an integer, got 2.5'],
      ['huge', 'error', 'Invalid wait', 'wait "{{h}}" gave "99999999999999999999999": expected an integer <= 9007199254740991, got 1e+23'],
      ['negative', 'error', 'Invalid wait', 'wait "{{n}}" gave "-1": expected a number >= 0, got -1'],
      ['huge number', 'error', 'Invalid wait', 'wait "{{hn}}" gave 1e+300: expected an integer <= 9007199254740991, got 1e+300'],
      ['hex', 'error', 'Invalid wait', 'wait "{{x}}" gave "0x10", not a number of milliseconds'],
    ]);
  });
});

describe('include', () => {
  it('runs another file with variables passed in and exported variables copied back out', async () => {
    writeFileSync(
      join(dir, 'login.json'),
      JSON.stringify({
        name: 'login',
        variables: { user: 'default', greeting: 'hi {{user}}' },
        steps: [
          {
            name: 'whoami',
            request: { url: '{{base}}/echo', query: { user: '{{user}}', g: '{{greeting}}' } },
            post: [{ extract: { var: 'token', jsonpath: '$.user' } }],
          },
        ],
      }),
    );
    const run = await runFlow(
      scenario(
        [
          { name: 'sign in', include: { file: 'login.json', variables: { base: '{{base}}', user: '{{who}}' }, export: ['token'] } },
          echo('use', { token: '{{token}}' }),
        ],
        { variables: { who: 'ann' } },
      ),
      { dir, include: ['login.json'] },
    );
    expect(run.result.status).toBe('passed');
    expect(run.trace[0]).toBe('0.0 sign in › whoami passed');
    expect(server.requests.slice(-2)).toEqual(['GET /echo?user=ann&g=hi%20ann', 'GET /echo?token=ann']);
    expect(run.steps[1]).toMatchObject({ id: '0', kind: 'include', extracted: ['token'] });
  });

  it('keeps the caller\u2019s local variables out of the included file and its locals out of the caller', async () => {
    writeFileSync(
      join(dir, 'leaky.json'),
      JSON.stringify({ name: 'leaky', steps: [{ request: { url: '{{base}}/echo', query: { x: '{{secretLocal}}' } } }] }),
    );
    const run = await runFlow(
      scenario([
        { request: { url: '{{base}}/echo', query: { a: '1' } }, post: [{ extract: { var: 'secretLocal', jsonpath: '$.a' } }] },
        { name: 'inc', include: { file: 'leaky.json', variables: { base: '{{base}}' } } },
      ]),
      { dir, include: ['leaky.json'] },
    );
    expect(run.steps.find((s) => s.id === '1.0')).toMatchObject({ status: 'error', error: { code: 'SORTIE_UNRESOLVED_VARIABLE' } });
  });

  it('is an error of the step when the file is not among the validated includes or an export was not set', async () => {
    writeFileSync(join(dir, 'noop.json'), JSON.stringify({ name: 'noop', steps: [] }));
    const run = await runFlow(
      scenario(
        [
          { name: 'missing', include: { file: 'nope.json' } },
          { name: 'no export', include: { file: 'noop.json', export: ['x'] } },
        ],
        { options: { onError: 'continue' } },
      ),
      { dir, include: ['noop.json'] },
    );
    expect(run.steps.map((s) => s.error?.code)).toEqual(['SORTIE_FILE_NOT_FOUND', 'SORTIE_UNRESOLVED_VARIABLE']);
    expect(run.result.totals).toMatchObject({ steps: 2, errors: 2 });
  });
});

describe('include and auth', () => {
  /** A request whose Authorization header must be `expected`. */
  const authorized = (name: string, expected: string, auth?: string) => ({
    name,
    request: { url: '{{base}}/headers', ...(auth === undefined ? {} : { auth }) },
    post: [{ assert: { jsonpath: { path: '$.authorization', equals: expected } } }],
  });
  const bearer = (token: string) => ({ type: 'bearer', token });

  it('an included file inherits the caller\u2019s profile name and finds it where the caller declared it (was "not declared")', async () => {
    // Its own profile of the same name, without `use`, is what its own `auth: "caller"` names, not what it inherits.
    const inherits = {
      name: 'inherits',
      auth: { profiles: { caller: bearer('shadow-token') } },
      steps: [authorized('inherited', 'Bearer caller-token'), authorized('own name', 'Bearer shadow-token', 'caller')],
    };
    writeFileSync(join(dir, 'auth-inherits.json'), JSON.stringify(inherits));
    writeFileSync(
      join(dir, 'auth-middle.json'),
      JSON.stringify({
        name: 'middle',
        steps: [{ name: 'deeper', include: { file: 'auth-inherits.json', variables: { base: '{{base}}' } } }],
      }),
    );
    writeFileSync(
      join(dir, 'auth-own.json'),
      JSON.stringify({
        name: 'own',
        auth: { profiles: { mine: bearer('own-token') }, use: 'mine' },
        steps: [authorized('own default', 'Bearer own-token')],
      }),
    );
    const run = await runFlow(
      scenario(
        [
          { name: 'direct', include: { file: 'auth-inherits.json', variables: { base: '{{base}}' } } },
          { name: 'nested', include: { file: 'auth-middle.json', variables: { base: '{{base}}' } } },
          {
            name: 'g',
            group: { auth: 'other', steps: [{ name: 'in group', include: { file: 'auth-own.json', variables: { base: '{{base}}' } } }] },
          },
        ],
        { auth: { profiles: { caller: bearer('caller-token'), other: bearer('other-token') }, use: 'caller' } },
      ),
      { dir, include: ['auth-inherits.json', 'auth-middle.json', 'auth-own.json'] },
    );
    expect(run.steps.flatMap((step) => (step.error === undefined ? [] : [step.error.message]))).toEqual([]);
    expect(run.trace.filter((line) => !line.endsWith('passed'))).toEqual([]);
    expect(run.result.status).toBe('passed');
  });

  it('a group\u2019s profile of the caller reaches the steps of a file included in it', async () => {
    writeFileSync(join(dir, 'auth-plain.json'), JSON.stringify({ name: 'plain', steps: [authorized('plain', 'Bearer other-token')] }));
    const run = await runFlow(
      scenario(
        [
          {
            name: 'g',
            group: { auth: 'other', steps: [{ name: 'inc', include: { file: 'auth-plain.json', variables: { base: '{{base}}' } } }] },
          },
        ],
        {
          auth: { profiles: { other: bearer('other-token') } },
        },
      ),
      { dir, include: ['auth-plain.json'] },
    );
    expect(run.trace).toEqual(['0.0.0 g › inc › plain passed', '0.0 g › inc passed', '0 g passed']);
  });
});

describe('script', () => {
  it('dispatches a script step, its pm.test results becoming the step\u2019s assertions', async () => {
    const run = await runFlow(scenario([{ name: 'check in script', script: "pm.test('one is one', () => pm.expect(1).to.equal(1));" }]));
    expect(run.steps[0]).toMatchObject({ id: '0', kind: 'script', status: 'passed' });
    expect(run.steps[0]?.assertions).toHaveLength(1);
  });
});
