/**
 * What the CLI reporter says of setup, teardown, hooks and flakiness: the notes under a scenario
 * run (a failed teardown, a flaky scenario, earlier attempts) and the summary lines (hooks,
 * teardowns, flaky steps and scenarios).
 */
import type { RunResult, ScenarioResult, StepStatus } from '@sortie/core';
import { describeFlakyCounts, describeFlakyScenario, describeTeardown } from '../shared/titles.js';
import type { Paint } from './ansi.js';

/** Notes printed at the end of a scenario run's block: teardown failures, and how --retry-failed went. */
export function formatScenarioNotes(result: ScenarioResult, paint: Paint): string[] {
  const lines: string[] = [];
  if (result.teardown === 'failed' || result.teardown === 'error') lines.push(`  ${paint('red', describeTeardown(result.teardown))}`);
  if (result.flaky === true && result.attempts !== undefined) lines.push(`  ${paint('yellow', describeFlakyScenario(result.attempts))}`);
  else if (result.attempts !== undefined) {
    lines.push(`  ${paint('red', `failed on each of ${result.attempts.length + 1} attempts (--retry-failed)`)}`);
  }
  return lines;
}

/**
 * Summary lines after Scenarios/Steps: `Hooks` (beforeAll / afterAll and how they ended), `Teardowns`
 * (how many scenario runs' teardowns failed), `Flaky` (steps and scenarios that passed only on a
 * retry). Each line only when there is something to say.
 */
export function formatLifecycleSummary(run: RunResult, paint: Paint): string[] {
  const lines: string[] = [];
  const hooks = run.scenarios.filter((s) => s.hook !== undefined);
  if (hooks.length > 0) {
    const parts = hooks.map((hook) => {
      const text = `${hook.hook} ${hook.notRun === undefined ? hook.status : 'not run'}`;
      return hook.status === 'failed' || hook.status === 'error' ? paint('red', text) : text;
    });
    lines.push(`${paint('bold', 'Hooks')}       ${parts.join(', ')}`);
  }
  const teardowns = run.scenarios.filter((s) => s.teardown !== undefined);
  const failedTeardowns = teardowns.filter((s) => s.teardown === 'failed' || s.teardown === 'error').length;
  // keepResults 'problems': the runs left out of the list had teardowns that passed (or were skipped).
  const ranTeardowns = teardowns.length + (run.omittedCounts?.teardowns ?? 0);
  if (ranTeardowns > 0) {
    const failed = `${failedTeardowns} failed`;
    lines.push(`${paint('bold', 'Teardowns')}   ${ranTeardowns} ran (${failedTeardowns > 0 ? paint('red', failed) : failed})`);
  }
  const flakySteps = run.totals.flaky ?? 0;
  const flakyScenarios = run.scenarios.filter((s) => s.flaky === true).length;
  if (flakySteps > 0 || flakyScenarios > 0) {
    const note = run.failOnFlaky === true ? ' — counted as failures (--fail-on-flaky)' : '';
    lines.push(`${paint('bold', 'Flaky')}       ${paint('yellow', describeFlakyCounts(flakySteps, flakyScenarios))}${note}`);
  }
  return lines;
}

/** The `Scenarios` line's counts: by status, and the runs an interrupt cut short. */
export type ScenarioCounts = Record<StepStatus, number> & { interrupted: number };

/**
 * The scenario runs the `Scenarios` line counts, by status: the project hooks are not scenarios; the
 * runs a run result of keepResults 'problems' left out are counted in `omittedCounts`. In an
 * interrupted run, `cutShort` runs (see {@link isCutShort}) are counted as `interrupted`, not as
 * passed: they did not finish.
 */
export function countScenarios(run: RunResult, cutShort = 0): ScenarioCounts {
  const count = { passed: run.omittedCounts?.passed ?? 0, failed: 0, error: 0, skipped: run.omittedCounts?.skipped ?? 0, interrupted: 0 };
  for (const scenario of run.scenarios) if (scenario.hook === undefined) count[scenario.status] += 1;
  if (run.status === 'interrupted') {
    count.interrupted = Math.min(cutShort, count.passed);
    count.passed -= count.interrupted;
  }
  return count;
}

/**
 * A scenario run the interrupt cut short (`interrupted`, set by the engine) that passed what it ran.
 * The run result counts it as passed (its status), so the CLI reporter counts such runs as their
 * scenario:end events come, and shows them as interrupted.
 */
export function isCutShort(scenario: ScenarioResult): boolean {
  return scenario.hook === undefined && scenario.status === 'passed' && scenario.interrupted === true;
}
