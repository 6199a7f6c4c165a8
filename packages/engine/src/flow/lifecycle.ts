import type { Scenario, Step, StepResult } from '@sortie/core';
import type { ScenarioContext } from '../context.js';
import type { FlowFrame, FlowSignal, StepParent } from './flow-frame.js';

/**
 * A scenario's steps between its setup and its teardown: `setup` first (ids `setup.N`, path
 * `setup`); when it ends the list (a failure under on-error `end`, --bail, an interrupt) the test's
 * steps are reported as skipped; then `steps`; then `teardown`, whatever happened (see runTeardown).
 * An included scenario runs the same way, inside its include step (`parent`).
 * Returns the signal that ended the setup or the test, for the scenario run (a `bail` stops the run).
 */
export async function runScenarioSteps(
  scenario: Scenario,
  parent: StepParent,
  frame: FlowFrame,
): Promise<{ children: StepResult[]; signal: FlowSignal }> {
  const children: StepResult[] = [];
  let signal: FlowSignal = 'next';
  if (scenario.setup !== undefined && scenario.setup.length > 0) {
    const setup = await frame.runSteps(scenario.setup, phaseParent(parent, 'setup'), frame);
    children.push(...setup.children);
    signal = setup.signal === 'break' ? 'end' : setup.signal;
  }
  const test = await frame.runSteps(scenario.steps, parent, frame, signal);
  children.push(...test.children);
  if (signal === 'next') signal = test.signal;
  children.push(...(await runTeardown(scenario.teardown, phaseParent(parent, 'teardown'), frame)));
  return { children, signal };
}

/**
 * Runs a teardown (a scenario's, or a group's or loop pass's, after its steps), whatever happened
 * before it: failures, errors, on-error `end`, --bail, an interrupt. Its steps see the variables of
 * the scenario run; they count in the teardown totals (apart from the test's outcome); they go on
 * after a failure unless a step says otherwise (default on-error `continue`); they never stop the
 * run (--bail) and a `break` inside stays inside. After an interrupt they run under the grace
 * signal (ScenarioContext.teardownSignal): when the grace period ends too, what is left is skipped.
 */
export async function runTeardown(steps: readonly Step[] | undefined, container: StepParent, frame: FlowFrame): Promise<StepResult[]> {
  if (steps === undefined || steps.length === 0) return [];
  const parent: StepParent = {
    ...container,
    id: container.id === undefined ? 'teardown' : `${container.id}.teardown`,
    path: [...container.path, 'teardown'],
    phase: 'teardown',
  };
  const teardown: FlowFrame = {
    ...frame,
    ctx: teardownContext(frame.ctx),
    totals: frame.teardownTotals,
    bail: false,
    loopDepth: 0,
    onError: 'continue',
  };
  const { children } = await frame.runSteps(steps, parent, teardown);
  return children;
}

/** The parent of a setup's or teardown's steps inside `parent`: id `<parent>.setup`, path `… › setup`. */
function phaseParent(parent: StepParent, phase: 'setup' | 'teardown'): StepParent {
  if (phase === 'teardown') return parent;
  return { ...parent, id: parent.id === undefined ? phase : `${parent.id}.${phase}`, path: [...parent.path, phase], phase };
}

/** The context a teardown runs in: the scenario run's, with the grace signal instead of the run's. */
function teardownContext(ctx: ScenarioContext): ScenarioContext {
  const copy: ScenarioContext = { ...ctx };
  // The run's --timeout deadline cuts the test's requests, not the cleanup's (the grace signal bounds those).
  if (ctx.options.deadline !== undefined) {
    const { deadline: _deadline, ...options } = ctx.options;
    copy.options = options;
  }
  if (ctx.teardownSignal === undefined) delete copy.signal;
  else copy.signal = ctx.teardownSignal;
  return copy;
}
