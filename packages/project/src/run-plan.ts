/**
 * The run plan: everything a run needs, validated, as plain JSON-serialisable data. `loadPlan` makes
 * it from what a user names; `hydratePlan` turns it back into what the engine runs, on this machine
 * or on an agent that received it as a bundle. A plan never holds a secret value: only the names of
 * the secrets the project and environment declare (`resolvePlanSecrets` looks the values up).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { IterationDataFormat, SourceOrigins } from '@sortie/config';
import type { Environment, Project, Scenario, ScriptLibrary } from '@sortie/core';
import type { KeptSteps } from './select-steps.js';

/** The format tag of a plan; a reader refuses a plan of another format. */
export const PLAN_FORMAT = 'sortie-plan/1';

/** One input file of the plan: its path as named in reports, its source text and its validated value. */
export interface PlanSource<T> {
  /** Path relative to the plan's root (as the user named it), or absolute when it lies outside. */
  file: string;
  /** The source text: error positions (`locate`) are derived from it again wherever the plan runs. */
  text: string;
  value: T;
  /**
   * A scenario narrowed by `--folder`: which of the steps in `text` the value kept, so that positions
   * of the value's steps are found in the text as the user wrote it (see selectScenarioSteps).
   */
  kept?: KeptSteps;
  /** A value converted from `text` (a Postman collection): where its parts are written in `text` (see LoadedFile.origins). */
  origins?: SourceOrigins;
  /**
   * A Postman collection: the names of its variables typed `secret` (in the value's `defaults`). Their
   * values are in the plan (a plan that leaves this process is refused with them: `validate` with
   * `travels`); whoever runs the plan redacts them ({@link planSecretValues}).
   */
  secretDefaults?: string[];
}

/** A script library with the sources of the scripts the plan's scenarios use. */
export interface PlanLibrary {
  /** As configured: a folder or an npm package name. */
  source: string;
  /** The library folder, a plan path (see {@link PlanSource.file}). */
  dir: string;
  manifest: ScriptLibrary;
  /** Script name → source. */
  scripts: Record<string, string>;
}

/** A file the run reads besides its scenarios (CA and client certificates, script files): base64 of its bytes. */
export interface PlanFile {
  base64: string;
}

/**
 * The iteration data of a plan: the file (its bytes are `files[file]`), its format and how many rows
 * it has. (A plan made before rows were read by index carried `rows` as the rows themselves:
 * hydratePlan still runs such a plan.)
 */
export interface PlanIterationData {
  file: string;
  format: IterationDataFormat;
  rows: number;
}

/** A project hook in a run plan (sortie.config.json beforeAll / afterAll). */
export interface PlanHook {
  /** The hook's scenario: its file, or for inline steps the project file (text and path) with the steps as a scenario named after the hook. */
  scenario: PlanSource<Scenario>;
  /** For inline steps: the JSON path of the hook in the project file, so positions point into it. */
  at?: (string | number)[];
  /** beforeAll: variables that become global variables of every scenario. */
  export?: string[];
}

export interface RunPlan {
  format: typeof PLAN_FORMAT;
  /** The folder the plan was made in (absolute, on the machine that made it); plan paths are relative to it. */
  root: string;
  /** The scenarios to run, in order. */
  scenarios: PlanSource<Scenario>[];
  /** Every scenario an `include` reaches, by plan path. */
  includes: Record<string, PlanSource<Scenario>>;
  project?: PlanSource<Project>;
  /** The environment file as written. */
  environmentFile?: PlanSource<Environment>;
  /** What the run uses: the environment with the project's auth, http and databases merged under it. */
  environment?: PlanSource<Environment>;
  /** Names of the secrets the project and environment declare (never their values). */
  secrets: string[];
  /**
   * The iteration data file (`-d`), checked: its plan path, format and number of rows. Its bytes are
   * in `files` under the same path; the rows are read from them one at a time as the run goes.
   */
  iterationData?: PlanIterationData;
  /** The script libraries of the run (`--scripts` and the project's). */
  libraries: PlanLibrary[];
  /**
   * Files the run reads, by plan path: certificates the environment names, script files scenarios name,
   * OpenAPI descriptions of contract checks and the files their `$ref`s name.
   */
  files: Record<string, PlanFile>;
  /** The project's hooks (sortie.config.json beforeAll / afterAll): run once per run of the plan, wherever it runs. */
  hooks?: { beforeAll?: PlanHook; afterAll?: PlanHook };
}

/**
 * The secret values a plan holds: the values of its Postman collections' variables typed `secret`
 * (see {@link PlanSource.secretDefaults}), as the run sees them (text; JSON for any other value).
 * A run registers them with its redactor, like the secrets it looks up.
 */
export function planSecretValues(plan: RunPlan): string[] {
  const values: string[] = [];
  for (const source of plan.scenarios) {
    const defaults: Record<string, unknown> = source.value.defaults ?? {};
    for (const name of source.secretDefaults ?? []) {
      if (!Object.hasOwn(defaults, name)) continue;
      const value = defaults[name];
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (text !== undefined && text !== '') values.push(text);
    }
  }
  return values;
}

/** A path as stored in a plan: relative to `root` when inside it, else absolute. */
export function toPlanPath(root: string, path: string): string {
  const absolute = resolve(root, path);
  const shown = relative(root, absolute);
  return shown === '' ? '.' : shown.startsWith('..') || isAbsolute(shown) ? absolute : shown;
}

/** The absolute path of a plan path on the machine whose copy of the plan's folder is `root`. */
export function fromPlanPath(root: string, path: string): string {
  return resolve(root, path);
}
