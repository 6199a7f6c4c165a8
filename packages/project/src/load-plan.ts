import { basename, join, resolve } from 'node:path';
import {
  detectSourceFormat,
  findProjectFile,
  type LoadedFile,
  loadIterationData,
  loadProject,
  loadRunConfig,
  loadScenario,
  type RunConfig,
} from '@sortie/config';
import { ErrorCode, fileReadReason, isSortieError, listScenarioSteps, readOwn, type Scenario, SortieError, setOwn } from '@sortie/core';
import { listProfiles } from './check-auth-names.js';
import { checkDefaultProfile } from './check-default-profile.js';
import { checkScenario, collectIncludes, includeProblem, includeTypeProblem } from './check-scenario.js';
import { readContractFiles } from './contract-files.js';
import { discoverScenarioFiles } from './discover.js';
import { findIncludeCycles } from './include-cycles.js';
import { localDataFile, rememberRows } from './local-plan-file.js';
import { readPlanFiles } from './plan-files.js';
import { type LoadedHook, loadHooks } from './plan-hooks.js';
import { createEnvironmentLoader, loadPostmanCollection, type PlanNote, postmanKindOf, type SecretVariable } from './postman-inputs.js';
import { PLAN_FORMAT, type PlanHook, type PlanSource, type RunPlan, toPlanPath } from './run-plan.js';
import { resolveScriptLibraries } from './script-libraries.js';
import { type LoadedLibrary, loadScriptLibraries } from './script-library.js';
import { type KeptSteps, selectScenarioSteps } from './select-steps.js';

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
  /** `--folder`: run only the folders / groups or requests / steps of these names (Newman's `--folder`). */
  folders?: readonly string[];
  /** `--working-dir`: where the file paths of a Postman collection's bodies resolve (default: the collection's folder). */
  workingDir?: string;
}

/** A plan and what loading it found besides: secret values of the inputs (Postman environments) and notes. */
export interface LoadedPlan {
  plan: RunPlan;
  /** Secret values found in the input files (a Postman environment's values typed `secret`): never in the plan. */
  secrets: Record<string, string>;
  /**
   * Other secret values of the inputs, to register with the run's redactor: a collection's variables
   * typed `secret` (they stay collection variables, so they are in the plan as the collection has them).
   */
  redact: string[];
  /**
   * The collection variables typed `secret` that carry a value in the file (the value is in the plan,
   * which a local run redacts): a plan sent to a server must not carry them (see `validate` of @sortie/api).
   */
  secretVariables: SecretVariable[];
  /**
   * The variables a Postman environment export (the environment) types `secret` whose value is written
   * in the file, enabled or not (the plan has their names only): a bundle a server receives must not
   * carry them, as `sortie run --remote` empties them (see `validate` of @sortie/api).
   */
  environmentSecrets: SecretVariable[];
  /** What the user should know about Postman inputs: items that cannot run, settings applied differently. */
  notes: PlanNote[];
}

/**
 * Loads and validates every input of a run before anything runs: the project file, the environment,
 * the secrets (names, and values when `env` is given), the iteration data, every scenario and every
 * scenario it includes (syntax, schema, templates, flow rules, library script calls), the project's
 * beforeAll / afterAll hooks (a scenario file, or steps in the project file) and what they include, the library
 * scripts they use, the files the environment names and the OpenAPI descriptions contract checks read.
 * @returns a self-contained, JSON-serialisable {@link RunPlan}.
 * @throws SortieError USAGE when the paths hold no scenario; FILE_NOT_FOUND for a path that does not
 *   exist; otherwise one error with every problem of every input (INVALID_INPUT with `details`, or
 *   the single problem itself).
 */
export async function loadPlan(inputs: PlanInputs): Promise<RunPlan> {
  return (await loadPlanWithSecrets(inputs)).plan;
}

/**
 * The configuration when the run's could not be loaded (an unknown environment, a missing secret…,
 * already reported): the project file alone, so that the scenarios are still checked against the
 * project's script libraries — not reported as calling libraries that "are not listed". Nothing when
 * the project file itself is the problem (or there is none).
 */
async function projectAlone(cwd: string): Promise<RunConfig> {
  const file = await findProjectFile(cwd).catch(() => undefined);
  const project = file === undefined ? undefined : await loadProject(file).catch(() => undefined);
  return project === undefined ? { secrets: {} } : { project, secrets: {} };
}

/** The inputs' fields that name one file or folder, and those that hold a list of names. */
const STRING_INPUTS = ['cwd', 'environment', 'iterationData', 'workingDir'] as const;
const LIST_INPUTS = ['scripts', 'folders'] as const;
const RECORD_INPUTS = ['env', 'secretOverrides'] as const;

