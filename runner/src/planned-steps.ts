/**
 * How many leaf steps (requests, scripts, database operations, waits) a scenario will run, for the live
 * progress bar: groups add up their steps, a loop with a literal `count` and a forEach over a literal
 * array multiply theirs (teardowns included). Undefined when the size is not known before the run: an
 * `if`, a `while` loop or a templated count, a forEach over a variable or a response, an include, a `break`.
 */
import { findDeselectedSteps, type Scenario, type Step } from '@sortie/core';

/** Leaf steps of one run of `scenario` (setup, steps and teardown), or undefined when not known in advance. */
export function plannedLeafSteps(scenario: Scenario, tags: readonly string[]): number | undefined {
  const deselected = findDeselectedSteps(scenario, tags);
  return sum([countSteps(scenario.setup, deselected), countSteps(scenario.steps, deselected), countSteps(scenario.teardown, deselected)]);
}

function countSteps(steps: readonly Step[] | undefined, deselected: ReadonlySet<Step>): number | undefined {
  if (steps === undefined) return 0;
  return sum(steps.filter((step) => !deselected.has(step)).map((step) => countStep(step, deselected)));
}

function countStep(step: Step, deselected: ReadonlySet<Step>): number | undefined {
  if ('group' in step) return sum([countSteps(step.group.steps, deselected), countSteps(step.group.teardown, deselected)]);
  if ('loop' in step) {
    const { count, max } = step.loop;
    if (typeof count !== 'number') return undefined;
    return times(Math.min(count, max ?? count), sum([countSteps(step.loop.steps, deselected), countSteps(step.loop.teardown, deselected)]));
  }
  if ('forEach' in step) {
    const { items } = step.forEach;
    if (!Array.isArray(items)) return undefined;
    return times(items.length, sum([countSteps(step.forEach.steps, deselected), countSteps(step.forEach.teardown, deselected)]));
  }
  if ('if' in step || 'include' in step || 'break' in step) return undefined;
  return 1;
}

function sum(counts: ReadonlyArray<number | undefined>): number | undefined {
  let total = 0;
  for (const count of counts) {
    if (count === undefined) return undefined;
    total += count;
  }
  return total;
}

function times(factor: number, count: number | undefined): number | undefined {
  return count === undefined ? undefined : factor * count;
}
