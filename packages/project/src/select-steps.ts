/**
 * `--folder NAME` (repeatable) on Sortie scenarios, with Newman's meaning: run only the groups or
 * steps of that name. A group named so runs whole; a step named so runs with the groups, loops and
 * forEach steps around it (holding only what was selected, their own settings kept). Steps are
 * matched by their `name` as written. The branches of an `if` are not searched: narrowing one would
 * change what the condition chooses between.
 *
 * The selection is not written out again: the scenario keeps the user's text, and a {@link KeptSteps}
 * map turns a JSON path of the selected steps into the path of the same step in the user's file, so
 * every error position (validation, and runtime errors on an agent) points into the file as written.
 */
import type { LoadedFile, PathSegment } from '@sortie/config';
import type { Scenario, Step } from '@sortie/core';

/** The steps a selection kept, in order: each one's index in the list it came from, and for a group the steps kept inside it. */
export type KeptSteps = KeptStep[];

export interface KeptStep {
  /** Index of the step in the user's `steps` list. */
  at: number;
  /** For a group: what was kept of its `group.steps` (absent when the group runs whole). */
  group?: KeptSteps;
  /** For a loop: what was kept of its `loop.steps` (absent when the loop runs whole). */
  loop?: KeptSteps;
  /** For a forEach: what was kept of its `forEach.steps` (absent when it runs whole). */
  forEach?: KeptSteps;
}

/** The containers --folder looks into: each holds its body in `<key>.steps`. */
const CONTAINERS = ['group', 'loop', 'forEach'] as const;
type Container = (typeof CONTAINERS)[number];

/**
 * The scenario with only the selected steps (its text and positions those of the user's file), and
 * the map of what was kept; undefined when none of its steps is selected.
 */
export function selectScenarioSteps(
  loaded: LoadedFile<Scenario>,
  names: ReadonlySet<string>,
  found: Set<string>,
): { loaded: LoadedFile<Scenario>; kept: KeptSteps } | undefined {
  const selected = selectSteps(loaded.value.steps, names, found);
  if (selected.steps.length === 0) return undefined;
  const value: Scenario = { ...loaded.value, steps: selected.steps };
  const { kept } = selected;
  return { loaded: { ...loaded, value, locate: (path, target) => loaded.locate(originalStepPath(path, kept), target) }, kept };
}

/**
 * The JSON path in the user's file of a path into the selected scenario: `steps[i]` (and
 * `group.steps[j]`, `loop.steps[j]`, `forEach.steps[j]` inside a container that was narrowed) are
 * mapped back to the indices as written.
 */
export function originalStepPath(path: ReadonlyArray<PathSegment>, kept: KeptSteps): PathSegment[] {
  const out: PathSegment[] = [...path];
  let list: KeptSteps | undefined = kept;
  // steps[i] at the top, then <container>.steps[j] for every narrowed container on the way.
  let index = path[0] === 'steps' ? 1 : -1;
  while (list !== undefined && index !== -1 && typeof path[index] === 'number') {
    const step: KeptStep | undefined = list[path[index] as number];
    if (step === undefined) break;
    out[index] = step.at;
    const key = path[index + 1];
    const container = CONTAINERS.find((c) => c === key);
    list = container === undefined ? undefined : step[container];
    index = container !== undefined && path[index + 2] === 'steps' ? index + 3 : -1;
  }
  return out;
}

function selectSteps(steps: readonly Step[], names: ReadonlySet<string>, found: Set<string>): { steps: Step[]; kept: KeptSteps } {
  const kept: KeptSteps = [];
  const out: Step[] = [];
  steps.forEach((step, at) => {
    const name = 'name' in step ? step.name : undefined;
    if (name !== undefined && names.has(name)) {
      found.add(name);
      out.push(step);
      kept.push({ at });
    } else {
      const body = bodyOf(step);
      if (body === undefined) return;
      const inner = selectSteps(body.steps, names, found);
      if (inner.steps.length > 0) {
        out.push(body.narrowed(inner.steps));
        kept.push({ at, [body.container]: inner.kept });
      }
    }
  });
  return { steps: out, kept };
}

/** The body of a container --folder looks into, and the same step holding only `steps`; undefined for other steps. */
function bodyOf(step: Step): { container: Container; steps: readonly Step[]; narrowed: (steps: Step[]) => Step } | undefined {
  if ('group' in step)
    return { container: 'group', steps: step.group.steps, narrowed: (steps) => ({ ...step, group: { ...step.group, steps } }) };
  if ('loop' in step)
    return { container: 'loop', steps: step.loop.steps, narrowed: (steps) => ({ ...step, loop: { ...step.loop, steps } }) };
  if ('forEach' in step) {
    return { container: 'forEach', steps: step.forEach.steps, narrowed: (steps) => ({ ...step, forEach: { ...step.forEach, steps } }) };
  }
  return undefined;
}
