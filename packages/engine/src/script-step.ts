import type { ScriptStep, StepResult } from '@sortie/core';
import type { ScenarioContext } from './context.js';
import { finishLeafStep, type LeafEnd } from './finish-step.js';
import { startResult } from './flow/step-results.js';
import { createProcessorState } from './processor-state.js';
import { runProcessors } from './processors.js';
import type { StepPlace } from './request-step.js';
import { applyScriptOutcome } from './scripts/apply-outcome.js';
import { runScript } from './scripts/run-script.js';

/**
 * A `script` step: pre-processors → the script (it sees the last response, if any) → post-processors.
 * Its `pm.test` results are the step's assertions.
 */
export async function runScriptStep(step: ScriptStep, place: StepPlace, ctx: ScenarioContext): Promise<StepResult> {
  const started = performance.now();
  const result = startResult(place, 'script');
  const state = createProcessorState(result);
  const end: LeafEnd = {};
  try {
    await runProcessors(step.pre, state, ctx, 'pre');
    const call: Parameters<typeof runScript>[1] = {
      eventName: 'test',
      defaultName: place.name,
      requestName: place.name,
      requestId: place.id,
      location: [ctx.scenario.value.name, ...place.path, place.name],
    };
    if (ctx.lastResponse !== undefined) call.response = ctx.lastResponse;
    const { outcome, name } = await runScript(step.script, call, ctx);
    applyScriptOutcome(outcome, name, state, ctx);
    await runProcessors(step.post, state, ctx, 'post');
  } catch (error) {
    end.error = error;
  }
  return finishLeafStep(result, state, started, end);
}
