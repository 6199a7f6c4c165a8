/**
 * `--grep PATTERN` and `--tag TAG`: which scenarios of a plan run. The steps a tag selection leaves
 * out inside a selected scenario are the engine's business (RunOptions.tags).
 */
import { ErrorCode, type RunPlan, SortieError } from '@sortie/api';
import { scenarioHasTag } from '@sortie/core';

/**
 * The plan with only the selected scenarios: `grep` matches a scenario's name or its file path;
 * with `tags`, a scenario carrying one of them (on itself or a step) is selected. Both given: both must hold.
 * @throws SortieError USAGE when nothing is left to run
 */
export function selectScenarios(plan: RunPlan, selection: { grep?: RegExp; tags: readonly string[] }): RunPlan {
  const { grep, tags } = selection;
  if (grep === undefined && tags.length === 0) return plan;
  const scenarios = plan.scenarios.filter(
    (source) =>
      (grep === undefined || grep.test(source.value.name) || grep.test(source.file)) &&
      (tags.length === 0 || scenarioHasTag(source.value, tags)),
  );
  if (scenarios.length === 0) {
    const asked = [...(grep === undefined ? [] : [`--grep ${grep.source}`]), ...tags.map((tag) => `--tag ${tag}`)].join(' ');
    throw new SortieError(ErrorCode.USAGE, 'Nothing to run', `no scenario of the ${plan.scenarios.length} given matches ${asked}`, {
      hint: '--grep matches scenario names and file paths (a regular expression, case-insensitive); --tag matches the tags of scenarios and steps',
    });
  }
  return { ...plan, scenarios };
}
