import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

/** Pairs whose order differs between code units and ICU's root collation (what Node, so Newman, uses). */
const PAIRS: Array<[string, string]> = [
  ['a', 'B'],
  ['B', 'a'],
  ['a', 'A'],
  ['A', 'a'],
  ['Zebra', 'apple'],
  ['e', 'é'],
  ['é', 'f'],
  ['résumé', 'resume'],
  ['coté', 'côte'],
  ['item10', 'item9'],
  ['ab', 'a'],
  ['a', 'a'],
  ['', 'a'],
  ['_a', 'a'],
  ['1', 'a'],
  ['Ärger', 'Zorn'],
  ['Émile', 'emile'],
];
const OPTIONS: Array<Intl.CollatorOptions | undefined> = [
  undefined,
  { sensitivity: 'base' },
  { sensitivity: 'accent' },
  { sensitivity: 'case' },
  { numeric: true },
];

describe('String.prototype.localeCompare', () => {
  it('orders text as Node and Newman do (case and accents after the letters), with sensitivity and numeric', async () => {
    const cases = OPTIONS.flatMap((options) => PAIRS.map(([a, b]) => ({ a, b, options })));
    const outcome = await sandbox.run(
      `const cases = ${JSON.stringify(cases)};
       console.log(JSON.stringify(cases.map((c) => c.a.localeCompare(c.b, 'en', c.options))));
       console.log(JSON.stringify(['b', 'a', 'C', 'Á', 'c'].sort((x, y) => x.localeCompare(y))));`,
      fakeContext(),
    );
    expect(outcome.error?.message).toBeUndefined();
    const [results, sorted] = outcome.logs.map((l) => JSON.parse(l.message));
    const expected = cases.map((c) => Math.sign(c.a.localeCompare(c.b, 'en', c.options)));
    expect(cases.map((c, i) => [c.a, c.b, c.options, results[i]])).toEqual(cases.map((c, i) => [c.a, c.b, c.options, expected[i]]));
    expect(sorted).toEqual(['a', 'Á', 'b', 'c', 'C']);
  });
});
