/**
 * Which step results become one line / one test case, by core's rule (countsAsReportedStep), the one
 * the engine's totals use. Containers (group, if, loop, forEach, include) are walked into; their own
 * entry only appears when they have something of their own to say (an error, a failed assertion) or
 * when nothing below them was reported.
 */
import { countsAsReportedStep, hasOwnProblem, type StepResult } from '@sortie/core';

/**
 * What a reporter remembers about one scenario run's steps: the ids of the containers that have a
 * reported descendant and have not ended yet (ids are hierarchical: `2.1` is inside `2`). A
 * container's id is dropped when it ends, so the state holds one id per open nesting level, however
 * many steps or loop passes the run has.
 */
export interface LeafState {
  parents: Set<string>;
}

/** Creates an empty state for one scenario run. */
export function createLeafState(): LeafState {
  return { parents: new Set() };
}

/**
 * Returns the leaf steps of a `step:end` result. The engine emits a `step:end` per child and then
 * the container (with its children nested again as light copies), or only the outermost result with
 * its children nested; both give each leaf exactly once. A step that runs again later (a jump back
 * with `setNextRequest`) is reported again.
 */
export function collectLeafSteps(step: StepResult, state: LeafState): StepResult[] {
  const leaves = state.parents.has(step.id) ? ownEntry(step, true) : collectNested(step);
  for (const leaf of leaves) markReported(leaf.id, state);
  forgetInside(step.id, state);
  return leaves;
}

/** Walks a result whose descendants (if any) were not reported through their own events. */
function collectNested(step: StepResult): StepResult[] {
  const children = step.children ?? [];
  if (children.length === 0) return ownEntry(step, false);
  const leaves = children.flatMap(collectNested);
  if (hasOwnProblem(step)) leaves.push(withoutChildren(step));
  return leaves;
}

/** A step reported on its own: a leaf, or a container shown for its own problem or because nothing inside it was. */
function ownEntry(step: StepResult, reportedInside: boolean): StepResult[] {
  if (!countsAsReportedStep(step, reportedInside)) return [];
  return reportedInside ? [withoutChildren(step)] : [step];
}

/** Marks the enclosing containers of a reported step as having a reported descendant. */
function markReported(id: string, state: LeafState): void {
  let cut = id.lastIndexOf('.');
  while (cut > 0) {
    const parent = id.slice(0, cut);
    if (state.parents.has(parent)) break;
    state.parents.add(parent);
    cut = parent.lastIndexOf('.');
  }
}

/** Drops a step that ended, and any container inside it, from the state. */
function forgetInside(id: string, state: LeafState): void {
  state.parents.delete(id);
  const prefix = `${id}.`;
  for (const parent of state.parents) if (parent.startsWith(prefix)) state.parents.delete(parent);
}

function withoutChildren(step: StepResult): StepResult {
  if (step.children === undefined) return step;
  const { children: _children, ...rest } = step;
  return rest;
}
