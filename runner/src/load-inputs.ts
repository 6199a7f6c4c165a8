import { type LoadedFile, loadEnvironment, loadScenario } from '@sortie/config';
import { type Environment, ErrorCode, isSortieError, type Scenario, SortieError } from '@sortie/core';
import { validateTemplates } from '@sortie/template';
import { discoverScenarioFiles } from './discover.js';

export interface Inputs {
  scenarios: LoadedFile<Scenario>[];
  environment?: LoadedFile<Environment>;
}

/**
 * Loads and validates every input before anything runs. All files are checked; every problem of
 * every file is collected into one INVALID_INPUT error.
 */
export async function loadInputs(paths: readonly string[], envFile: string | undefined): Promise<Inputs> {
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
  let environment: LoadedFile<Environment> | undefined;
  if (envFile !== undefined) environment = await settle(() => loadEnvironment(envFile));
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
  const inputs: Inputs = { scenarios };
  if (environment !== undefined) inputs.environment = environment;
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
