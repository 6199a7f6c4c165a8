/** Titles shared by every reporter, so a step reads the same in the terminal, JUnit and JSON. */
import type { NotRunReason } from '@sortie/core';

/** Formats a step's title: its path and name joined by ` › `. */
export function formatStepTitle(step: { path: string[]; name: string }): string {
  return [...step.path, step.name].join(' › ');
}

/** Formats a scenario run's title: its name, plus ` [iteration N]` when it is one iteration of a data-driven run. */
export function formatScenarioTitle(scenario: { name: string; iteration?: number }): string {
  return scenario.iteration === undefined ? scenario.name : `${scenario.name} [iteration ${scenario.iteration}]`;
}

/** What reports say of a run that --bail stopped early. */
export const BAIL_NOTE = 'stopped at the first failure (--bail)';

/** Why a scenario run never started, as reports say it. */
export function describeNotRun(reason: NotRunReason): string {
  return reason === 'bail' ? `not run: the run ${BAIL_NOTE}` : 'not run: the run was interrupted';
}
