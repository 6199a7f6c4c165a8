/**
 * `--folder NAME` (repeatable) on Sortie scenarios, with Newman's meaning: run only the groups or
 * steps of that name. A group named so runs whole; a step named so runs with the groups around it
 * (holding only what was selected). Steps are matched by their `name` as written.
 */
import { type LoadedFile, parseSourceText } from '@sortie/config';
import type { Scenario, Step } from '@sortie/core';

/**
 * The scenario with only the selected steps, or undefined when none of its steps is selected. The
 * scenario is carried as its JSON text from then on, so later error positions match its steps.
 */
export function selectScenarioSteps(
  loaded: LoadedFile<Scenario>,
  names: ReadonlySet<string>,
  found: Set<string>,
): LoadedFile<Scenario> | undefined {
  const steps = selectSteps(loaded.value.steps, names, found);
  if (steps.length === 0) return undefined;
  const value: Scenario = { ...loaded.value, steps };
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const parsed = parseSourceText(text, 'selected.json');
  return { ...loaded, value, text, locate: parsed.locate };
}

function selectSteps(steps: readonly Step[], names: ReadonlySet<string>, found: Set<string>): Step[] {
  const kept: Step[] = [];
  for (const step of steps) {
    const name = 'name' in step ? step.name : undefined;
    if (name !== undefined && names.has(name)) {
      found.add(name);
      kept.push(step);
    } else if ('group' in step) {
      const inner = selectSteps(step.group.steps, names, found);
      if (inner.length > 0) kept.push({ ...step, group: { ...step.group, steps: inner } });
    }
  }
  return kept;
}
