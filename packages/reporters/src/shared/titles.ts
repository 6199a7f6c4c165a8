/** Titles shared by every reporter, so a step reads the same in the terminal, JUnit and JSON. */
import type { AssertionResult, NotRunReason, RunHookName, StepStatus } from '@sortie/core';

/** Formats a step's title: its path and name joined by ` › `. */
export function formatStepTitle(step: { path: string[]; name: string }): string {
  return [...step.path, step.name].join(' › ');
}

/**
 * Formats what an assertion checks: `selector operator`, after its own `name` when the scenario gave it
 * one (`at least one order: jsonpath $.total gte`). A script test's selector is already its name.
 */
export function formatAssertionTitle(assertion: Pick<AssertionResult, 'selector' | 'operator' | 'name' | 'source'>): string {
  const what = `${assertion.selector} ${assertion.operator}`;
  return assertion.name === undefined || assertion.source === 'script' ? what : `${assertion.name}: ${what}`;
}

/**
 * Formats a scenario run's title: its name, plus ` [iteration N]` when it is one iteration of a
 * data-driven run; a project hook's starts with the hook (`beforeAll: seed`, or `beforeAll` for
 * inline steps); a rerun (--retry-failed, when `attempt` is given) ends with ` [attempt N]`.
 */
export function formatScenarioTitle(scenario: { name: string; iteration?: number; hook?: RunHookName; attempt?: number }): string {
  let title = scenario.iteration === undefined ? scenario.name : `${scenario.name} [iteration ${scenario.iteration}]`;
  if (scenario.hook !== undefined && scenario.name !== scenario.hook) title = `${scenario.hook}: ${title}`;
  if (scenario.attempt !== undefined) title += ` [attempt ${scenario.attempt}]`;
  return title;
}

/** What reports say of a run that --bail stopped early. */
export const BAIL_NOTE = 'stopped at the first failure (--bail)';

/** Why a scenario run never started, as reports say it. */
export function describeNotRun(reason: NotRunReason): string {
  if (reason === 'beforeAll') return 'not run: the beforeAll hook failed';
  if (reason === 'cancelled') return 'not run: the run was cancelled';
  return reason === 'bail' ? `not run: the run ${BAIL_NOTE}` : 'not run: the run was interrupted';
}

/** What reports say of a scenario run whose teardown failed (its own outcome stands). */
export function describeTeardown(status: StepStatus): string {
  return `teardown ${status === 'error' ? 'errored' : status}: reported apart from the test's outcome; the run fails`;
}

/** How reports count flakiness: `1 flaky step, 2 flaky scenarios`. */
export function describeFlakyCounts(steps: number, scenarios: number): string {
  return `${steps} flaky step${steps === 1 ? '' : 's'}, ${scenarios} flaky scenario${scenarios === 1 ? '' : 's'}`;
}

/** What reports say of a scenario run that passed only when --retry-failed ran it again. */
export function describeFlakyScenario(attempts: readonly { attempt: number; status: StepStatus }[]): string {
  const earlier = attempts.map((a) => `attempt ${a.attempt} ${a.status}`).join(', ');
  return `flaky: passed on attempt ${attempts.length + 1} (${earlier})`;
}
