/**
 * Loading a bundled library (chai on the first pm.test / pm.expect, or a `require`) is not charged to the
 * script's time limit, as in Newman: a one-line pm.test passes at a small limit; the script's own code
 * is still stopped at the limit.
 */
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';
import { fakeContext, fakeResponse } from './fakes.js';

const LIMIT_MS = 40;

describe('the time a bundled library takes to load', () => {
  it('is longer than the limit here, so the tests below mean something', async () => {
    const roomy = await createSandbox({ timeLimitMs: 60_000 });
    try {
      const started = performance.now();
      const outcome = await roomy.run(`require('chai'); require('lodash'); require('moment');`, fakeContext());
      expect(outcome.error).toBeUndefined();
      expect(performance.now() - started).toBeGreaterThan(LIMIT_MS);
    } finally {
      roomy.dispose();
    }
  });

  it('is not charged to the script: a first pm.test and requires pass at a small limit', async () => {
    const sandbox = await createSandbox({ timeLimitMs: LIMIT_MS });
    try {
      const outcome = await sandbox.run(
        `pm.test('status', () => pm.expect(pm.response.code).to.equal(200));
         const _ = require('lodash'); const moment = require('moment');
         pm.test('libs', () => pm.expect(_.sum([1, 2]) + moment.utc(0).year()).to.equal(1973));`,
        fakeContext({ response: fakeResponse('ok', { status: 200 }) }),
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.assertions.map((a) => [a.name, a.passed])).toEqual([
        ['status', true],
        ['libs', true],
      ]);
    } finally {
      sandbox.dispose();
    }
  });

  it('does not lift the limit from the script: a loop after a require is still stopped', async () => {
    const sandbox = await createSandbox({ timeLimitMs: LIMIT_MS });
    try {
      const started = performance.now();
      const outcome = await sandbox.run(`require('lodash'); while (true) {}`, fakeContext({ scriptName: 'spin.js' }));
      expect(outcome.error).toMatchObject({ code: 'SORTIE_SCRIPT', title: 'Script time limit exceeded' });
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      sandbox.dispose();
    }
  });
});
