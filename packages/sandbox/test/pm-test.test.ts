import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ timeLimitMs: 2000 });
});
afterAll(() => sandbox.dispose());

describe('pm.test and pm.expect', () => {
  it('returns pm, as postman-sandbox does: pm.test(…).test(…) and pm.test.skip(…).test(…) chain', async () => {
    const outcome = await sandbox.run(
      `const back = pm.test('first', () => {}).test('second', () => {}).test.skip('third').test('fourth');
       pm.test('returned pm', () => pm.expect(back).to.equal(pm));`,
      fakeContext(),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.map((a) => [a.name, a.passed, a.skipped === true])).toEqual([
      ['first', true, false],
      ['second', true, false],
      ['third', true, true],
      ['fourth', true, false],
      ['returned pm', true, false],
    ]);
  });

  it('records passing and failing tests as script assertions in call order', async () => {
    const outcome = await sandbox.run(
      `pm.test('passes', () => pm.expect([1, 2]).to.include(2));
       pm.test('fails', () => pm.expect({ a: 1 }).to.eql({ a: 2 }));
       pm.test('throws', () => { null.x; });`,
      fakeContext(),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions).toEqual([
      { selector: 'passes', operator: 'test', passed: true, name: 'passes', source: 'script' },
      {
        selector: 'fails',
        operator: 'test',
        passed: false,
        name: 'fails',
        source: 'script',
        message: 'expected { a: 1 } to deeply equal { a: 2 }',
      },
      {
        selector: 'throws',
        operator: 'test',
        passed: false,
        name: 'throws',
        source: 'script',
        message: "TypeError: cannot read property 'x' of null",
      },
    ]);
  });

  it('awaits async tests and done-callback tests before the run resolves', async () => {
    const outcome = await sandbox.run(
      `pm.test('async pass', async () => { await new Promise((r) => setTimeout(r, 20)); pm.expect(1).to.equal(1); });
       pm.test('async fail', async () => { await null; pm.expect(1).to.equal(2); });
       pm.test('done callback', (done) => { setTimeout(() => done(), 10); });
       pm.test('done with error', (done) => { setTimeout(() => done(new Error('late failure')), 5); });`,
      fakeContext(),
    );
    expect(outcome.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['async pass', true],
      ['async fail', false],
      ['done callback', true],
      ['done with error', false],
    ]);
    expect(outcome.assertions[3]?.message).toBe('Error: late failure');
  });

  it('runs promise callbacks of a script without await (compiled as a plain function) before the run resolves', async () => {
    const outcome = await sandbox.run(
      `Promise.resolve(2).then((n) => pm.test('then', () => pm.expect(n).to.equal(2)));
       pm.sendRequest('http://127.0.0.1:1/never').catch(() => pm.test('catch', () => {}));
       new Promise((resolve) => setTimeout(resolve, 5)).then(() => pm.test('timer', () => {}));`,
      fakeContext({ sendRequest: async () => Promise.reject(new Error('refused')) }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['then', true],
      ['catch', true],
      ['timer', true],
    ]);
  });

  it('reports a rejected promise a script returns, with or without await', async () => {
    for (const script of [`return Promise.reject(new Error('returned'));`, `await null; return Promise.reject(new Error('returned'));`]) {
      const outcome = await sandbox.run(script, fakeContext());
      expect(outcome.error?.message, script).toContain('returned');
    }
  });

  it('fails a test whose promise never settles instead of hanging', async () => {
    const outcome = await sandbox.run(`pm.test('never', () => new Promise(() => {}));`, fakeContext());
    expect(outcome.assertions[0]).toMatchObject({ passed: false, message: 'the test did not finish before the script ended' });
  });

  it('fails a test on any throw or rejection, falsy values included, and on a done callback given a truthy error only', async () => {
    const outcome = await sandbox.run(
      `pm.test('rejects nothing', () => Promise.reject()); pm.test('throws undefined', () => { throw undefined; });
       pm.test('throws 0', () => { throw 0; }); pm.test('done false', (done) => done(false)); pm.test('done 0', (done) => done(0));
       pm.test('done error', (done) => done('bad')); pm.test('returns a value', () => 1);`,
      fakeContext(),
    );
    expect(outcome.assertions.map((a) => [a.name, a.passed, a.message])).toEqual([
      ['rejects nothing', false, 'threw undefined'],
      ['throws undefined', false, 'threw undefined'],
      ['throws 0', false, 'threw 0'],
      ['done false', true, undefined],
      ['done 0', true, undefined],
      ['done error', false, 'threw bad'],
      ['returns a value', true, undefined],
    ]);
  });

  it('counts the legacy tests object', async () => {
    const outcome = await sandbox.run(`tests['legacy ok'] = true; tests['legacy bad'] = 1 === 2;`, fakeContext());
    expect(outcome.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['legacy ok', true],
      ['legacy bad', false],
    ]);
  });

  it('cuts a test name past 1,000 characters (a name built from a whole body), every kind of test', async () => {
    const outcome = await sandbox.run(
      `const big = 'n'.repeat(50000);
       pm.test(big, () => pm.expect(1).to.equal(2));
       pm.test(big);
       pm.test.skip(big);
       tests[big] = false;`,
      fakeContext(),
    );
    expect(outcome.assertions).toHaveLength(4);
    for (const assertion of outcome.assertions) expect(assertion.name).toBe(`${'n'.repeat(1000)}…`);
    expect(outcome.assertions[3]?.message).toBe(`test "${'n'.repeat(1000)}…" was false`);
    const short = await sandbox.run(`pm.test('${'s'.repeat(1000)}', () => {});`, fakeContext());
    expect(short.assertions[0]?.name).toBe('s'.repeat(1000));
  });

  it('reports pm.test without a function as passed and pm.test.skip as skipped, as postman-sandbox does', async () => {
    const outcome = await sandbox.run(
      `pm.test('no fn'); pm.test.skip('skipped', () => { throw new Error('x'); }); pm.test.skip('no fn either');`,
      fakeContext(),
    );
    expect(outcome.assertions).toEqual([
      { selector: 'no fn', operator: 'test', passed: true, name: 'no fn', source: 'script' },
      { selector: 'skipped', operator: 'test', passed: true, skipped: true, name: 'skipped', source: 'script' },
      { selector: 'no fn either', operator: 'test', passed: true, skipped: true, name: 'no fn either', source: 'script' },
    ]);
  });
});
