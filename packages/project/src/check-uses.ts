import { isSortieError, listScenarioSteps, type Scenario } from '@sortie/core';
import { checkScriptArguments, refuseArgumentsWithoutParameters } from './check-arguments.js';
import { type LoadedLibrary, readLibraryScript } from './script-library.js';

export interface ScriptUseProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Load-time check of every library script a scenario calls (`{ "script": { "use": … } }`, as a
 * step or a processor, at any depth): the library and the script exist and the `with` arguments
 * match the declared parameters. Nothing runs before this passes. The sources of the scripts used
 * are kept in their library (`scripts`), so the run plan carries them. `libraries` loads the run's
 * libraries once (the first scenario that uses one loads them).
 */
export async function checkScriptUses(
  scenario: Scenario,
  libraries: () => Promise<ReadonlyMap<string, LoadedLibrary>>,
): Promise<ScriptUseProblem[]> {
  const uses: Array<{ path: (string | number)[]; use: string; with: unknown }> = [];
  for (const { key, steps } of listScenarioSteps(scenario)) collectUses(steps, [key], uses);
  if (uses.length === 0) return [];
  // A library that cannot be loaded (not found, an invalid manifest) is its own error, reported at
  // its manifest's lines, not at this scenario's first `use`: it stops the run (exit 2).
  const loaded = await libraries();
  const problems: ScriptUseProblem[] = [];
  for (const { path, use, with: args } of uses) {
    // Arguments for a script without parameters are reported at the `with`; every other problem at the `use`.
    let at = path;
    try {
      const script = await readLibraryScript(loaded, use);
      at = [...path.slice(0, -1), 'with'];
      refuseArgumentsWithoutParameters(use, script.parameters, args);
      at = path;
      await checkScriptArguments(use, script.parameters, args);
    } catch (error) {
      if (!isSortieError(error)) throw error;
      problems.push({ path: at, message: error.hint === undefined ? error.message : `${error.message} (${error.hint})` });
    }
  }
  return problems;
}

function collectUses(
  value: unknown,
  path: (string | number)[],
  into: Array<{ path: (string | number)[]; use: string; with: unknown }>,
): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) collectUses(item, [...path, index], into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'request') continue;
    if (key === 'script' && child !== null && typeof child === 'object' && typeof (child as { use?: unknown }).use === 'string') {
      into.push({ path: [...path, key, 'use'], use: (child as { use: string }).use, with: (child as { with?: unknown }).with });
    } else collectUses(child, [...path, key], into);
  }
}
