import { basename, join, resolve } from 'node:path';
import { type LoadedFile, loadIterationData, loadRunConfig, loadScenario, type RunConfig } from '@sortie/config';
import { ErrorCode, isSortieError, listScenarioSteps, type Scenario, SortieError } from '@sortie/core';
import { checkScenario, collectIncludes, includeProblem } from './check-scenario.js';
import { discoverScenarioFiles } from './discover.js';
import { readPlanFiles } from './plan-files.js';
import { type LoadedHook, loadHooks } from './plan-hooks.js';
import { PLAN_FORMAT, type PlanHook, type PlanSource, type RunPlan, toPlanPath } from './run-plan.js';
import { resolveScriptLibraries } from './script-libraries.js';
import { type LoadedLibrary, loadScriptLibraries } from './script-library.js';

/** What a user names for a run. */
export interface PlanInputs {
  /** Scenario files and folders (folders are searched for scenarios). */
  paths: readonly string[];
  /** Where relative paths resolve and the project file search starts (default the process's working directory). */
  cwd?: string;
  /** `-e`: an environment file or a name in the project's environments folder (default: the project's defaultEnvironment). */
  environment?: string;
  /** `-d`: an iteration data file (.csv or .json). */
  iterationData?: string;
  /** `--scripts`: script library folders or npm package names besides the project's. */
  scripts?: readonly string[];
  /**
   * The process environment. When given, every declared secret must have a value (in it or in
   * `.env`), checked with the other inputs; the values are not kept in the plan.
   */
  env?: Record<string, string | undefined>;
  /** `--env-var` values: a declared secret given here needs no other value (and stays a secret). */
  secretOverrides?: Record<string, string>;
}

/**
 * Loads and validates every input of a run before anything runs: the project file, the environment,
 * the secrets (names, and values when `env` is given), the iteration data, every scenario and every
 * scenario it includes (syntax, schema, templates, flow rules, library script calls), the project's
 * beforeAll / afterAll hooks (a scenario file, or steps in the project file) and what they include, the library
 * scripts they use and the files the environment names.
 * @returns a self-contained, JSON-serialisable {@link RunPlan}.
 * @throws SortieError USAGE when the paths hold no scenario; FILE_NOT_FOUND for a path that does not
 *   exist; otherwise one error with every problem of every input (INVALID_INPUT with `details`, or
 *   the single problem itself).
 */
