/** Turning a run plan (plain data, possibly from another machine) back into what the engine runs. */
import { dirname } from 'node:path';
import {
  detectSourceFormat,
  type IterationRow,
  IterationRows,
  type LoadedFile,
  locateMergedEnvironment,
  originLocator,
  parseSourceText,
  readIterationRows,
  type SourceOrigins,
} from '@sortie/config';
import { type Environment, ErrorCode, type Project, type Scenario, SortieError } from '@sortie/core';
import { isLocalDataFile, localRowsOf } from './local-plan-file.js';
import { RUN_HOOK_NAMES } from './plan-hooks.js';
import { fromPlanPath, PLAN_FORMAT, type PlanHook, type PlanIterationData, type PlanSource, type RunPlan } from './run-plan.js';
import type { LoadedLibrary } from './script-library.js';
import { originalStepPath } from './select-steps.js';

/** A run plan ready for the engine, with paths resolved on this machine. */
export interface HydratedPlan {
  scenarios: LoadedFile<Scenario>[];
  /** Included scenarios by absolute path. */
  includes: Map<string, LoadedFile<Scenario>>;
  project?: LoadedFile<Project>;
  environmentFile?: LoadedFile<Environment>;
  environment?: LoadedFile<Environment>;
  /** The rows of the data file, each parsed from the file's bytes when a scenario run needs it. */
  iterationData?: IterationRows;
  /** Script libraries by name, with the sources of the scripts the scenarios use. */
  libraries: Map<string, LoadedLibrary>;
  /** Files the run reads (certificates, script files), by absolute path. */
  files: Map<string, Uint8Array>;
  /** The project's beforeAll / afterAll hooks, as scenarios. */
  hooks?: { beforeAll?: HydratedHook; afterAll?: HydratedHook };
}

/** What a plan's top level holds, by kind: a plan received from elsewhere (JSON, a queue) is checked before it is read. */
const PLAN_FIELDS = { root: 'string', scenarios: 'list', includes: 'object', secrets: 'list', libraries: 'list', files: 'object' } as const;

/** @throws SortieError INVALID_INPUT for anything but a run plan of this format, naming the first field that is wrong. */
function checkPlanShape(plan: unknown): asserts plan is RunPlan {
  const invalid = (message: string) => new SortieError(ErrorCode.INVALID_INPUT, 'Invalid run plan', message);
  if (plan === null || typeof plan !== 'object' || (plan as { format?: unknown }).format !== PLAN_FORMAT) {
    throw invalid(`expected a run plan of format ${PLAN_FORMAT}`);
  }
  for (const [field, kind] of Object.entries(PLAN_FIELDS)) {
    const value = (plan as Record<string, unknown>)[field];
    const ok =
      kind === 'list'
        ? Array.isArray(value)
        : kind === 'object'
          ? value !== null && typeof value === 'object' && !Array.isArray(value)
          : typeof value === kind;
    if (!ok)
      throw invalid(
        `a run plan of format ${PLAN_FORMAT} has "${field}" (${kind === 'list' ? 'a list' : kind === 'object' ? 'an object' : 'a string'}): this one ${value === undefined ? 'has none' : 'has another value'}`,
      );
  }
}

/** A project hook ready to run: its scenario (positions of inline steps point into the project file) and beforeAll's exports. */
export interface HydratedHook {
  scenario: LoadedFile<Scenario>;
  export?: string[];
}

/**
 * Hydrates a plan: `root` is where the plan's folder is on this machine (default: the folder it was
 * made in). Checks the format; error positions (`locate`) are derived from each file's text when
 * first needed.
 * @throws SortieError INVALID_INPUT for data that is not a run plan of this format.
 */
