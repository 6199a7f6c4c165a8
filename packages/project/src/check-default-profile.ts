/**
 * The environment's (or project file's) `auth.use`: the profile of every request that chooses none. A
 * name declared nowhere used to be found at the first such request, after other requests had been
 * sent; it is found here, with the other inputs, at that `use`.
 */
import { resolve } from 'node:path';
import type { LoadedFile, RunConfig } from '@sortie/config';
import { type AuthChoice, ErrorCode, listScenarioSteps, type Scenario, SortieError, type Step, suggestClosest } from '@sortie/core';
import { listProfiles } from './check-auth-names.js';

/** The scenario files of a run: those run (and the project's hooks), and every included one by resolved path. */
export interface ScenarioFiles {
  entries: readonly LoadedFile<Scenario>[];
  includes: ReadonlyMap<string, LoadedFile<Scenario>>;
}

/**
 * The problem of a default profile (`auth.use` of the environment, else of the project file) that the
 * run cannot find: a request with no choice of its own, nor from a group or scenario around it (nor
 * from the step that included its file) uses it, and it is looked up in that request's file (the
 * including file's, for a file included without a choice of its own), then in the environment
 * (select-profile.ts of @sortie/auth). So a name the environment and the project do not declare must
 * be declared by each such file — and, when there is none, by some file of the run (else it is a name
 * declared nowhere). Undefined when there is nothing to report.
 */
export function checkDefaultProfile(config: RunConfig, files: ScenarioFiles): SortieError | undefined {
  const use = config.environment?.value.auth?.use;
  if (typeof use !== 'string' || use === 'none') return undefined;
  const declared = listProfiles(config.environment?.value.auth);
  if (declared.includes(use)) return undefined;
  const all = [...files.entries, ...files.includes.values()];
  const declares = (loaded: LoadedFile<Scenario>) => listProfiles(loaded.value.auth).includes(use);
  const relying = findDefaultUsers(files);
  const missing = [...relying].filter((loaded) => !declares(loaded));
  if (missing.length === 0 && (relying.size > 0 || all.some(declares))) return undefined;
  const own = config.environmentFile?.value.auth?.use !== undefined ? config.environmentFile : undefined;
  const source = own ?? config.project;
  if (source === undefined) return undefined;
  const elsewhere = all.filter(declares).map((loaded) => loaded.file);
  const known = [...new Set([...declared, ...all.flatMap((loaded) => listProfiles(loaded.value.auth))])];
  const closest = suggestClosest(use, known);
  const names = missing.map((loaded) => loaded.file).join(', ');
  const message =
    elsewhere.length === 0
      ? `auth profile "${use}" is not declared`
      : `auth profile "${use}" is not declared here nor in ${names}, whose requests use it (only ${elsewhere.join(', ')} declares it)`;
  const hint =
    closest !== undefined
      ? `did you mean "${closest}"?`
      : elsewhere.length > 0
        ? 'declare it under auth.profiles here, or in each scenario whose requests use it'
        : known.length > 0
          ? `declared profiles: ${known.join(', ')}`
          : 'declare it under auth.profiles here, or in the scenario';
  const detail = new SortieError(ErrorCode.INVALID_INPUT, 'Unknown auth profile', message, {
    location: source.locate(['auth', 'use']),
    hint,
  });
  const title = source === own ? 'Invalid environment' : 'Invalid project file';
  return new SortieError(ErrorCode.INVALID_INPUT, title, `${source.file} has 1 problem`, {
    location: { file: source.file },
    details: [detail],
  });
}

/**
 * The files the default profile is looked up in: each file with a request that falls back on it (no
 * choice of its own, nor around it), or for such a request of a file included without a choice of
 * its own, the including file (where the run looks it up, see include-step.ts of @sortie/engine).
 */
function findDefaultUsers(files: ScenarioFiles): Set<LoadedFile<Scenario>> {
  const found = new Set<LoadedFile<Scenario>>();
  // Each file is walked once per file its defaults are looked up in.
  const visited = new Map<LoadedFile<Scenario>, Set<LoadedFile<Scenario>>>();
  const visitFile = (loaded: LoadedFile<Scenario>, lookup: LoadedFile<Scenario>, chosen: AuthChoice | undefined) => {
    const seen = visited.get(loaded) ?? new Set();
    if (seen.has(lookup)) return;
    visited.set(loaded, seen.add(lookup));
    for (const { steps } of listScenarioSteps(loaded.value)) walk(loaded, lookup, steps, chosen);
  };
  const walk = (
    loaded: LoadedFile<Scenario>,
    lookup: LoadedFile<Scenario>,
    steps: readonly Step[] | undefined,
    chosen: AuthChoice | undefined,
  ) => {
    for (const step of steps ?? []) {
      if ('request' in step) {
        if ((step.request.auth ?? chosen) === undefined) found.add(lookup);
      } else if ('group' in step) {
        walk(loaded, lookup, step.group.steps, step.group.auth ?? chosen);
        walk(loaded, lookup, step.group.teardown, step.group.auth ?? chosen);
      } else if ('if' in step) {
        walk(loaded, lookup, step.if.then, chosen);
        walk(loaded, lookup, step.if.else, chosen);
      } else if ('loop' in step) {
        walk(loaded, lookup, step.loop.steps, chosen);
        walk(loaded, lookup, step.loop.teardown, chosen);
      } else if ('forEach' in step) {
        walk(loaded, lookup, step.forEach.steps, chosen);
        walk(loaded, lookup, step.forEach.teardown, chosen);
      } else if ('include' in step && chosen === undefined) {
        // An included file with a choice of its own never falls back; without one, it looks the default up here.
        const included = files.includes.get(resolve(loaded.dir, step.include.file));
        if (included !== undefined && scenarioChoice(included.value) === undefined) visitFile(included, lookup, undefined);
      }
    }
  };
  for (const loaded of files.entries) visitFile(loaded, loaded, scenarioChoice(loaded.value));
  return found;
}

/** The choice a scenario gives its requests: its `auth` when it is one, else the `use` of its profiles. */
function scenarioChoice(scenario: Scenario): AuthChoice | undefined {
  const auth = scenario.auth;
  if (auth === undefined || typeof auth === 'string' || 'type' in auth) return auth;
  return auth.use;
}
