import { type IterationRow, type LoadedFile, loadIterationData, loadRunConfig, loadScenario, type RunConfig } from '@sortie/config';
import { ErrorCode, isSortieError, type Scenario, SortieError } from '@sortie/core';
import { validateTemplates } from '@sortie/template';
import { discoverScenarioFiles } from './discover.js';

export interface Inputs {
  scenarios: LoadedFile<Scenario>[];
  /** Project file, environment (with the project's defaults merged) and secrets; empty when loading it failed. */
  config: RunConfig;
  /** Rows of `-d`. */
  iterationData?: IterationRow[];
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
  for (const file of files) {
    const loaded = await settle(() => loadScenario(file));
    if (loaded === undefined) continue;
    const templateProblems = checkTemplates(loaded);
    if (templateProblems === undefined) scenarios.push(loaded);
    else problems.push(templateProblems);
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', `${problems.length} files have problems`, { details: problems });
  }
  const inputs: Inputs = { scenarios, config };
  if (iterationData !== undefined) inputs.iterationData = iterationData;
  return inputs;
}

/** Malformed templates and unknown {{$dynamic}} values are input errors, found before anything runs. */
function checkTemplates(loaded: LoadedFile<Scenario>): SortieError | undefined {
  const issues = validateTemplates(loaded.value);
  if (issues.length === 0) return undefined;
  const details = issues.map(
    (issue) => new SortieError(ErrorCode.INVALID_INPUT, 'Invalid template', issue.message, { location: loaded.locate(issue.path) }),
  );
  const summary = `${loaded.file} has ${details.length} template problem${details.length === 1 ? '' : 's'}`;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', summary, { details });
}
