import type { IfStep } from '@sortie/core';
import type { StepPlace } from '../step-place.js';
import { evaluateCondition } from './condition.js';
import { enterContainer, runContainer } from './container-step.js';
import { childParent, type FlowFrame, type StepOutcome } from './flow-frame.js';

/**
 * An `if`: the condition is evaluated once; `then` runs as children under the step's name, or `else`
 * under `<name> › else`. A condition that cannot be evaluated is the step's own error.
 */
export function runIfStep(step: IfStep, place: StepPlace, frame: FlowFrame): Promise<StepOutcome> {
  return runContainer(step, place, 'if', frame, async () => {
    const holds = evaluateCondition(step.if.condition, frame.ctx).holds;
    const steps = holds ? step.if.then : step.if.else;
    if (steps === undefined) return { children: [], signal: 'next' };
    const parent = childParent(place, holds ? {} : { path: [...place.path, place.name, 'else'] });
    return frame.runSteps(steps, parent, enterContainer(step, frame));
  });
}
