import { type Condition, listScenarioSteps, type Scenario, SortieError, type Step } from '@sortie/core';
import { parseCondition } from '@sortie/extract';

/** A problem the schema cannot see, with the JSON path of the offending value. */
export interface ScenarioLintProblem {
  path: (string | number)[];
  message: string;
  /** What to write instead, when there is more to say than the message. */
  hint?: string;
}

/**
 * Load-time checks of the flow steps that the schema cannot express: a loop needs exactly one of
 * `count` / `while`; `break` must sit inside a loop (of the same file); a group, a loop, a forEach
 * and an `if`'s `then` must hold at least one step (an empty body is a mistake: a loop of nothing
 * would only spend its passes, a `while` one up to its limit); a condition expression (`if`, `loop
 * while`, `break`) must be readable, as it is parsed before any variable is rendered. Setup, steps and teardowns alike. Returns every problem found, in document order.
 */
export function lintScenario(scenario: Scenario): ScenarioLintProblem[] {
  const problems: ScenarioLintProblem[] = [];
  for (const { key, steps } of listScenarioSteps(scenario)) lintSteps(steps, [key], false, problems);
  return problems;
}

function lintSteps(steps: readonly Step[], path: (string | number)[], inLoop: boolean, problems: ScenarioLintProblem[]): void {
  for (const [index, step] of steps.entries()) lintStep(step, [...path, index], inLoop, problems);
}

function lintStep(step: Step, path: (string | number)[], inLoop: boolean, problems: ScenarioLintProblem[]): void {
  if ('break' in step) {
    if (!inLoop) problems.push({ path: [...path, 'break'], message: 'break is only allowed inside a loop or forEach' });
    if (step.break !== true) lintCondition(step.break, [...path, 'break'], problems);
  } else if ('group' in step) {
    if (step.group.steps.length === 0) problems.push({ path: [...path, 'group', 'steps'], message: 'a group needs at least one step' });
    lintSteps(step.group.steps, [...path, 'group', 'steps'], inLoop, problems);
    lintTeardown(step.group.teardown, [...path, 'group'], problems);
  } else if ('if' in step) {
    lintCondition(step.if.condition, [...path, 'if', 'condition'], problems);
    if (step.if.then.length === 0) problems.push({ path: [...path, 'if', 'then'], message: 'then needs at least one step' });
    lintSteps(step.if.then, [...path, 'if', 'then'], inLoop, problems);
    if (step.if.else !== undefined) lintSteps(step.if.else, [...path, 'if', 'else'], inLoop, problems);
  } else if ('loop' in step) {
    if (step.loop.while !== undefined) lintCondition(step.loop.while, [...path, 'loop', 'while'], problems);
    const hasCount = step.loop.count !== undefined;
    const hasWhile = step.loop.while !== undefined;
    if (hasCount === hasWhile) {
      problems.push({
        path: [...path, 'loop'],
        message: hasCount ? 'a loop takes either "count" or "while", not both' : 'a loop needs "count" or "while"',
      });
    }
    if (step.loop.steps.length === 0) problems.push({ path: [...path, 'loop', 'steps'], message: 'a loop needs at least one step' });
    lintSteps(step.loop.steps, [...path, 'loop', 'steps'], true, problems);
    lintTeardown(step.loop.teardown, [...path, 'loop'], problems);
  } else if ('forEach' in step) {
    if (step.forEach.steps.length === 0) {
      problems.push({ path: [...path, 'forEach', 'steps'], message: 'a forEach needs at least one step' });
    }
    lintSteps(step.forEach.steps, [...path, 'forEach', 'steps'], true, problems);
    lintTeardown(step.forEach.teardown, [...path, 'forEach'], problems);
  }
}

/** A container's teardown runs outside the loop it belongs to: a `break` in it has no loop to leave (unless it has its own). */
function lintTeardown(steps: readonly Step[] | undefined, path: (string | number)[], problems: ScenarioLintProblem[]): void {
  if (steps !== undefined) lintSteps(steps, [...path, 'teardown'], false, problems);
}

/** An expression condition that cannot be parsed (`1 == 1 == 1`): the message the run would give, at the expression. */
function lintCondition(condition: Condition, path: (string | number)[], problems: ScenarioLintProblem[]): void {
  if (!('expression' in condition) || typeof condition.expression !== 'string') return;
  try {
    parseCondition(condition.expression);
  } catch (error) {
    if (!(error instanceof SortieError)) throw error;
    problems.push({ path: [...path, 'expression'], message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) });
  }
}
