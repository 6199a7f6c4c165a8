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

async function results(script: string, body: unknown = { id: 7 }) {
  const outcome = await sandbox.run(script, fakeContext({ response: fakeResponse(body) }));
  expect(outcome.error?.message).toBeUndefined();
  return outcome.assertions.map((a) => [a.name, a.passed, a.message ?? '']);
}

describe('pm.response.to', () => {
  it('chains Postman checks, negation and plain chai assertions on the response', async () => {
    const outcome = await results(
      `pm.test('chain', () => pm.response.to.have.status(200).and.have.header('Content-Type'));
       pm.test('negated', () => { pm.response.to.not.have.status(404); pm.response.not.to.be.error; });
       pm.test('chai', () => { pm.response.to.have.property('code', 200); pm.response.to.be.an('object'); });
       pm.test('deep', () => pm.response.to.deep.include({ code: 200 }));
       pm.test('negated fails', () => pm.response.to.not.be.ok);`,
    );
    expect(outcome).toEqual([
      ['chain', true, ''],
      ['negated', true, ''],
      ['chai', true, ''],
      ['deep', true, ''],
      ['negated fails', false, 'expected response code to not be ok (200) but found 200'],
    ]);
  });

  it('fails an unknown property with chai’s own error instead of passing silently', async () => {
    const outcome = await results(`pm.test('typo', () => pm.response.to.be.succes);`);
    expect(outcome).toEqual([['typo', false, 'Error: Invalid Chai property: succes. Did you mean "success"?']]);
  });

  // chai-postman has `withoutContent` (204) and both spellings of 401: Postman's snippets use them,
  // and a test with either failed with "Invalid Chai property".
  it('knows withoutContent (204) and unauthorised (401), as chai-postman does', async () => {
    const run = async (status: number) => {
      const outcome = await sandbox.run(
        `pm.test('204', () => pm.response.to.be.withoutContent);
         pm.test('401', () => pm.response.to.be.unauthorised);
         pm.test('401 US', () => pm.response.to.be.unauthorized);`,
        fakeContext({ response: fakeResponse('', { status }) }),
      );
      return outcome.assertions.map((a) => [a.name, a.passed, a.message ?? '']);
    };
    expect(await run(204)).toEqual([
      ['204', true, ''],
      ['401', false, 'expected response code to be unauthorised (401) but found 204'],
      ['401 US', false, 'expected response code to be unauthorized (401) but found 204'],
    ]);
    expect(await run(401)).toEqual([
      ['204', false, 'expected response code to be without content (204) but found 401'],
      ['401', true, ''],
      ['401 US', true, ''],
    ]);
  });

  it('gives the same results as expect(pm.response)', async () => {
    const script = (subject: string) =>
      `pm.test('status', () => ${subject}.to.have.status(201));
       pm.test('header', () => ${subject}.to.have.header('X-Missing'));
       pm.test('json', () => ${subject}.to.have.jsonBody('id', 7));`;
    expect(await results(script('pm.response'))).toEqual(await results(script('pm.expect(pm.response)')));
  });
  it('reads responseTime and responseSize as numbers to chain on, as chai-postman does', async () => {
    const script = (subject: string) =>
      `pm.test('time below', () => ${subject}.to.have.responseTime.below(200));
       pm.test('time above fails', () => ${subject}.to.have.responseTime.above(200));
       pm.test('time at most', () => ${subject}.to.have.responseTime(12));
       pm.test('size', () => ${subject}.to.have.responseSize.within(1, 100));
       pm.test('size equals', () => ${subject}.to.have.responseSize(8));
       pm.test('size negated', () => ${subject}.to.not.have.responseSize(9));`;
    const outcome = await results(script('pm.response'));
    expect(outcome).toEqual([
      ['time below', true, ''],
      ['time above fails', false, 'expected 12 to be above 200'],
      ['time at most', true, ''],
      ['size', true, ''],
      ['size equals', true, ''],
      ['size negated', true, ''],
    ]);
    expect(await results(script('pm.expect(pm.response)'))).toEqual(outcome);
  });
});

describe('pm.response.to without chai', () => {
  it('runs passing Postman checks without loading chai, and needs chai only for a failure or a plain chai word', async () => {
    const emptyLibraries = mkdtempSync(join(tmpdir(), 'sortie-no-libs-'));
    const isolated = await createSandbox({ librariesDir: emptyLibraries });
    const run = (script: string) => isolated.run(script, fakeContext({ response: fakeResponse({ id: 7 }) }));
    try {
      const passing = await run(
        `pm.test('checks', () => pm.response.to.have.status(200).and.have.header('Content-Type').and.be.ok.and.be.json);
         pm.test('negated', () => { pm.response.to.not.have.status(404); pm.response.not.to.be.error; pm.response.to.not.not.be.notFound; });
         pm.test('returned', () => pm.response.to.be.success);`,
      );
      expect(passing.error).toBeUndefined();
      expect(passing.assertions.map((a) => [a.name, a.passed])).toEqual([
        ['checks', true],
        ['negated', true],
        ['returned', true],
      ]);
      for (const needsChai of [`pm.response.to.have.status(404)`, `pm.response.to.have.property('code')`, `pm.response.to.be.succes`]) {
        const outcome = await run(`pm.test('t', () => ${needsChai});`);
        expect(outcome.assertions[0]?.message, needsChai).toContain('the bundle of "chai" is missing');
      }
    } finally {
      isolated.dispose();
      rmSync(emptyLibraries, { recursive: true, force: true });
    }
  });

  it('fails, negates and chains exactly like the chai-backed assertion', async () => {
    const script = (subject: string) =>
      `pm.test('status', () => ${subject}.to.have.status(201));
       pm.test('reason', () => ${subject}.to.have.status('Created'));
       pm.test('negated', () => ${subject}.to.not.have.status(200));
       pm.test('header value', () => ${subject}.to.have.header('Content-Type', 'text/html'));
       pm.test('class', () => ${subject}.to.be.clientError);
       pm.test('after a pass', () => ${subject}.to.have.status(200).and.have.property('code', 200).and.be.notFound);
       pm.test('time', () => ${subject}.to.have.responseTime(1));
       pm.test('body', () => ${subject}.to.have.body({ id: 8 }));
       pm.test('json path', () => ${subject}.to.have.jsonBody('id', 8));`;
    const lite = await results(script('pm.response'));
    expect(lite.every(([, passed]) => passed === false)).toBe(true);
    expect(lite).toEqual(await results(script('pm.expect(pm.response)')));
  });
});

describe('pm.response body', () => {
  it('reads small bodies sent inline and large bodies fetched on demand alike', async () => {
    const large = { token: 'big', items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) };
    for (const body of [{ token: 'small' }, large]) {
      const outcome = await results(
        `pm.test('json', () => pm.expect(pm.response.json().token).to.equal(${JSON.stringify(body.token)}));
         pm.test('text', () => pm.expect(pm.response.text()).to.equal(${JSON.stringify(JSON.stringify(body))}));
         pm.test('size', () => pm.expect(pm.response.responseSize).to.equal(${JSON.stringify(body).length}));`,
        body,
      );
      expect(outcome.every(([, passed]) => passed)).toBe(true);
    }
  });
});
