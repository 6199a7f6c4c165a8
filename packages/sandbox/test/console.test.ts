import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

describe('console', () => {
  it('captures every level with readable formatting', async () => {
    const outcome = await sandbox.run(
      `console.log('text', 1, true, null, undefined);
       console.info({ a: [1, 2] });
       const cyclic = {}; cyclic.self = cyclic;
       console.warn(cyclic);
       console.error(new TypeError('bad'));
       console.debug(function named() {});`,
      fakeContext(),
    );
    expect(outcome.logs).toEqual([
      { level: 'log', message: 'text 1 true null undefined' },
      { level: 'info', message: '{"a":[1,2]}' },
      { level: 'warn', message: '{"self":"[Circular]"}' },
      { level: 'error', message: 'TypeError: bad' },
      { level: 'log', message: '[Function: named]' },
    ]);
  });

  // A Map or Set was logged as `{}`, an Error inside an object as `{}`, and an object met twice side
  // by side (not a cycle) as "[Circular]" the second time: Newman shows all of them.
  it('shows Maps, Sets, nested Errors and shared (not circular) objects', async () => {
    const outcome = await sandbox.run(
      `const shared = { id: 1 };
       console.log(new Map([['a', 1], [2, { b: new Set([3]) }]]), new Set(['x']));
       console.log({ p: shared, q: shared, list: [shared, shared] });
       console.log({ err: new RangeError('out'), when: undefined });
       const loop = { name: 'loop', children: [] }; loop.children.push({ parent: loop });
       console.log(loop);`,
      fakeContext(),
    );
    expect(outcome.logs.map((log) => log.message)).toEqual([
      'Map(2) [["a",1],[2,{"b":[3]}]] Set(1) ["x"]',
      '{"p":{"id":1},"q":{"id":1},"list":[{"id":1},{"id":1}]}',
      '{"err":"RangeError: out","when":"undefined"}',
      '{"name":"loop","children":[{"parent":"[Circular]"}]}',
    ]);
  });

  it('keeps logs of one run out of the next', async () => {
    await sandbox.run(`console.log('first');`, fakeContext());
    const outcome = await sandbox.run(`console.log('second');`, fakeContext());
    expect(outcome.logs).toEqual([{ level: 'log', message: 'second' }]);
  });

  it('caps a log flood, and says how many lines it dropped', async () => {
    const outcome = await sandbox.run(`const line = 'x'.repeat(10500); for (let i = 0; i < 1200; i++) console.log(line);`, fakeContext());
    expect(outcome.logs).toHaveLength(1001);
    expect(outcome.logs[0]?.message.length).toBe(10_001);
    expect(outcome.logs[1000]).toEqual({
      level: 'warn',
      message: '200 more console lines were dropped (at most 1000 are kept per script run)',
    });
    const one = await sandbox.run(`for (let i = 0; i < 1001; i++) console.log(i);`, fakeContext());
    expect(one.logs?.at(-1)?.message).toBe('1 more console line was dropped (at most 1000 are kept per script run)');
    const exact = await sandbox.run(`for (let i = 0; i < 1000; i++) console.log(i);`, fakeContext());
    expect(exact.logs).toHaveLength(1000);
    expect(exact.logs?.at(-1)?.message).toBe('999');
  });
});
