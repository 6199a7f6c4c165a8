/**
 * Selecting by tags (`sortie run --tag smoke --tag auth`). One rule for the runner (which scenarios
 * run) and the engine (which steps of them run):
 * - a scenario is selected when it, or any step at any depth, carries a selected tag;
 * - inside a selected scenario, an untagged step always runs (logging in, creating test data…);
 *   a tagged step runs when one of its tags, or of the containers and scenario around it, is selected.
 */
import type { Scenario } from './scenario-schema.js';
import type { Step } from './step-schema.js';

/** The lists of steps a step holds: `group.steps`, `if.then`, `if.else`, `loop.steps`, `forEach.steps`. */
export function listChildSteps(step: Step): (readonly Step[])[] {
  if ('group' in step) return [step.group.steps];
  if ('if' in step) return step.if.else === undefined ? [step.if.then] : [step.if.then, step.if.else];
  if ('loop' in step) return [step.loop.steps];
  if ('forEach' in step) return [step.forEach.steps];
  return [];
}

function tagsOf(step: Step): readonly string[] {
  return 'tags' in step ? (step.tags ?? []) : [];
}

/** Whether the scenario carries one of `selected`, on itself or on any of its steps. */
export function scenarioHasTag(scenario: Scenario, selected: readonly string[]): boolean {
  const wanted = new Set(selected);
  if ((scenario.tags ?? []).some((tag) => wanted.has(tag))) return true;
  const visit = (steps: readonly Step[]): boolean =>
    steps.some((step) => tagsOf(step).some((tag) => wanted.has(tag)) || listChildSteps(step).some(visit));
  return visit(scenario.steps);
}

/** Whether a step (or a scenario) carries one of `selected` itself. */
export function hasSelectedTag(tagged: { tags?: readonly string[] | undefined } | Step, selected: readonly string[]): boolean {
  const tags = 'tags' in tagged ? (tagged.tags ?? []) : [];
  return tags.some((tag) => selected.includes(tag));
}

/**
 * The steps of a scenario that do not run under the tag selection (see the rule above), by identity.
 * An empty selection deselects nothing. `inherited`: a container around the scenario is selected (an
 * included scenario inside a selected include step, group or scenario), so its tagged steps all run.
 */
export function findDeselectedSteps(scenario: Scenario, selected: readonly string[], inherited = false): ReadonlySet<Step> {
  const out = new Set<Step>();
  if (selected.length === 0) return out;
  const wanted = new Set(selected);
  const visit = (steps: readonly Step[], inheritedSelected: boolean) => {
    for (const step of steps) {
      const own = tagsOf(step);
      const selectedHere = inheritedSelected || own.some((tag) => wanted.has(tag));
      if (own.length > 0 && !selectedHere) {
        out.add(step);
        continue;
      }
      for (const list of listChildSteps(step)) visit(list, selectedHere);
    }
  };
  visit(scenario.steps, inherited || (scenario.tags ?? []).some((tag) => wanted.has(tag)));
  return out;
}