export async function loadPlan(inputs: PlanInputs): Promise<RunPlan> {
  const cwd = resolve(inputs.cwd ?? process.cwd());
  const files = await discoverScenarioFiles(inputs.paths, cwd);
  if (files.length === 0) {
    throw new SortieError(ErrorCode.USAGE, 'No scenarios', `no scenario files found in ${inputs.paths.join(', ')}`, {
      hint: 'a scenario is a .json, .yaml or .yml file with a top-level "steps" list',
    });
  }
  const problems: SortieError[] = [];
  const settle = async <T>(load: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await load();
    } catch (error) {
      if (!isSortieError(error)) throw error;
      problems.push(error);
      return undefined;
    }
  };
  const configOptions: Parameters<typeof loadRunConfig>[0] = { cwd, env: inputs.env ?? {}, resolveSecrets: inputs.env !== undefined };
  if (inputs.environment !== undefined) configOptions.environment = inputs.environment;
  if (inputs.secretOverrides !== undefined) configOptions.secretOverrides = inputs.secretOverrides;
  const config: RunConfig = (await settle(() => loadRunConfig(configOptions))) ?? { secrets: {} };
  const dataFile = inputs.iterationData;
  const rows = dataFile === undefined ? undefined : await settle(() => loadIterationData(dataFile, { cwd }));
  const { scriptLibraries, projectDir } = resolveScriptLibraries(inputs.scripts ?? [], config, cwd);
  let libraries: Promise<Map<string, LoadedLibrary>> | undefined;
  const loadLibraries = () => {
    libraries ??= loadScriptLibraries(scriptLibraries, projectDir);
    return libraries;
  };

  const scenarios: LoadedFile<Scenario>[] = [];
  const includes = new Map<string, LoadedFile<Scenario>>();
  for (const file of files) {
    const loaded = await settle(() => loadScenario(file, { cwd }));
    if (loaded === undefined) continue;
    const own = await checkScenario(loaded, loadLibraries);
    const reached = await loadIncludes(loaded, loadLibraries, includes, new Set([resolve(cwd, loaded.file)]), cwd);
    if (own === undefined && reached.length === 0) scenarios.push(loaded);
    if (own !== undefined) problems.push(own);
    problems.push(...reached);
  }
  const hooks: LoadedHook[] = [];
  const project = config.project;
  for (const hook of (project === undefined ? undefined : await settle(() => loadHooks(project, cwd))) ?? []) {
    const own = await checkScenario(hook.scenario, loadLibraries);
    const reached = await loadIncludes(hook.scenario, loadLibraries, includes, new Set([resolve(cwd, hook.scenario.file)]), cwd);
    if (own === undefined && reached.length === 0) hooks.push(hook);
    if (own !== undefined) problems.push(own);
    problems.push(...reached);
  }
  const hookScenarios = hooks.map((hook) => hook.scenario);
  const planFiles = await settle(() => readPlanFiles(cwd, config.environment, [...scenarios, ...hookScenarios, ...includes.values()]));
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', `${problems.length} files have problems`, { details: problems });
  }
  const toSource = <T>(loaded: LoadedFile<T>): PlanSource<T> => ({
    file: toPlanPath(cwd, join(loaded.dir, basename(loaded.file))),
    text: loaded.text,
    value: loaded.value,
  });
  const plan: RunPlan = {
    format: PLAN_FORMAT,
    root: cwd,
    scenarios: scenarios.map(toSource),
    includes: Object.fromEntries([...includes.values()].map((loaded) => [toPlanPath(cwd, loaded.file), toSource(loaded)])),
    secrets: declaredSecrets(config),
    libraries:
      libraries === undefined ? [] : [...(await libraries).values()].map((library) => ({ ...library, dir: toPlanPath(cwd, library.dir) })),
    files: planFiles ?? {},
  };
  if (config.project !== undefined) plan.project = toSource(config.project);
  if (config.environmentFile !== undefined) plan.environmentFile = toSource(config.environmentFile);
  if (config.environment !== undefined) plan.environment = toSource(config.environment);
  if (dataFile !== undefined && rows !== undefined) plan.iterationData = { file: toPlanPath(cwd, dataFile), rows };
  if (hooks.length > 0) {
    plan.hooks = {};
    for (const hook of hooks) {
      const planned: PlanHook = { scenario: toSource(hook.scenario) };
      if (hook.at !== undefined) planned.at = hook.at;
      if (hook.export !== undefined) planned.export = hook.export;
      plan.hooks[hook.name] = planned;
    }
  }
  return plan;
}

/** Names of the secrets the project and environment files declare. */
function declaredSecrets(config: RunConfig): string[] {
  return [...new Set([...(config.project?.value.secrets ?? []), ...(config.environmentFile?.value.secrets ?? [])])];
}

/**
 * Included scenarios are validated with the file that includes them, before anything runs: a
 * missing file is an error at the `include` that names it; a bad one gets its own full report.
 * Each included file is loaded once per plan, however many files include it.
 */
async function loadIncludes(
  loaded: LoadedFile<Scenario>,
  libraries: () => Promise<ReadonlyMap<string, LoadedLibrary>>,
  into: Map<string, LoadedFile<Scenario>>,
  seen: Set<string>,
  cwd: string,
): Promise<SortieError[]> {
  const problems: SortieError[] = [];
  const found = listScenarioSteps(loaded.value).flatMap(({ key, steps }) => collectIncludes(steps, [key]));
  for (const { path, file } of found) {
    const target = resolve(loaded.dir, file);
    if (seen.has(target) || into.has(target)) continue;
    seen.add(target);
    let included: LoadedFile<Scenario>;
    try {
      included = await loadScenario(toPlanPath(cwd, target), { cwd });
    } catch (error) {
      if (!isSortieError(error)) throw error;
      problems.push(error.code === ErrorCode.FILE_NOT_FOUND ? includeProblem(loaded, path, file) : error);
      continue;
    }
    const own = await checkScenario(included, libraries);
    if (own !== undefined) problems.push(own);
    else into.set(target, included);
    problems.push(...(await loadIncludes(included, libraries, into, seen, cwd)));
  }
  return problems;
}
