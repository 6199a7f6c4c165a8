/**
 * Everything a run is configured with besides its scenarios: the project file (searched upward),
 * the environment (`-e` or the project's default), the `.env` file and the secrets.
 */
import { resolve } from 'node:path';
import { type Environment, ErrorCode, isSortieError, type Project, SortieError } from '@sortie/core';
import { loadDotenvFile } from './dotenv-file.js';
import { resolveEnvironmentFile } from './environment-file.js';
import { type LoadedFile, loadEnvironment, loadProject } from './load-file.js';
import { mergeProjectEnvironment } from './merge-environment.js';
import { findProjectFile } from './project-file.js';
import { resolveSecrets } from './resolve-secrets.js';

export interface RunConfigOptions {
  /** Where the project file search starts and relative paths resolve (default the process's working directory). */
  cwd?: string;
  /** The process environment: secret values, winning over `.env`. */
  env: Record<string, string | undefined>;
  /** `-e`: an environment file or a name in the project's environments folder (default: the project's defaultEnvironment). */
  environment?: string;
  /** `--env-var` values: a secret named there takes that value (and stays a secret). */
  secretOverrides?: Record<string, string>;
  /** Look up secret values (default true); `sortie validate` checks files without them. */
  resolveSecrets?: boolean;
  /** Look for a project file (default true). */
  findProject?: boolean;
  /**
   * Loads the environment file once its path is resolved (default `loadEnvironment`); how a caller
   * reads environments of other formats (a Postman environment export) without this package knowing them.
   */
  loadEnvironmentFile?: (file: string) => Promise<LoadedFile<Environment>>;
}

export interface RunConfig {
  project?: LoadedFile<Project>;
  /** The environment file as written. */
  environmentFile?: LoadedFile<Environment>;
  /** What the run uses: the environment with the project's auth, http and databases merged under it. */
  environment?: LoadedFile<Environment>;
  /** Secret name → value (never from a committed file). */
  secrets: Record<string, string>;
  /** The `.env` file read, if any. */
  dotenvFile?: string;
}

/** An unknown `defaultEnvironment`, reported at its place in the project file (exit 2, as an invalid input). */
function atDefaultEnvironment(error: unknown, project: LoadedFile<Project>): unknown {
  if (!isSortieError(error) || error.title !== 'Unknown environment') return error;
  const location = { ...project.locate(['defaultEnvironment']), file: project.file, path: '$.defaultEnvironment' };
  const detail = new SortieError(ErrorCode.INVALID_INPUT, error.title, error.message, {
    location,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  });
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid project file', `${project.file} has 1 problem`, {
    location: { file: project.file },
    details: [detail],
  });
}

/** The default folder of environment files, relative to the project file (or the working directory). */
export const DEFAULT_ENVIRONMENTS_FOLDER = 'environments';

/**
 * Loads the run configuration: finds and validates the project file, resolves and validates the
 * environment, reads `.env` (next to the project file, else in the working directory) and looks up
 * every secret the project and the environment declare.
 * @throws SortieError INVALID_INPUT for an invalid file or missing secrets, USAGE for an unknown
 *   environment name, FILE_NOT_FOUND for an environment file that cannot be read.
 */
export async function loadRunConfig(options: RunConfigOptions): Promise<RunConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config: RunConfig = { secrets: {} };
  const projectFile = options.findProject === false ? undefined : await findProjectFile(cwd);
  if (projectFile !== undefined) config.project = await loadProject(projectFile);
  const project = config.project;
  const folder = resolve(project?.dir ?? cwd, project?.value.environments ?? DEFAULT_ENVIRONMENTS_FOLDER);
  const name = options.environment ?? project?.value.defaultEnvironment;
  if (name !== undefined) {
    // A defaultEnvironment written as a path is relative to the project file.
    const base = options.environment === undefined && project !== undefined ? project.dir : cwd;
    const file = await resolveEnvironmentFile(name, { folder, cwd: base }).catch((error: unknown) => {
      // Not given with -e: the user has to be told where the name comes from.
      throw options.environment === undefined && project !== undefined ? atDefaultEnvironment(error, project) : error;
    });
    config.environmentFile = await (options.loadEnvironmentFile ?? loadEnvironment)(file);
  }
  const merged = mergeProjectEnvironment(project, config.environmentFile);
  if (merged !== undefined) config.environment = merged;
  if (options.resolveSecrets === false) return config;
  const declaring = [project, config.environmentFile].filter((file) => file !== undefined && (file.value.secrets?.length ?? 0) > 0);
  if (declaring.length === 0) return config;
  const dotenv = await loadDotenvFile(project === undefined ? [cwd] : [project.dir, cwd]);
  if (dotenv !== undefined) config.dotenvFile = dotenv.file;
  const secretOptions: Parameters<typeof resolveSecrets>[1] = { env: options.env };
  if (options.secretOverrides !== undefined) secretOptions.overrides = options.secretOverrides;
  if (dotenv !== undefined) {
    secretOptions.dotenv = dotenv.values;
    secretOptions.dotenvFile = dotenv.file;
  }
  config.secrets = resolveSecrets(declaring as LoadedFile<Project | Environment>[], secretOptions);
  return config;
}
