/**
 * Which step results become one line / one test case. Containers (group, if, loop, forEach,
 * include) are walked into; their own entry only appears when they have something of their own
 * to say (an error, a failed assertion) or when nothing below them was reported.
 */
import type { StepResult } from '@sortie/core';

/** Step kinds that hold other steps (`iteration` is one pass of a loop or forEach). */
export const CONTAINER_KINDS: ReadonlySet<string> = new Set(['group', 'if', 'else', 'loop', 'forEach', 'include', 'iteration']);

/** What a reporter remembers about one scenario run's steps: ids only, never results. */
export interface LeafState {
  /** Ids of the steps already reported. */
  seen: Set<string>;
  /** Ids of containers that have a reported descendant (ids are hierarchical: `2.1` is inside `2`). */
  parents: Set<string>;
}

/** Creates an empty state for one scenario run. */
export function createLeafState(): LeafState {
  return { seen: new Set(), parents: new Set() };
}

/**
 * Returns the leaf steps of a `step:end` result that were not reported before. The engine may
 * emit a `step:end` per child and then the container (with or without `children`), or only the
 * outermost result with its children nested; both give each leaf exactly once.
 */
export function collectLeafSteps(step: StepResult, state: LeafState): StepResult[] {
  if (state.seen.has(step.id)) return [];
  markSeen(step.id, state);
  const ownProblem = step.error !== undefined || step.assertions.some((a) => !a.passed);
  const children = step.children ?? [];
  if (children.length > 0) {
    const leaves = children.flatMap((child) => collectLeafSteps(child, state));
    if (ownProblem) leaves.push(withoutChildren(step));
    return leaves;
  }
  if (!CONTAINER_KINDS.has(step.kind)) return [step];
  if (state.parents.has(step.id)) return ownProblem ? [step] : [];
  return step.status === 'passed' && !ownProblem ? [] : [step];
}

function markSeen(id: string, state: LeafState): void {
  state.seen.add(id);
  let cut = id.lastIndexOf('.');
  while (cut > 0) {
    const parent = id.slice(0, cut);
    if (state.parents.has(parent)) break;
    state.parents.add(parent);
    cut = parent.lastIndexOf('.');
  }
}

function withoutChildren(step: StepResult): StepResult {
  const { children: _children, ...rest } = step;
  return rest;
}
