import { type StepResult, type StepStatus, toErrorInfo } from '@sortie/core';
import type { ProcessorState } from './processor-state.js';
import { statusOf } from './status.js';

/** How a leaf step runner ended: what it threw, or `skipped` (`pm.execution.skipRequest()`). */
export interface LeafEnd {
  error?: unknown;
  status?: Extract<StepStatus, 'skipped'>;
  /** The step's retries ran out on attempts that all came out alike (see RetryOutcome.exhausted): it is not flaky even when it passed. */
  notFlaky?: boolean;
}

/**
 * The tail every step runner shares: a thrown error becomes the step's ErrorInfo (kept when the
 * step already has one), what the processors collected (database records, console lines, visualizer
 * data) goes into the result, then its status (`flaky` when it passed only on a retry) and duration. Nothing is redacted here: the engine
 * redacts each event once, as it is emitted (see redact-event.ts).
 */
export function finishLeafStep(result: StepResult, state: ProcessorState | undefined, started: number, end: LeafEnd = {}): StepResult {
  if ('error' in end) result.error = toErrorInfo(end.error);
  if (state !== undefined) {
    if (state.db.length > 0) result.db = state.db;
    if (state.logs !== undefined) result.logs = state.logs;
    if (state.visualizer !== undefined) result.visualizer = state.visualizer;
    if (result.error !== undefined && state.errorLocation !== undefined) result.location = state.errorLocation;
  }
  result.status = end.status ?? statusOf(result);
  // Every attempt but the last was retried because it failed: a step that passed this way is flaky, unless
  // the last attempt was as retryable as the others (the retries ran out: nothing came out differently).
  if (result.status === 'passed' && (result.attempts?.length ?? 0) > 1 && end.notFlaky !== true) result.flaky = true;
  result.durationMs = performance.now() - started;
  return result;
}
