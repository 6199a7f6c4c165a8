/** `--export-environment` / `--export-globals`: what a run left in a variable scope, written as an environment file. */
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, makeDirectory, type Redactor, SortieError, setOwn } from '@sortie/core';
import type { ScopeName, Variables } from '@sortie/template';

/** The file written: the shape of an environment file, with variables only. */
export interface ExportedVariables {
  name: string;
  variables: Record<string, unknown>;
}

/**
 * The variables of one scope that may leave the process: every variable marked secret is left
 * out, and so is any whose value or name contains a registered secret (a token extracted from a
 * response, a header built from a secret), rather than being written as "[REDACTED]".
 */
export function collectExportableVariables(vars: Variables, scope: ScopeName, redactor: Redactor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars.toObject(scope))) {
    // A secret in the name (`pm.environment.set('k_' + token, …)`) would be written as a key.
    if (vars.isSecret(name) || value === undefined || redactor.redact(name) !== name) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text !== undefined && redactor.redact(text) !== text) continue;
    // Defined, not assigned: a variable named __proto__ would set out's prototype (and not be written).
    setOwn(out, name, value);
  }
  return out;
}

/**
 * Writes `{ name, variables }` as JSON to `file` (creating its folder).
 * @throws SortieError USAGE when the file cannot be written.
 */
export async function writeVariablesFile(file: string, exported: ExportedVariables): Promise<void> {
  try {
    await makeDirectory(dirname(file));
    await writeFile(file, `${JSON.stringify(exported, null, 2)}\n`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new SortieError(ErrorCode.USAGE, 'Cannot write file', `cannot write ${file} (${reason})`, { cause: error });
  }
}
