/** What the schema cannot say about a scenario, checked before anything runs. */
import type { LoadedFile } from '@sortie/config';
import { ErrorCode, isScriptSourcePath, type Scenario, SortieError } from '@sortie/core';
import { validateTemplates } from '@sortie/template';
import { checkAuthNames } from './check-auth-names.js';
import { checkScriptUses } from './check-uses.js';
import { lintScenario } from './lint-scenario.js';
import type { LoadedLibrary } from './script-library.js';

type JsonPath = (string | number)[];

/**
 * Malformed templates and unknown {{$dynamic}} values, flow rules (a loop with count or while,
 * break inside a loop), library scripts that do not exist or get arguments their parameters
 * reject, and auth profiles named but not declared in the scenario or in `environmentProfiles` (the
 * profiles of the run's environment merged with the project's; undefined when the environment could
 * not be read: that check is left out): one INVALID_INPUT error for the file with every problem in
 * `details`, in line order.
 */
export async function checkScenario(
  loaded: LoadedFile<Scenario>,
  libraries: () => Promise<ReadonlyMap<string, LoadedLibrary>>,
  environmentProfiles?: readonly string[],
): Promise<SortieError | undefined> {
  const located = (title: string) => (issue: { path: JsonPath; message: string; hint?: string }) =>
    new SortieError(ErrorCode.INVALID_INPUT, title, issue.message, {
      location: loaded.locate(issue.path),
      ...(issue.hint === undefined ? {} : { hint: issue.hint }),
    });
  const details = [
    ...validateTemplates(loaded.value, { skip: isScriptSourcePath }).map(located('Invalid template')),
    ...lintScenario(loaded.value).map(located('Invalid step')),
    ...(await checkScriptUses(loaded.value, libraries)).map(located('Invalid script')),
    ...(environmentProfiles === undefined ? [] : checkAuthNames(loaded.value, environmentProfiles).map(located('Unknown auth profile'))),
  ];
  if (details.length === 0) return undefined;
  details.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
  const summary = `${loaded.file} has ${details.length} problem${details.length === 1 ? '' : 's'}`;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', summary, { details });
}

/** The error for an `include` whose file cannot be read, at the `include` that names it. */
export function includeProblem(loaded: LoadedFile<Scenario>, path: JsonPath, file: string, reason?: string): SortieError {
  const message = `cannot read the included scenario ${file}${reason === undefined ? '' : `: ${reason}`}`;
  return includeError(loaded, path, `${loaded.file} includes a file that cannot be read`, message);
}

/** The error for an `include` of a file whose name is not that of a scenario (.json, .yaml, .yml), at the `include`; the file is not read. */
export function includeTypeProblem(loaded: LoadedFile<Scenario>, path: JsonPath, file: string): SortieError {
  const message = `the included scenario ${file} is not a scenario file: expected .json, .yaml or .yml`;
  return includeError(loaded, path, `${loaded.file} includes a file that is not a scenario`, message);
}

function includeError(loaded: LoadedFile<Scenario>, path: JsonPath, summary: string, message: string): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', summary, {
    details: [new SortieError(ErrorCode.INVALID_INPUT, 'Invalid include', message, { location: loaded.locate(path) })],
  });
}

/** Every `include` of a scenario (at any depth), with the JSON path of its `file`. */
export function collectIncludes(value: unknown, path: JsonPath, found: Array<{ path: JsonPath; file: string }> = []) {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) collectIncludes(item, [...path, index], found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'include' && child !== null && typeof child === 'object' && typeof (child as { file?: unknown }).file === 'string') {
        found.push({ path: [...path, key, 'file'], file: (child as { file: string }).file });
      } else if (key !== 'request') collectIncludes(child, [...path, key], found);
    }
  }
  return found;
}
