import { hasSelectedTag, type Step, type StepKind, type StepResult, worstStatus } from '@sortie/core';
import { finishLeafStep, type LeafEnd } from '../finish-step.js';
import { createProcessorState } from '../processor-state.js';
import { runProcessors } from '../processors.js';
import type { StepPlace } from '../step-place.js';
import { decideNext, type FlowFrame, type FlowSignal, policyOf, type StepOutcome } from './flow-frame.js';
import { childrenStatus, startResult } from './step-results.js';

/** What the body of a container ran. `error` is a problem of the container itself (found after some children ran). */
export interface ContainerBody {
  children: StepResult[];
  signal: FlowSignal;
  error?: unknown;
}

/**
 * The shape every container step shares: pre-processors → the body (children) → post-processors
 * (skipped when the body ended the scenario), then the status (its own problems and its children's,
 * ignored children counting as passed) and the on-error policy for its own problems. Processors of
 * a container read the last response of the steps before (pre) or inside (post) it. A thrown error
 * becomes the container's own error; nothing escapes.
 */
export async function runContainer(
  step: Step,
  place: StepPlace,
  kind: StepKind,
  frame: FlowFrame,
  body: (result: StepResult) => Promise<ContainerBody>,
): Promise<StepOutcome> {
  const { ctx } = frame;
  const started = performance.now();
  const result = startResult(place, kind);
  const state = createProcessorState(result);
  let children: StepResult[] = [];
  let signal: FlowSignal = 'next';
  const end: LeafEnd = {};
  try {
    if (ctx.lastResponse !== undefined) state.response = ctx.lastResponse;
    await runProcessors('pre' in step ? step.pre : undefined, state, ctx, 'pre');
    const outcome = await body(result);
    children = outcome.children;
    signal = outcome.signal;
    if (outcome.error !== undefined) throw outcome.error;
    if (signal !== 'end' && signal !== 'bail' && 'post' in step && step.post !== undefined) {
      if (ctx.lastResponse !== undefined) state.response = ctx.lastResponse;
      await runProcessors(step.post, state, ctx, 'post');
    }
  } catch (error) {
    end.error = error;
  }
  const own = finishLeafStep(result, state, started, end).status;
  result.children = children;
  result.status = worstStatus(own, childrenStatus(children, result.phase));
  if (signal === 'next' && own !== 'passed') {
    const ownResult = { ...result, status: own };
    signal = decideNext(ownResult, policyOf(step, frame), frame);
    if (ownResult.ignored === true) result.ignored = true;
  }
  return { result, signal };
}

/** A frame for the children of a container: its `onError` becomes their default. */
export function enterContainer(step: Step, frame: FlowFrame, loop = false): FlowFrame {
  const onError = ('onError' in step ? step.onError : undefined) ?? frame.onError;
  const child: FlowFrame = { ...frame, loopDepth: frame.loopDepth + (loop ? 1 : 0) };
  if (onError !== undefined) child.onError = onError;
  if (frame.tagSelected !== true && hasSelectedTag(step, frame.ctx.options.tags)) child.tagSelected = true;
  return child;
}
