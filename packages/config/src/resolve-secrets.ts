/** Secrets: names declared in the environment and project files, values from the process environment or .env. */
import { ErrorCode, readOwn, SortieError, setOwn } from '@sortie/core';
import type { LoadedFile } from './load-file.js';

/** The part of an environment or project file that declares secrets. */
export interface SecretsDeclaration {
  secrets?: string[];
  variables?: Record<string, unknown>;
}

export interface ResolveSecretsOptions {
  /** `--env-var NAME=value` of the command line: wins over the process environment and `.env`. */
  overrides?: Record<string, string>;
  /** The process environment: wins over `.env`. */
  env: Record<string, string | undefined>;
  /** Values read from the `.env` file, if there is one. */
  dotenv?: Record<string, string>;
  /** The `.env` file the values came from, named in hints. */
  dotenvFile?: string;
}

/**
 * Looks up the value of every secret declared in `files` (`secrets: [NAME, …]`): `--env-var`
 * first, then the process environment, then `.env`. A value from `--env-var` stays a secret. An empty value counts as missing (CI systems pass an unset
 * secret as ""). A secret that also has a value under `variables` of the same file is refused: a
 * secret never comes from a committed file.
 * @returns secret name → value.
 * @throws SortieError INVALID_INPUT naming each missing secret at its place in the file
 *   (one error, or one with every problem in `details`). Values never appear in messages.
 */
export function resolveSecrets(
  files: ReadonlyArray<LoadedFile<SecretsDeclaration>>,
  options: ResolveSecretsOptions,
): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: SortieError[] = [];
  const where =
    options.dotenvFile === undefined ? 'in the process environment or a .env file' : `in the process environment or ${options.dotenvFile}`;
  for (const loaded of files) {
    for (const [index, name] of (loaded.value.secrets ?? []).entries()) {
      if (loaded.value.variables !== undefined && Object.hasOwn(loaded.value.variables, name)) {
        problems.push(
          new SortieError(ErrorCode.INVALID_INPUT, 'Secret in a committed file', `secret "${name}" also has a value under "variables"`, {
            location: loaded.locate(['variables', name], 'key'),
            hint: `remove it from "variables" and set ${name} ${where}`,
          }),
        );
        continue;
      }
      const value = readValue(name, options);
      if (value !== undefined) setOwn(values, name, value);
      else {
        problems.push(
          new SortieError(ErrorCode.INVALID_INPUT, 'Missing secret', `secret "${name}" has no value`, {
            location: loaded.locate(['secrets', index]),
            hint: `set ${name} ${where}`,
          }),
        );
      }
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Missing secrets', `${problems.length} secrets have no value`, { details: problems });
  }
  return values;
}

function readValue(name: string, options: ResolveSecretsOptions): string | undefined {
  // Own properties only: a secret named "constructor" must not read Object.prototype's.
  const fromCommandLine = readOwn(options.overrides, name);
  if (fromCommandLine !== undefined && fromCommandLine !== '') return fromCommandLine;
  const fromProcess = readOwn(options.env, name);
  if (fromProcess !== undefined && fromProcess !== '') return fromProcess;
  const fromFile = readOwn(options.dotenv, name);
  return fromFile !== undefined && fromFile !== '' ? fromFile : undefined;
}
