import type { GroupStep } from '@sortie/core';
import type { StepPlace } from '../step-place.js';
import { enterContainer, runContainer } from './container-step.js';
import type { FlowFrame, StepOutcome } from './flow-frame.js';

/** A `group`: its steps as children, under its name; its `auth` becomes their default. */
export function runGroupStep(step: GroupStep, place: StepPlace, frame: FlowFrame): Promise<StepOutcome> {
  return runContainer(step, place, 'group', frame, () => {
    const auth = step.group.auth ?? place.auth;
    const parent = { id: place.id, path: [...place.path, place.name], ...(auth === undefined ? {} : { auth }) };
    return frame.runSteps(step.group.steps, parent, enterContainer(step, frame));
  });
}
