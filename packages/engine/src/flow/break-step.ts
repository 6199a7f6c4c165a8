import type { BreakStep } from '@sortie/core';
import { finishLeafStep, type LeafEnd } from '../finish-step.js';
import type { StepPlace } from '../step-place.js';
import { evaluateCondition } from './condition.js';
import { decideNext, type FlowFrame, type StepOutcome } from './flow-frame.js';
import { startResult } from './step-results.js';

/**
 * A `break`: leaves the innermost loop, always (`break: true`) or when its condition holds. A
 * condition that cannot be evaluated makes the step an error, handled by the on-error policy.
 */
export function runBreakStep(step: BreakStep, place: StepPlace, frame: FlowFrame): StepOutcome {
  const started = performance.now();
  const result = startResult(place, 'break');
  let holds = false;
  const end: LeafEnd = {};
  try {
    holds = step.break === true || evaluateCondition(step.break, frame.ctx).holds;
  } catch (error) {
    end.error = error;
  }
  finishLeafStep(result, undefined, started, end);
  if (result.status === 'error') return { result, signal: decideNext(result, frame.onError ?? frame.ctx.options.onError, frame) };
  return { result, signal: holds ? 'break' : 'next' };
}
