/** Auth profiles named but declared nowhere: found when the files are loaded, not at the first request that uses them. */
import { type AuthChoice, listScenarioSteps, type Scenario, type Step, suggestClosest } from '@sortie/core';
import type { ScenarioLintProblem } from './lint-scenario.js';

type JsonPath = (string | number)[];

/**
 * Every auth profile a scenario names by name (its `auth` or `auth.use`, a group's `auth`, a
 * request's `auth`, in setup, steps, teardowns and every container) that neither the scenario nor
 * the run's environment (merged with the project file) declares: a request using it could only fail
 * with "Unknown auth profile". The name is looked up as the run looks it up (select-profile.ts of
 * @sortie/auth): written as is, never rendered. `"none"` and inline profiles name nothing.
 */
export function checkAuthNames(scenario: Scenario, environmentProfiles: readonly string[]): ScenarioLintProblem[] {
  const declared = [...listProfiles(scenario.auth), ...environmentProfiles];
  const problems: ScenarioLintProblem[] = [];
  const check = (choice: AuthChoice | undefined, path: JsonPath) => {
    if (typeof choice !== 'string' || choice === 'none' || declared.includes(choice)) return;
    const closest = suggestClosest(choice, declared);
    problems.push({
      path,
      message: `auth profile "${choice}" is not declared`,
      hint:
        closest !== undefined
          ? `did you mean "${closest}"?`
          : declared.length > 0
            ? `declared profiles: ${declared.join(', ')}`
            : 'declare it under auth.profiles in the scenario, the environment or sortie.config.json',
    });
  };
  const auth = scenario.auth;
  if (typeof auth === 'string') check(auth, ['auth']);
  else if (auth !== undefined && !('type' in auth)) check(auth.use, ['auth', 'use']);
  const walk = (steps: readonly Step[] | undefined, path: JsonPath) => {
    for (const [index, step] of (steps ?? []).entries()) {
      const at = [...path, index];
      if ('request' in step) check(step.request.auth, [...at, 'request', 'auth']);
      else if ('group' in step) {
        check(step.group.auth, [...at, 'group', 'auth']);
        walk(step.group.steps, [...at, 'group', 'steps']);
        walk(step.group.teardown, [...at, 'group', 'teardown']);
      } else if ('if' in step) {
        walk(step.if.then, [...at, 'if', 'then']);
        walk(step.if.else, [...at, 'if', 'else']);
      } else if ('loop' in step) {
        walk(step.loop.steps, [...at, 'loop', 'steps']);
        walk(step.loop.teardown, [...at, 'loop', 'teardown']);
      } else if ('forEach' in step) {
        walk(step.forEach.steps, [...at, 'forEach', 'steps']);
        walk(step.forEach.teardown, [...at, 'forEach', 'teardown']);
      }
    }
  };
  for (const { key, steps } of listScenarioSteps(scenario)) walk(steps, [key]);
  return problems;
}

/** The names of the profiles an `auth` section declares. */
export function listProfiles(auth: unknown): string[] {
  if (auth === null || typeof auth !== 'object' || 'type' in auth) return [];
  const profiles = (auth as { profiles?: unknown }).profiles;
  return profiles !== null && typeof profiles === 'object' ? Object.keys(profiles) : [];
}
