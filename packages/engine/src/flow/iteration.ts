import { countStep, type Step, type StepResult } from '@sortie/core';
import type { Variables } from '@sortie/template';
import type { StepPlace } from '../step-place.js';
import type { ContainerBody } from './container-step.js';
import { childParent, type FlowFrame, type FlowSignal } from './flow-frame.js';
import { runTeardown } from './lifecycle.js';
import { childrenStatus, lightenResult, skippedStep, startResult, stepStartEvent } from './step-results.js';

/**
 * Runs one pass of a loop or forEach as an `iteration` step: id `<loop id>.<n>`, name `<loop name>[n]`,
 * its steps' path ending in that name (so reports read `group › loop[2] › request`). Emits the
 * iteration's own step:start/step:end after its children's and returns its light result. The pass's
 * `teardown` (the loop's) runs after its steps whatever happened to them.
 */
export async function runIteration(
  steps: readonly Step[],
  loop: StepPlace,
  n: number,
  frame: FlowFrame,
  teardown?: readonly Step[],
): Promise<{ result: StepResult; signal: FlowSignal }> {
  const { ctx } = frame;
  const place = passPlace(loop, n);
  ctx.emit(stepStartEvent(place, 'iteration', ctx.key));
  const started = performance.now();
  const result = startResult(place, 'iteration');
  const parent = childParent(place);
  const { children, signal } = await frame.runSteps(steps, parent, frame);
  children.push(...(await runTeardown(teardown, parent, frame)));
  result.children = children;
  result.status = childrenStatus(children, place.phase);
  result.durationMs = performance.now() - started;
  countStep(frame.totals, result);
  ctx.emit({ type: 'step:end', scenario: ctx.key, result });
  return { result: lightenResult(result), signal };
}

/** The place of pass `n` of `loop`: id `<loop id>.<n>`, name `<loop name>[n]`. */
function passPlace(loop: StepPlace, n: number): StepPlace {
  const place: StepPlace = { id: `${loop.id}.${n}`, name: `${loop.name}[${n}]`, path: loop.path };
  if (loop.auth !== undefined) place.auth = loop.auth;
  if (loop.authScenario !== undefined) place.authScenario = loop.authScenario;
  if (loop.phase !== undefined) place.phase = loop.phase;
  return place;
}

/**
 * Reports pass `n`, which an interrupt kept from starting, as a skipped `iteration` step: the loop
 * did not finish, and its reports and totals say so (one step for the passes left, however many).
 */
function skipPass(loop: StepPlace, n: number, frame: FlowFrame): StepResult {
  const { ctx } = frame;
  const place = passPlace(loop, n);
  ctx.emit(stepStartEvent(place, 'iteration', ctx.key));
  const result = skippedStep(place, 'iteration');
  countStep(frame.totals, result);
  ctx.emit({ type: 'step:end', scenario: ctx.key, result });
  return lightenResult(result);
}

/**
 * Runs passes while `prepare(n)` says there is one (it sets the loop variables), consuming `break`
 * and passing `end` / `bail` up. A thrown error stops the loop and becomes the loop's own error,
 * the passes that ran so far kept. After an interrupt the next pass is reported as skipped.
 */
export async function runPasses(
  steps: readonly Step[],
  loop: StepPlace,
  frame: FlowFrame,
  prepare: (n: number) => boolean,
  teardown?: readonly Step[],
): Promise<ContainerBody> {
  const children: StepResult[] = [];
  try {
    for (let n = 0; prepare(n); n++) {
      if (frame.ctx.signal?.aborted) {
        children.push(skipPass(loop, n, frame));
        return { children, signal: 'end' };
      }
      const { result, signal } = await runIteration(steps, loop, n, frame, teardown);
      children.push(result);
      if (signal === 'break') break;
      if (signal !== 'next') return { children, signal };
    }
    return { children, signal: 'next' };
  } catch (error) {
    return { children, signal: 'next', error };
  }
}

/** Remembers the local values of `names` and returns a function putting them back (loop variables do not leak out). */
export function saveLocals(vars: Variables, names: readonly string[]): () => void {
  const saved = names.map((name) => ({ name, value: vars.getIn('local', name), had: vars.getIn('local', name) !== undefined }));
  return () => {
    for (const { name, value, had } of saved) {
      if (had) vars.set('local', name, value);
      else vars.unset('local', name);
    }
  };
}
