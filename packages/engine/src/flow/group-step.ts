import type { GroupStep } from '@sortie/core';
import type { StepPlace } from '../step-place.js';
import { enterContainer, runContainer } from './container-step.js';
import { childParent, type FlowFrame, type StepOutcome } from './flow-frame.js';
import { runTeardown } from './lifecycle.js';

/** A `group`: its steps as children, under its name; its `auth` becomes their default; then its teardown (see lifecycle.ts). */
export function runGroupStep(step: GroupStep, place: StepPlace, frame: FlowFrame): Promise<StepOutcome> {
  return runContainer(step, place, 'group', frame, async () => {
    // The group's own choice is written in this file; without one, its steps inherit the group's place's.
    const parent = step.group.auth === undefined ? childParent(place) : childParent(place, { auth: step.group.auth });
    const body = await frame.runSteps(step.group.steps, parent, enterContainer(step, frame));
    const teardown = await runTeardown(step.group.teardown, parent, frame);
    return { ...body, children: [...body.children, ...teardown] };
  });
}
