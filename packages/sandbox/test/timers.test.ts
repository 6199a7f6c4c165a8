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

  it('turns a timer past the time limit into a time-limit error', async () => {
    const outcome = await sandbox.run(`setTimeout(() => {}, 60000);`, fakeContext());
    expect(outcome.error?.title).toBe('Script time limit exceeded');
    const next = await sandbox.run(`pm.test('usable', () => {});`, fakeContext());
    expect(next.error).toBeUndefined();
    expect(next.assertions[0]?.passed).toBe(true);
  });
});
