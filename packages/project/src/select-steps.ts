/**
 * `--folder NAME` (repeatable) on Sortie scenarios, with Newman's meaning: run only the groups or
 * steps of that name. A group named so runs whole; a step named so runs with the groups around it
 * (holding only what was selected). Steps are matched by their `name` as written.
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
}

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
 * `group.steps[j]` inside a group that was narrowed) are mapped back to the indices as written.
 */
export function originalStepPath(path: ReadonlyArray<PathSegment>, kept: KeptSteps): PathSegment[] {
  const out: PathSegment[] = [...path];
  let list: KeptSteps | undefined = kept;
  // steps[i] at the top, then group.steps[j] for every narrowed group on the way.
  let index = path[0] === 'steps' ? 1 : -1;
  while (list !== undefined && index !== -1 && typeof path[index] === 'number') {
    const step: KeptStep | undefined = list[path[index] as number];
    if (step === undefined) break;
    out[index] = step.at;
    list = step.group;
    index = path[index + 1] === 'group' && path[index + 2] === 'steps' ? index + 3 : -1;
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
    } else if ('group' in step) {
      const inner = selectSteps(step.group.steps, names, found);
      if (inner.steps.length > 0) {
        out.push({ ...step, group: { ...step.group, steps: inner.steps } });
        kept.push({ at, group: inner.kept });
      }
    }
  });
  return { steps: out, kept };
}
