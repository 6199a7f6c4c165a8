import type { DbStep, StepResult } from '@sortie/core';
import type { ScenarioContext } from './context.js';
import { runDbOperation } from './db-operation.js';
import { finishLeafStep, type LeafEnd } from './finish-step.js';
import { startResult } from './flow/step-results.js';
import { createProcessorState } from './processor-state.js';
import { runProcessors } from './processors.js';
import type { StepPlace } from './request-step.js';

/**
 * A `db` step: pre-processors → the operation → post-processors, which read the result
 * (`{ rows, rowCount, affectedRows, insertId, value }`) with `jsonpath` as they would a response body.
 */
export async function runDbStep(step: DbStep, place: StepPlace, ctx: ScenarioContext): Promise<StepResult> {
  const started = performance.now();
  const result = startResult(place, 'db');
  const state = createProcessorState(result);
  result.db = state.db;
  const end: LeafEnd = {};
  try {
    await runProcessors(step.pre, state, ctx, 'pre');
    state.data = await runDbOperation(step.db, ctx, state.db);
    if (step.db.as !== undefined) state.extracted.push(step.db.as);
    await runProcessors(step.post, state, ctx, 'post');
  } catch (error) {
    end.error = error;
  }
  return finishLeafStep(result, state, started, end);
}
