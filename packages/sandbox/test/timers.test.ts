import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { FakeVariables, fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ timeLimitMs: 1000 });
});
afterAll(() => sandbox.dispose());

describe('timers and async scripts', () => {
  it('runs setTimeout callbacks and top-level await before the run resolves', async () => {
    const variables = new FakeVariables();
    const outcome = await sandbox.run(
      `setTimeout(() => pm.environment.set('timer', 'fired'), 15);
       await new Promise((resolve) => setTimeout(resolve, 5));
       pm.environment.set('awaited', 'yes');`,
      fakeContext({ variables }),
    );
    expect(outcome.error).toBeUndefined();
    expect(variables.toObject('environment')).toEqual({ awaited: 'yes', timer: 'fired' });
  });

  it('stops an interval once cleared and skips a cleared timeout', async () => {
    const outcome = await sandbox.run(
      `let n = 0;
       const id = setInterval(() => { n++; if (n === 3) { clearInterval(id); console.log('ticks', n); } }, 1);
       const t = setTimeout(() => console.log('never'), 5);
       clearTimeout(t);`,
      fakeContext(),
    );
    expect(outcome.logs).toEqual([{ level: 'log', message: 'ticks 3' }]);
  });

  it('reports an error thrown in a timer callback', async () => {
    const outcome = await sandbox.run(
      `setTimeout(() => {\n  throw new RangeError('in timer');\n}, 1);`,
      fakeContext({ scriptName: 'timer.js' }),
    );
    expect(outcome.error?.code).toBe('SORTIE_SCRIPT');
    expect(outcome.error?.message).toBe('Script "timer.js" failed at timer.js:2:23: RangeError: in timer');
  });

  it('ends the run at an uncaught error: a timer still pending does not turn it into a time-limit error', async () => {
    const started = Date.now();
    const outcome = await sandbox.run(
      `setInterval(() => console.log('tick'), 5);\nsetTimeout(() => pm.test('later', () => {}), 50);\nthrow new Error('early');`,
      fakeContext({ scriptName: 'early.js' }),
    );
    expect(outcome.error?.title).toBe('Script error');
    expect(outcome.error?.message).toBe('Script "early.js" failed at early.js:3:16: Error: early');
    expect(outcome.logs).toEqual([]);
    expect(outcome.assertions).toEqual([]);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('ends the run at the first error a timer callback throws, however many ticks are left', async () => {
    const outcome = await sandbox.run(
      `let n = 0;\nsetInterval(() => {\n  n++;\n  throw new Error('tick ' + n);\n}, 1);\nawait new Promise(() => {});`,
      fakeContext({ scriptName: 'ticks.js' }),
    );
    expect(outcome.error?.message).toBe('Script "ticks.js" failed at ticks.js:4:18: Error: tick 1');
  });

  it('turns a timer past the time limit into a time-limit error', async () => {
    const outcome = await sandbox.run(`setTimeout(() => {}, 60000);`, fakeContext());
    expect(outcome.error?.title).toBe('Script time limit exceeded');
    const next = await sandbox.run(`pm.test('usable', () => {});`, fakeContext());
    expect(next.error).toBeUndefined();
    expect(next.assertions[0]?.passed).toBe(true);
  });
});
