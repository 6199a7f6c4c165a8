import { isAbsolute, relative, resolve } from 'node:path';
import { type IterationRow, type LoadedFile, loadIterationData, loadRunConfig, loadScenario, type RunConfig } from '@sortie/config';
import { ErrorCode, isSortieError, type Scenario, SortieError } from '@sortie/core';
import { checkScriptUses, isScriptSourcePath, lintScenario } from '@sortie/engine';
import { validateTemplates } from '@sortie/template';
import { discoverScenarioFiles } from './discover.js';
import { resolveScriptLibraries, type ScriptLibraries } from './script-libraries.js';

export interface Inputs {
  scenarios: LoadedFile<Scenario>[];
  /** Project file, environment (with the project's defaults merged) and secrets; empty when loading it failed. */
  config: RunConfig;
  /** Rows of `-d`. */
  iterationData?: IterationRow[];
  /** Script libraries of the run (--scripts and the project's). */
  libraries: ScriptLibraries;
}

export interface LoadInputsOptions {
  /** `-e`: an environment file or name (default: the project's defaultEnvironment). */
  environment?: string;
  /** `-d`: iteration data file. */
  iterationData?: string;
  /** Working directory: where the project file search starts. */
  cwd: string;
  /** Process environment (secret values). */
  env: Record<string, string | undefined>;
  /** Look up secret values (default true; validate does not). */
  resolveSecrets?: boolean;
  /** `--scripts`: script libraries besides the project's. */
  scripts?: readonly string[];
}

/**
 * Loads and validates every input before anything runs: the project file, the environment, the
 * secrets, iteration data and every scenario. All are checked; every problem of every file is
 * collected into one INVALID_INPUT error.
 */
export async function loadInputs(paths: readonly string[], options: LoadInputsOptions): Promise<Inputs> {
  const files = await discoverScenarioFiles(paths);
  if (files.length === 0) {
    throw new SortieError(ErrorCode.USAGE, 'No scenarios', `no scenario files found in ${paths.join(', ')}`, {
      hint: 'a scenario is a .json, .yaml or .yml file with a top-level "steps" list',
    });
  }
  const problems: SortieError[] = [];
  const scenarios: LoadedFile<Scenario>[] = [];
  const settle = async <T>(load: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await load();
    } catch (error) {
      if (!isSortieError(error)) throw error;
      problems.push(error);
      return undefined;
    }
  };
  const configOptions: Parameters<typeof loadRunConfig>[0] = {
    cwd: options.cwd,
    env: options.env,
    resolveSecrets: options.resolveSecrets ?? true,
  };
  if (options.environment !== undefined) configOptions.environment = options.environment;
  const config = (await settle(() => loadRunConfig(configOptions))) ?? { secrets: {} };
  const dataFile = options.iterationData;
  const iterationData = dataFile === undefined ? undefined : await settle(() => loadIterationData(dataFile));
  const libraries = resolveScriptLibraries(options.scripts ?? [], config, options.cwd);
  for (const file of files) {
    const loaded = await settle(() => loadScenario(file));
    if (loaded === undefined) continue;
    const scenarioProblems = await checkScenario(loaded, libraries);
    const includeProblems = await checkIncludes(loaded, libraries, new Set([resolve(loaded.file)]));
    if (scenarioProblems === undefined && includeProblems.length === 0) scenarios.push(loaded);
    if (scenarioProblems !== undefined) problems.push(scenarioProblems);
    problems.push(...includeProblems);
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', `${problems.length} files have problems`, { details: problems });
  }
  const inputs: Inputs = { scenarios, config, libraries };
  if (iterationData !== undefined) inputs.iterationData = iterationData;
  return inputs;
}

/**
 * Included scenarios are validated with the file that includes them, before anything runs: a
 * missing file is an error at the `include` that names it; a bad one gets its own full report.
 */
async function checkIncludes(loaded: LoadedFile<Scenario>, libraries: ScriptLibraries, seen: Set<string>): Promise<SortieError[]> {
  const problems: SortieError[] = [];
  for (const { path, file } of collectIncludes(loaded.value.steps, ['steps'])) {
    const target = resolve(loaded.dir, file);
    if (seen.has(target)) continue;
    seen.add(target);
    let included: LoadedFile<Scenario>;
    try {
      // Named like the including file: relative stays relative (to the cwd), absolute stays absolute.
      included = await loadScenario(isAbsolute(loaded.file) ? target : relative(process.cwd(), target));
    } catch (error) {
      if (!isSortieError(error)) throw error;
      problems.push(
        error.code === ErrorCode.FILE_NOT_FOUND
          ? new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', `${loaded.file} includes a file that cannot be read`, {
              details: [
                new SortieError(ErrorCode.INVALID_INPUT, 'Invalid include', `cannot read the included scenario ${file}`, {
                  location: loaded.locate(path),
                }),
              ],
            })
          : error,
      );
      continue;
    }
    const own = await checkScenario(included, libraries);
    if (own !== undefined) problems.push(own);
    problems.push(...(await checkIncludes(included, libraries, seen)));
  }
  return problems;
}

function collectIncludes(value: unknown, path: (string | number)[], found: Array<{ path: (string | number)[]; file: string }> = []) {
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

/**
 * What the schema cannot say, checked before anything runs: malformed templates and unknown
 * {{$dynamic}} values, flow rules (a loop with count or while, break inside a loop), and library
 * scripts that do not exist or get arguments their parameters reject.
 */
async function checkScenario(loaded: LoadedFile<Scenario>, libraries: ScriptLibraries): Promise<SortieError | undefined> {
  const located = (title: string) => (issue: { path: (string | number)[]; message: string }) =>
    new SortieError(ErrorCode.INVALID_INPUT, title, issue.message, { location: loaded.locate(issue.path) });
  const details = [
    ...validateTemplates(loaded.value, { skip: isScriptSourcePath }).map(located('Invalid template')),
    ...lintScenario(loaded.value).map(located('Invalid step')),
    ...(await checkScriptUses(loaded.value, libraries.scriptLibraries, libraries.projectDir)).map(located('Invalid script')),
  ];
  if (details.length === 0) return undefined;
  details.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
  const summary = `${loaded.file} has ${details.length} problem${details.length === 1 ? '' : 's'}`;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', summary, { details });
}