/**
 * Callers in JavaScript have no types to stop `paths: 'tests'` (read as the paths 't', 'e', …) or
 * `cwd: 5` (a TypeError of node:path): each field of the wrong kind is a usage error that names it.
 */
function checkPlanInputs(inputs: PlanInputs): void {
  const given = (typeof inputs === 'object' && inputs !== null ? inputs : {}) as Record<string, unknown>;
  const invalid = (message: string, hint: string): SortieError => new SortieError(ErrorCode.USAGE, 'Invalid inputs', message, { hint });
  const paths = given.paths;
  if (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string')) {
    throw invalid('"paths" must be a list of scenario files and folders', "for example loadPlan({ paths: ['tests/'] })");
  }
  for (const name of STRING_INPUTS) {
    const value = given[name];
    if (value !== undefined && typeof value !== 'string')
      throw invalid(`"${name}" must be a string, got ${describeKind(value)}`, `leave "${name}" out or give a path`);
  }
  for (const name of LIST_INPUTS) {
    const value = given[name];
    if (value !== undefined && (!Array.isArray(value) || value.some((item) => typeof item !== 'string')))
      throw invalid(`"${name}" must be a list of strings, got ${describeKind(value)}`, `for example ${name}: ['name']`);
  }
  for (const name of RECORD_INPUTS) {
    const value = given[name];
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value)))
      throw invalid(
        `"${name}" must be an object of names to values, got ${describeKind(value)}`,
        name === 'env' ? 'for example env: process.env' : "for example secretOverrides: { API_TOKEN: '…' }",
      );
  }
}

/** What a value of the wrong kind is, for an error message (never the value itself: it may be a secret). */
function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.some((item) => typeof item !== 'string') ? 'a list holding a non-string' : 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * {@link loadPlan}, also returning the secret values found in the input files (which the plan never
 * holds: pass them to the run as secrets) and the notes of Postman inputs.
 */
