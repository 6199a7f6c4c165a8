/**
 * `pm.test(name, fn)` (sync, async and `done`-callback tests), `pm.expect` (the bundled chai) and
 * the chai plugin behind `pm.response.to.have.status(…)` and friends, as chai-postman defines them.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/test-examples/
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-test/
 */
import type { AssertionResult } from '@sortie/core';

/** A test result as the guest reports it. */
export interface GuestTestResult {
  name: string;
  passed: boolean;
  /** pm.test.skip: reported, not run (`passed` stays true: it fails nothing). */
  skipped?: boolean;
  message?: string;
  expected?: unknown;
  actual?: unknown;
}

/** Turns the guest's test results (a test that passed plainly is just its name) into assertions like the declarative ones. */
export function toAssertionResults(tests: ReadonlyArray<string | GuestTestResult>): AssertionResult[] {
  return tests.map((test) => {
    if (typeof test === 'string') return { selector: test, operator: 'test', passed: true, name: test, source: 'script' };
    const result: AssertionResult = { selector: test.name, operator: 'test', passed: test.passed, name: test.name, source: 'script' };
    if (test.skipped === true) result.skipped = true;
    if (test.message !== undefined) result.message = test.message;
    if (test.expected !== undefined) result.expected = test.expected;
    if (test.actual !== undefined) result.actual = test.actual;
    return result;
  });
}
