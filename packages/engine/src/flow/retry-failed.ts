import type { ScenarioAttempt, ScenarioResult } from '@sortie/core';
import type { ScenarioOutcome } from '../scenario-runner.js';
import { runPool } from './run-pool.js';

/** Reruns one scenario run: its index in the plan, its attempt number (2 for the first rerun), its earlier attempts. */
export type RerunScenario = (index: number, attempt: number, previous: ScenarioAttempt[]) => Promise<ScenarioOutcome>;

/**
 * `--retry-failed N`: once every scenario run ended, runs those that failed or errored again, whole
 * (setup, steps, teardown), up to `times` more times each, `parallel` at a time, stopping when the
 * run is interrupted. The last attempt replaces the earlier ones in `ended`, carrying them in
 * `attempts`; one that passes on a rerun is `flaky` (see runScenario). A scenario whose only problem
 * was its teardown is not rerun: its test passed.
 */
export async function retryFailed(
  ended: Array<ScenarioResult | undefined>,
  times: number,
  rerun: RerunScenario,
  options: { parallel?: number; signal?: AbortSignal },
): Promise<void> {
  for (let attempt = 2; attempt <= times + 1; attempt++) {
    const failed = ended.flatMap((result, index) => (result !== undefined && isProblem(result) ? [index] : []));
    if (failed.length === 0 || options.signal?.aborted === true) return;
    const job = async (k: number): Promise<boolean> => {
      const index = failed[k]!;
      const previous = ended[index]!;
      const { result } = await rerun(index, attempt, [...(previous.attempts ?? []), summariseAttempt(previous, attempt - 1)]);
      ended[index] = result;
      return false;
    };
    await runPool(failed.length, options.parallel ?? 1, job, options.signal);
  }
}

function isProblem(result: ScenarioResult): boolean {
  return result.status === 'failed' || result.status === 'error';
}

function summariseAttempt(result: ScenarioResult, attempt: number): ScenarioAttempt {
  return { attempt, status: result.status, durationMs: result.durationMs, totals: result.totals };
}