export async function loadPlanWithSecrets(inputs: PlanInputs): Promise<LoadedPlan> {
  checkPlanInputs(inputs);
  const cwd = resolve(inputs.cwd ?? process.cwd());
  const files = await discoverScenarioFiles(inputs.paths, cwd);
  if (files.length === 0) {
    throw new SortieError(
      ErrorCode.USAGE,
      'No scenarios',
      inputs.paths.length === 0
        ? 'no scenario files or folders given ("paths" is empty)'
        : `no scenario files found in ${inputs.paths.join(', ')}`,
      {
        hint: 'a scenario is a .json, .yaml or .yml file with a top-level "steps" list',
      },
    );
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
  // Secret values of the inputs (a Postman environment's) are filled in by the environment loader; the user's win.
  const found: Record<string, string> = {};
  const overrides: Record<string, string> = { ...inputs.secretOverrides };
  const environmentSecrets: SecretVariable[] = [];
  const loadEnvironmentFile = createEnvironmentLoader(overrides, environmentSecrets);
  const configOptions: Parameters<typeof loadRunConfig>[0] = {
    cwd,
    env: inputs.env ?? {},
    resolveSecrets: inputs.env !== undefined,
    secretOverrides: overrides,
    loadEnvironmentFile,
  };
  if (inputs.environment !== undefined) configOptions.environment = inputs.environment;
  const loadedConfig = await settle(() => loadRunConfig(configOptions));
  const config: RunConfig = loadedConfig ?? (await projectAlone(cwd));
  // The profiles a scenario may name besides its own; unknown when the environment could not be read.
  const environmentProfiles = loadedConfig === undefined ? undefined : listProfiles(loadedConfig.environment?.value.auth);
  const kinds = await Promise.all(files.map((file) => postmanKindOf(resolve(cwd, file))));
  // A run of Postman collections reads a CSV data file as Newman does (trimmed, numbers cast, ragged rows).
  const csv = kinds.every((kind) => kind === 'collection') ? 'newman' : 'rfc4180';
  const dataFile = inputs.iterationData;
  const data = dataFile === undefined ? undefined : await settle(() => loadIterationData(dataFile, { cwd, csv }));
  const { scriptLibraries, projectDir, locateEntry } = resolveScriptLibraries(inputs.scripts ?? [], config, cwd);
  let libraries: Promise<Map<string, LoadedLibrary>> | undefined;
  const loadLibraries = () => {
    libraries ??= loadScriptLibraries(scriptLibraries, projectDir, locateEntry);
    return libraries;
  };

  // Own properties only: a secret named `constructor` is a name like any other (see core's own-properties.ts).
  for (const [name, value] of Object.entries(overrides))
    if (readOwn(inputs.secretOverrides, name) === undefined) setOwn(found, name, value);

  const scenarios: LoadedFile<Scenario>[] = [];
  const includes = new Map<string, LoadedFile<Scenario>>();
  // Every scenario file read (the valid and the invalid), by resolved path: where include cycles are looked for.
  const graph = new Map<string, LoadedFile<Scenario>>();
  const notes: PlanNote[] = [];
  const redact: string[] = [];
  const secretVariables: SecretVariable[] = [];
  const secretDefaults = new Map<LoadedFile<Scenario>, string[]>();
  const folders = new Set(inputs.folders ?? []);
  const foundFolders = new Set<string>();
  // Scenarios narrowed by --folder: what was kept, so positions map back to the user's text wherever the plan runs.
  const kept = new Map<LoadedFile<Scenario>, KeptSteps>();
  const postmanOptions = { cwd, ...(inputs.workingDir === undefined ? {} : { workingDir: inputs.workingDir }), folders: [...folders] };
  for (const [index, file] of files.entries()) {
    const kind = kinds[index];
    if (kind === 'environment' || kind === 'globals') {
      // A variables export given where a collection goes: it would fail as a scenario, property by property.
      const flag = kind === 'environment' ? '-e' : '-g';
      problems.push(
        new SortieError(ErrorCode.USAGE, 'Not a collection', `${file} is a Postman ${kind} export, not a collection or a scenario`, {
          location: { file },
          hint: `give it with ${flag}: sortie run <collection> ${flag} ${file}`,
        }),
      );
      continue;
    }
    const postman = kind === 'collection';
    let loaded = await settle(() =>
      postman
        ? loadPostmanCollection(file, postmanOptions, { notes, foundFolders, redact, secretVariables, secretDefaults })
        : loadScenario(file, { cwd }),
    );
    if (loaded !== undefined && !postman && folders.size > 0) {
      const selection = selectScenarioSteps(loaded, folders, foundFolders);
      if (selection !== undefined) kept.set(selection.loaded, selection.kept);
      loaded = selection?.loaded;
    }
    if (loaded === undefined) continue;
    const own = await checkScenario(loaded, loadLibraries, environmentProfiles);
    graph.set(resolve(cwd, loaded.file), loaded);
    const reached = await loadIncludes(
      loaded,
      loadLibraries,
      environmentProfiles,
      includes,
      graph,
      new Set([resolve(cwd, loaded.file)]),
      cwd,
    );
    if (own === undefined && reached.length === 0) scenarios.push(loaded);
    if (own !== undefined) problems.push(own);
    problems.push(...reached);
  }
  const missing = [...folders].filter((name) => !foundFolders.has(name));
  if (missing.length > 0 && problems.length === 0) {
    problems.push(
      new SortieError(
        ErrorCode.USAGE,
        'Folder not found',
        `no folder, group or request named ${missing.map((name) => `"${name}"`).join(', ')}`,
        {
          hint: '--folder takes the name of a folder or request of a Postman collection, or of a group or step of a scenario',
        },
      ),
    );
  }
  const hooks: LoadedHook[] = [];
  const project = config.project;
  for (const hook of (project === undefined ? undefined : await settle(() => loadHooks(project, cwd))) ?? []) {
    const own = await checkScenario(hook.scenario, loadLibraries, environmentProfiles);
    graph.set(resolve(cwd, hook.scenario.file), hook.scenario);
    const reached = await loadIncludes(
      hook.scenario,
      loadLibraries,
      environmentProfiles,
      includes,
      graph,
      new Set([resolve(cwd, hook.scenario.file)]),
      cwd,
    );
    if (own === undefined && reached.length === 0) hooks.push(hook);
    if (own !== undefined) problems.push(own);
    problems.push(...reached);
  }
  problems.push(...findIncludeCycles(graph));
  const hookScenarios = hooks.map((hook) => hook.scenario);
  const defaultProfile =
    loadedConfig === undefined ? undefined : checkDefaultProfile(loadedConfig, { entries: [...scenarios, ...hookScenarios], includes });
  if (defaultProfile !== undefined) problems.push(defaultProfile);
  const planFiles = await settle(() => readPlanFiles(cwd, config.environment, [...scenarios, ...hookScenarios, ...includes.values()]));
  const contracts = await readContractFiles(cwd, [...scenarios, ...hookScenarios, ...includes.values()]);
  problems.push(...contracts.problems);
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', `${problems.length} files have problems`, { details: problems });
  }
  const toSource = <T>(loaded: LoadedFile<T>): PlanSource<T> => {
    const source: PlanSource<T> = {
      file: toPlanPath(cwd, join(loaded.dir, basename(loaded.file))),
      text: loaded.text,
      value: loaded.value,
    };
    if (loaded.origins !== undefined) source.origins = loaded.origins;
    return source;
  };
  const plan: RunPlan = {
    format: PLAN_FORMAT,
    root: cwd,
    scenarios: scenarios.map((loaded) => {
      const source = toSource(loaded);
      const steps = kept.get(loaded);
      if (steps !== undefined) source.kept = steps;
      const secret = secretDefaults.get(loaded);
      if (secret !== undefined) source.secretDefaults = secret;
      return source;
    }),
    includes: Object.fromEntries([...includes.values()].map((loaded) => [toPlanPath(cwd, loaded.file), toSource(loaded)])),
    secrets: declaredSecrets(config),
    libraries:
      libraries === undefined ? [] : [...(await libraries).values()].map((library) => ({ ...library, dir: toPlanPath(cwd, library.dir) })),
    files: { ...(planFiles ?? {}), ...contracts.files },
  };
  // The data file travels as a file of the plan (its rows are read from it as the run goes), never as rows.
  if (dataFile !== undefined && data !== undefined) {
    const file = toPlanPath(cwd, dataFile);
    plan.iterationData = { file, format: data.format, rows: data.rows.length };
    // Base64 only when the plan leaves this process (the file read again, checked unchanged); a run
    // here takes the rows as found, read from the file as it goes. A scenario that reads the same
    // file (a body) has it in the plan's files already, as bytes.
    plan.files[file] ??= localDataFile(data.readBytes);
    rememberRows(plan.iterationData, data.rows);
  }
  if (config.project !== undefined) plan.project = toSource(config.project);
  if (config.environmentFile !== undefined) plan.environmentFile = toSource(config.environmentFile);
  if (config.environment !== undefined) plan.environment = toSource(config.environment);
  if (hooks.length > 0) {
    plan.hooks = {};
    for (const hook of hooks) {
      const planned: PlanHook = { scenario: toSource(hook.scenario) };
      if (hook.at !== undefined) planned.at = hook.at;
      if (hook.export !== undefined) planned.export = hook.export;
      plan.hooks[hook.name] = planned;
    }
  }
  return { plan, secrets: found, redact, secretVariables, environmentSecrets, notes };
}

