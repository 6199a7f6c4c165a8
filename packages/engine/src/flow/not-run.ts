import { countStep, emptyTotals, type NotRunReason, type RunEvent, type ScenarioResult } from '@sortie/core';
import { placeStep } from './flow-frame.js';
import { formatRunKey, type ScenarioRun } from './scenario-runs.js';
import { stepKind, stepName } from './step-names.js';
import { skippedStep, stepStartEvent } from './step-results.js';

/**
 * Reports a scenario run that never started because the run stopped first (--bail, or a signal):
 * scenario:start, each of its steps as skipped (a container as one skipped step: what it would have
 * run is not known), and scenario:end with status `skipped` and `notRun` saying why.
 */
export function reportNotRun(run: ScenarioRun, reason: NotRunReason, emit: (event: RunEvent) => void, index?: number): ScenarioResult {
  const { value: scenario, file } = run.scenario;
  const key = formatRunKey(file, run.iteration);
  emit(
    run.iteration === undefined
      ? { type: 'scenario:start', name: scenario.name, file }
      : { type: 'scenario:start', name: scenario.name, file, iteration: run.iteration },
  );
  const totals = emptyTotals();
  for (const [index, step] of scenario.steps.entries()) {
    const place = placeStep({ path: [] }, index, stepName(step, index));
    const kind = stepKind(step);
    emit(stepStartEvent(place, kind, key));
    const result = skippedStep(place, kind);
    countStep(totals, result);
    emit({ type: 'step:end', scenario: key, result });
  }
  const result: ScenarioResult = {
    name: scenario.name,
    file,
    status: 'skipped',
    startedAt: Date.now(),
    durationMs: 0,
    totals,
    notRun: reason,
  };
  if (run.iteration !== undefined) result.iteration = run.iteration;
  emit(index === undefined ? { type: 'scenario:end', result } : { type: 'scenario:end', result, index });
  return result;
}
