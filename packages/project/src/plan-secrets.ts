/** Secret values of a run: looked up where the plan runs, never stored in it. */
import { resolve } from 'node:path';
import { type LoadedFile, loadDotenvFile, resolveSecrets, type SecretsDeclaration } from '@sortie/config';
import { ErrorCode, isObjectArgument, SortieError, wrongArgument } from '@sortie/core';
import { hydrateSource } from './hydrate-plan.js';
import type { RunPlan } from './run-plan.js';

export interface PlanSecretsOptions {
  /** The process environment: wins over `.env`. */
  env: Record<string, string | undefined>;
  /** Where the plan's folder is on this machine (default: where it was made); `.env` is looked for next to the project file, then here. */
  root?: string;
  /** `--env-var` values, first of all sources for a declared secret. */
  overrides?: Record<string, string>;
}

/**
 * Looks up the value of every secret the plan's project and environment declare: the process
 * environment first, then `.env` (next to the project file, else in the root folder).
 * @returns secret name → value.
 * @throws SortieError INVALID_INPUT naming each missing secret at its place in its file (values never appear).
 */
export async function resolvePlanSecrets(plan: RunPlan, options: PlanSecretsOptions): Promise<Record<string, string>> {
  if (!isObjectArgument(plan)) throw wrongArgument('resolvePlanSecrets', 'plan', 'a run plan (from loadPlan)', plan);
  if (!isObjectArgument(options)) throw wrongArgument('resolvePlanSecrets', 'options', 'an object (its env, at least)', options);
  const root = options.root ?? plan.root;
  const declaring: LoadedFile<SecretsDeclaration>[] = [];
  for (const source of [plan.project, plan.environmentFile]) {
    if (source !== undefined && (source.value.secrets?.length ?? 0) > 0) declaring.push(hydrateSource(source, root));
  }
  if (declaring.length === 0) return {};
  const project = plan.project === undefined ? undefined : hydrateSource(plan.project, root);
  const dotenv = await loadDotenvFile(project === undefined ? [resolve(root)] : [project.dir, resolve(root)]);
  const secretOptions: Parameters<typeof resolveSecrets>[1] = { env: options.env };
  if (options.overrides !== undefined) secretOptions.overrides = options.overrides;
  if (dotenv !== undefined) {
    secretOptions.dotenv = dotenv.values;
    secretOptions.dotenvFile = dotenv.file;
  }
  return resolveSecrets(declaring, secretOptions);
}

/**
 * Values of the global variables a globals file (`-g`) types `secret`, where a remote run runs: only
 * their names travel with the submission; each value comes from the process environment, then `.env`
 * (next to the project file, else in the root folder), as for the plan's own secrets.
 * @returns name → value.
 * @throws SortieError INVALID_INPUT naming every global without a value (values never appear).
 */
export async function resolveGlobalSecrets(
  plan: RunPlan,
  names: readonly string[],
  options: Omit<PlanSecretsOptions, 'overrides'>,
): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  const root = options.root ?? plan.root;
  const project = plan.project === undefined ? undefined : hydrateSource(plan.project, root);
  const dotenv = await loadDotenvFile(project === undefined ? [resolve(root)] : [project.dir, resolve(root)]);
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = [options.env[name], dotenv?.values[name]].find((candidate) => candidate !== undefined && candidate !== '');
    if (value === undefined) missing.push(name);
    else values[name] = value;
  }
  if (missing.length > 0) {
    const where = dotenv === undefined ? 'in the process environment or a .env file' : `in the process environment or ${dotenv.file}`;
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Missing secret',
      `global ${missing.map((name) => `"${name}"`).join(', ')} (typed secret in the globals file) ${missing.length === 1 ? 'has' : 'have'} no value`,
      { hint: `secret values never travel with a run: set ${missing.join(', ')} ${where}` },
    );
  }
  return values;
}
