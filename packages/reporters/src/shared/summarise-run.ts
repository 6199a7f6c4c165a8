import { addTotals, emptyTotals, type RunResult, type ScenarioResult, worstStatus } from '@sortie/core';

/**
 * Builds the run result of a run that was cut short (no `run:end` before `close()`) from the
 * scenario runs that ended. Its duration runs until `now`.
 */
export function summariseEndedRun(startedAt: number, ended: ScenarioResult[], now: number = Date.now()): RunResult {
  const totals = emptyTotals();
  let status: RunResult['status'] = 'skipped';
  for (const scenario of ended) {
    addTotals(totals, scenario.totals);
    status = worstStatus(status, scenario.status);
  }
  return { status, startedAt, durationMs: Math.max(0, now - startedAt), totals, scenarios: [...ended] };
}
