import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

/** Each case runs as one pm.test; the result is [passed, message, expected, actual] per case. */
async function results(cases: string[], expectName: string) {
  const script = cases.map((body, i) => `pm.test('${i}', () => { const expect = ${expectName}; ${body}; });`).join('\n');
  const outcome = await sandbox.run(script, fakeContext({ response: fakeResponse({ id: 7 }) }));
  expect(outcome.error?.message).toBeUndefined();
  return outcome.assertions.map((a) => [cases[Number(a.name)], a.passed, a.message ?? '', a.expected, a.actual]);
}

describe('pm.expect', () => {
  it('passes, fails, negates and chains exactly like chai’s own expect', async () => {
    const cases = [
      "expect(1).to.be.a('number')",
      "expect(1).to.be.a('string')",
      "expect(1).to.be.an('Number')",
      "expect('x', 'my message').to.be.a('number')",
      "expect(1).to.be.a('number', 'second message').and.equal(2)",
      "expect(1).not.to.be.a('number')",
      "expect(1).to.not.be.a('string')",
      "expect(1).to.be.a('number').and.not.a('string').that.is.above(0)",
      "expect(pm.response.json().id).to.be.a('number').above(9)",
      "expect([1]).to.be.an('array').that.has.lengthOf(2)",
      "expect({}).to.be.an('object')",
      "expect(null).to.be.a('null')",
      "expect(undefined).to.be.an('undefined')",
      "expect(Symbol('s')).to.be.a('symbol')",
      "expect(() => 1).to.be.a('function')",
      'expect(1).to.be.a(5)',
      'expect(new Number(1)).to.be.an.instanceof(Number)',
      'expect(1).to.be.an.instanceof(Number)',
      "expect(1).to.be.an.and.be.a('number').and.be.a('string')",
      "expect(1).to.be.an.a('number')",
      'expect(1).to.be.an.length',
      'expect(1).to.be.a.nubmer',
      "expect(1).to.bee.a('number')",
      "expect(typeof expect(1).to.be.a).to.equal('function')",
      'expect(1).to.eql(2)',
      'expect(0).to.be.ok',
      "expect.fail('boom')",
      'expect(pm.response).to.have.status(201)',
    ];
    const lite = await results(cases, 'pm.expect');
    expect(lite).toEqual(await results(cases, "require('chai').expect"));
    // The cases do pass and fail (the comparison above is not between two empty lists).
    expect(lite.filter((r) => r[1] === true).length).toBeGreaterThan(8);
    expect(lite.filter((r) => r[1] === false).length).toBeGreaterThan(8);
  });

  it('passes a(type) on a plain value without loading chai, and needs chai for a failure or any other word', async () => {
    const emptyLibraries = mkdtempSync(join(tmpdir(), 'sortie-no-libs-'));
    const isolated = await createSandbox({ librariesDir: emptyLibraries });
    const run = (script: string) => isolated.run(script, fakeContext({ response: fakeResponse({ id: 7 }) }));
    try {
      const passing = await run(
        `const item = pm.response.json();
         pm.test('id', () => pm.expect(item.id).to.be.a('number'));
         pm.test('chain', () => pm.expect('x', 'm').to.be.a('string').and.an('String'));
         pm.test('boolean', () => pm.expect(true).to.be.a('boolean'));`,
      );
      expect(passing.error).toBeUndefined();
      expect(passing.assertions.map((a) => [a.name, a.passed])).toEqual([
        ['id', true],
        ['chain', true],
        ['boolean', true],
      ]);
      for (const needsChai of [
        `pm.expect(1).to.be.a('string')`,
        `pm.expect(1).not.to.be.a('number')`,
        `pm.expect({}).to.be.an('object')`,
        `pm.expect(1).to.equal(1)`,
      ]) {
        const outcome = await run(`pm.test('t', () => ${needsChai});`);
        expect(outcome.assertions[0]?.message, needsChai).toContain('the bundle of "chai" is missing');
      }
    } finally {
      isolated.dispose();
      rmSync(emptyLibraries, { recursive: true, force: true });
    }
  });
});
