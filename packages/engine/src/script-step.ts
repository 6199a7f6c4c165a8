import { type ScriptStep, type StepResult, toErrorInfo } from '@sortie/core';
import type { ScenarioContext } from './context.js';
import { startResult } from './flow/step-results.js';
import { createProcessorState } from './processor-state.js';
import { runProcessors } from './processors.js';
import type { StepPlace } from './request-step.js';
import { applyScriptOutcome } from './scripts/apply-outcome.js';
import { runScript } from './scripts/run-script.js';
import { statusOf } from './status.js';

/**
 * A `script` step: pre-processors → the script (it sees the last response, if any) → post-processors.
 * Its `pm.test` results are the step's assertions.
 */
export async function runScriptStep(step: ScriptStep, place: StepPlace, ctx: ScenarioContext): Promise<StepResult> {
  const started = performance.now();
  const result = startResult(place, 'script');
  const state = createProcessorState(result);
  try {
    await runProcessors(step.pre, state, ctx);
    const call: Parameters<typeof runScript>[1] = {
      eventName: 'test',
      defaultName: place.name,
      requestName: place.name,
      requestId: place.id,
    };
    if (ctx.lastResponse !== undefined) call.response = ctx.lastResponse;
    const { outcome, name } = await runScript(step.script, call, ctx);
    applyScriptOutcome(outcome, name, state, ctx);
    await runProcessors(step.post, state, ctx);
  } catch (error) {
    result.error = ctx.redactor.redactValue(toErrorInfo(error));
  }
  if (state.db.length > 0) result.db = state.db;
  if (state.logs !== undefined) result.logs = state.logs;
  if (state.visualizer !== undefined) result.visualizer = ctx.redactor.redactValue(state.visualizer);
  for (let i = 0; i < result.assertions.length; i++) result.assertions[i] = ctx.redactor.redactValue(result.assertions[i]!);
  result.status = statusOf(result);
  result.durationMs = performance.now() - started;
  return result;
}
