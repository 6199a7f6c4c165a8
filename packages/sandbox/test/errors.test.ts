import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

describe('script errors', () => {
  it('names the script and the line and column in its own source', async () => {
    const outcome = await sandbox.run(
      `const a = 1;\nconst b = 2;\n  undefinedFunction(a + b);`,
      fakeContext({ scriptName: 'orders.post.js' }),
    );
    expect(outcome.error).toMatchObject({
      code: 'SORTIE_SCRIPT',
      title: 'Script error',
      message: 'Script "orders.post.js" failed at orders.post.js:3:3: ReferenceError: \'undefinedFunction\' is not defined',
      location: { file: 'orders.post.js', line: 3, column: 3 },
    });
  });

  it('compiles the same source once and still names the script of each run in its errors', async () => {
    const source = `const x = 1;\nif (pm.variables.get('fail')) missingFunction(x);`;
    const quiet = await sandbox.run(source, fakeContext({ scriptName: 'step-1.post[0]' }));
    expect(quiet.error).toBeUndefined();
    const variables = fakeContext().variables;
    variables.set('local', 'fail', true);
    const failing = await sandbox.run(source, fakeContext({ scriptName: 'step-2.post[0]', variables }));
    expect(failing.error).toMatchObject({
      message: 'Script "step-2.post[0]" failed at step-2.post[0]:2:31: ReferenceError: \'missingFunction\' is not defined',
      location: { file: 'step-2.post[0]', line: 2, column: 31 },
    });
  });

  it('locates a syntax error', async () => {
    const outcome = await sandbox.run(`pm.test('x', () => {\n  const = 1;\n});`, fakeContext({ scriptName: 'broken.js' }));
    expect(outcome.error).toMatchObject({ code: 'SORTIE_SCRIPT', title: 'Script syntax error', location: { file: 'broken.js', line: 2 } });
  });

  it('locates an error thrown inside a library call at the script line that called it', async () => {
    const outcome = await sandbox.run(
      `// parse the body\nconst body = pm.response.json();`,
      fakeContext({ scriptName: 'parse.js', response: fakeResponse('not json') }),
    );
    expect(outcome.error?.location).toMatchObject({ file: 'parse.js', line: 2 });
    expect(outcome.error?.message).toContain('SyntaxError');
    // The script compiled: what failed is JSON.parse of the body, a run-time error, not a syntax error of the script.
    expect(outcome.error?.title).toBe('Script error');
  });

  it('keeps the tests recorded before the error', async () => {
    const outcome = await sandbox.run(`pm.test('before', () => {});\nthrow new Error('stop');\npm.test('after', () => {});`, fakeContext());
    expect(outcome.assertions.map((a) => a.name)).toEqual(['before']);
    expect(outcome.error?.message).toContain('Error: stop');
  });

  it('reports an unhandled rejection of the script', async () => {
    const outcome = await sandbox.run(`await Promise.reject(new TypeError('nope'));`, fakeContext());
    expect(outcome.error?.message).toContain('TypeError: nope');
  });

  it('reports what a script threw even when reading it throws (getters, Proxy traps), also after an await', async () => {
    const getter = await sandbox.run(`await 0;\nthrow { get message() { throw 1; }, stack: '' };`, fakeContext({ scriptName: 'g.js' }));
    expect(getter.error?.message).toBe('Script "g.js" threw a non-Error value: an object that threw when inspected (1)');
    const message = await sandbox.run(
      `const e = new Error('x');\nObject.defineProperty(e, 'message', { get() { throw new Error('getter boom'); } });\nawait 0;\nthrow e;`,
      fakeContext({ scriptName: 'm.js' }),
    );
    expect(message.error?.message).toBe('Script "m.js" failed at m.js:1:20: Error: (its message threw when read: Error: getter boom)');
    const proxy = await sandbox.run(
      `throw new Proxy({}, { getPrototypeOf() { throw new Error('trap'); }, get() { throw 2; } });`,
      fakeContext({ scriptName: 'p.js' }),
    );
    expect(proxy.error?.message).toBe('Script "p.js" threw a non-Error value: an object that threw when inspected (Error: trap)');
  });

  it('runs concurrent calls one after another', async () => {
    const outcomes = await Promise.all(
      [1, 2, 3].map((n) =>
        sandbox.run(`await new Promise((r) => setTimeout(r, 5)); console.log(pm.info.requestName);`, fakeContext({ requestName: `r${n}` })),
      ),
    );
    expect(outcomes.map((o) => o.logs[0]?.message)).toEqual(['r1', 'r2', 'r3']);
  });
  it('fails a script still waiting on a promise nothing can settle, and runs none of the tests after the await', async () => {
    const outcome = await sandbox.run(
      `pm.test('before', () => {});\nawait new Promise(() => {});\npm.test('after', () => {});`,
      fakeContext({ scriptName: 'stuck.js' }),
    );
    expect(outcome.error).toMatchObject({ code: 'SORTIE_SCRIPT', title: 'Script did not finish' });
    expect(outcome.error?.message).toMatch(/^Script "stuck\.js" did not finish: it was still waiting on a promise/);
    expect(outcome.assertions.map((a) => a.name)).toEqual(['before']);
  });

  it('fails a plain script returning a promise that never settles, but not one that settles later', async () => {
    const stuck = await sandbox.run(`return new Promise(() => {});`, fakeContext());
    expect(stuck.error?.title).toBe('Script did not finish');
    const later = await sandbox.run(`await new Promise((resolve) => setTimeout(resolve, 5)); pm.test('after', () => {});`, fakeContext());
    expect(later.error).toBeUndefined();
    expect(later.assertions.map((a) => a.name)).toEqual(['after']);
  });
});
