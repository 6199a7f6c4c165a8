import { type DbStep, type StepResult, toErrorInfo } from '@sortie/core';
import type { ScenarioContext } from './context.js';
import { runDbOperation } from './db-operation.js';
import { startResult } from './flow/step-results.js';
import { createProcessorState } from './processor-state.js';
import { runProcessors } from './processors.js';
import type { StepPlace } from './request-step.js';
import { statusOf } from './status.js';

/**
 * A `db` step: pre-processors → the operation → post-processors, which read the result
 * (`{ rows, rowCount, affectedRows, insertId, value }`) with `jsonpath` as they would a response body.
 */
export async function runDbStep(step: DbStep, place: StepPlace, ctx: ScenarioContext): Promise<StepResult> {
  const started = performance.now();
  const result = startResult(place, 'db');
  const state = createProcessorState(result);
  result.db = state.db;
  try {
    await runProcessors(step.pre, state, ctx);
    state.data = await runDbOperation(step.db, ctx, state.db);
    if (step.db.as !== undefined) state.extracted.push(step.db.as);
    await runProcessors(step.post, state, ctx);
  } catch (error) {
    result.error = ctx.redactor.redactValue(toErrorInfo(error));
  }
  // console.log of the step's scripts (pre/post) goes to the report and to --verbose.
  if (state.logs !== undefined) result.logs = state.logs;
  result.status = statusOf(result);
  result.durationMs = performance.now() - started;
  return result;
}