export function hydratePlan(plan: RunPlan, root?: string): HydratedPlan {
  checkPlanShape(plan);
  root ??= plan.root;
  const hydrate = <T>(source: PlanSource<T>) => hydrateSource(source, root);
  const includes = new Map(Object.values(plan.includes).map((source) => [fromPlanPath(root, source.file), hydrate(source)]));
  const libraries = new Map(
    plan.libraries.map((library) => [
      library.manifest.name,
      { manifest: library.manifest, dir: fromPlanPath(root, library.dir), source: library.source, scripts: { ...library.scripts } },
    ]),
  );
  const files = new Map(
    Object.entries(plan.files)
      // The data file of a plan made here: its rows are read from disk, nothing needs its bytes.
      .filter(([, file]) => !isLocalDataFile(file))
      .map(([path, file]) => [fromPlanPath(root, path), Buffer.from(file.base64, 'base64')]),
  );
  const hydrated: HydratedPlan = { scenarios: plan.scenarios.map(hydrate), includes, libraries, files };
  if (plan.project !== undefined) hydrated.project = hydrate(plan.project);
  if (plan.environmentFile !== undefined) hydrated.environmentFile = hydrate(plan.environmentFile);
  if (plan.environment !== undefined) hydrated.environment = hydrate(plan.environment);
  // The merged environment locates a profile only the project file declares in the project file, as loaded.
  const { project, environmentFile, environment } = hydrated;
  if (project !== undefined && environmentFile !== undefined && environment !== undefined)
    environment.locate = locateMergedEnvironment(project, environmentFile);
  if (plan.iterationData !== undefined) hydrated.iterationData = hydrateRows(plan.iterationData, files, root);
  if (plan.hooks !== undefined) {
    hydrated.hooks = {};
    for (const name of RUN_HOOK_NAMES) {
      const hook = plan.hooks[name];
      if (hook !== undefined) hydrated.hooks[name] = hydrateHook(hook, root);
    }
  }
  return hydrated;
}

/** A hook of the plan; positions of inline steps are those of the project file under the hook. */
function hydrateHook(hook: PlanHook, root: string): HydratedHook {
  const source = hydrateSource(hook.scenario, root);
  const at = hook.at;
  const scenario: LoadedFile<Scenario> =
    at === undefined ? source : { ...source, locate: (path, target) => source.locate([...at, ...path], target) };
  return hook.export === undefined ? { scenario } : { scenario, export: hook.export };
}

/**
 * The rows of the plan's data file, found again in the bytes the plan carries (checked again: the
 * plan may come from elsewhere). A plan made before rows were read by index carries the rows.
 */
function hydrateRows(data: PlanIterationData, files: ReadonlyMap<string, Buffer>, root: string): IterationRows {
  const legacy: unknown = data.rows;
  if (Array.isArray(legacy)) return IterationRows.fromArray(legacy as IterationRow[]);
  // A plan made in this process: the rows were found (and checked) when it was made.
  const found = localRowsOf(data);
  if (found !== undefined) return found;
  // The bytes decoded once for the run's files: decoding the base64 again kept a second copy of the
  // whole data file for the length of the run.
  const bytes = files.get(fromPlanPath(root, data.file));
  if (bytes === undefined || (data.format !== 'csv' && data.format !== 'csv-newman' && data.format !== 'json')) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid run plan', `the plan does not carry its iteration data file ${data.file}`);
  }
  return readIterationRows(bytes, data.format, data.file);
}

/** A plan source as a loaded file: named as in the plan, its folder on this machine, positions from its text. */
export function hydrateSource<T>(source: PlanSource<T>, root: string): LoadedFile<T> {
  const path = fromPlanPath(root, source.file);
  let locate: LoadedFile<T>['locate'] | undefined;
  return {
    value: source.value,
    file: source.file,
    dir: dirname(path),
    text: source.text,
    locate: (jsonPath, target) => {
      locate ??= locatorOf(source.text, source.file, source.origins);
      return locate(source.kept === undefined ? jsonPath : originalStepPath(jsonPath, source.kept), target);
    },
    ...(source.origins === undefined ? {} : { origins: source.origins }),
  };
}

/**
 * Positions in a plan text. With origins, the text is a Postman collection's own; else a name without a JSON/YAML
 * extension (a Postman v3 collection is a folder) holds converted JSON.
 */
function locatorOf(text: string, file: string, origins: SourceOrigins | undefined): LoadedFile<unknown>['locate'] {
  const known = detectSourceFormat(file) !== undefined;
  if (origins !== undefined) {
    // A Postman collection's own text (JSON, whatever its name), its converted value positioned in it.
    const locate = originLocator(parseSourceText(text, known ? file : `${file}.json`), origins);
    return (jsonPath, target) => ({ ...locate(jsonPath, target), file });
  }
  if (known) return parseSourceText(text, file).locate;
  const parsed = parseSourceText(text, `${file}.json`);
  return (jsonPath, target) => ({ ...parsed.locate(jsonPath, target), file });
}