/** Names of the secrets the project and environment files declare. */
function declaredSecrets(config: RunConfig): string[] {
  return [...new Set([...(config.project?.value.secrets ?? []), ...(config.environmentFile?.value.secrets ?? [])])];
}

/**
 * Included scenarios are validated with the file that includes them, before anything runs: a
 * missing file is an error at the `include` that names it; a bad one gets its own full report.
 * Each included file is loaded once per plan, however many files include it, and kept in `graph`
 * (valid or not) for {@link findIncludeCycles}: a file met again in the same walk is not read again.
 */
async function loadIncludes(
  loaded: LoadedFile<Scenario>,
  libraries: () => Promise<ReadonlyMap<string, LoadedLibrary>>,
  environmentProfiles: readonly string[] | undefined,
  into: Map<string, LoadedFile<Scenario>>,
  graph: Map<string, LoadedFile<Scenario>>,
  seen: Set<string>,
  cwd: string,
): Promise<SortieError[]> {
  const problems: SortieError[] = [];
  const found = listScenarioSteps(loaded.value).flatMap(({ key, steps }) => collectIncludes(steps, [key]));
  for (const { path, file } of found) {
    const target = resolve(loaded.dir, file);
    if (into.has(target) || seen.has(target)) continue;
    seen.add(target);
    if (detectSourceFormat(target) === undefined) {
      problems.push(includeTypeProblem(loaded, path, file));
      continue;
    }
    let included: LoadedFile<Scenario>;
    try {
      included = await loadScenario(toPlanPath(cwd, target), { cwd });
    } catch (error) {
      if (!isSortieError(error)) throw error;
      problems.push(error.code === ErrorCode.FILE_NOT_FOUND ? includeProblem(loaded, path, file, fileReadReason(error.cause)) : error);
      continue;
    }
    graph.set(target, included);
    const own = await checkScenario(included, libraries, environmentProfiles);
    if (own !== undefined) problems.push(own);
    else into.set(target, included);
    problems.push(...(await loadIncludes(included, libraries, environmentProfiles, into, graph, seen, cwd)));
  }
  return problems;
}
