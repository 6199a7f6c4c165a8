/**
 * Postman environment and globals exports (`{ name, values: [{ key, value, type, enabled }] }`) →
 * variables. Values typed `secret` are secrets: never written, registered with the redactor.
 * @see https://learning.postman.com/docs/sending-requests/variables/managing-environments/
 */
import type { PmVariable, PmVariableFile } from './collection-types.js';

export interface ConvertedVariableFile {
  name?: string;
  /** The enabled values that are not secret. */
  variables: Record<string, unknown>;
  /** The enabled values typed `secret`: name → value. */
  secrets: Record<string, string>;
}

/** Splits the enabled values of an environment or globals export into variables and secrets. */
export function convertVariableFile(file: PmVariableFile): ConvertedVariableFile {
  const converted: ConvertedVariableFile = { variables: {}, secrets: {} };
  if (typeof file.name === 'string' && file.name !== '') converted.name = file.name;
  for (const entry of file.values) {
    if (!isEnabled(entry)) continue;
    const key = entry.key as string;
    const value = entry.value === undefined || entry.value === null ? '' : entry.value;
    if (entry.type === 'secret' || entry.secret === true)
      converted.secrets[key] = typeof value === 'string' ? value : JSON.stringify(value);
    else converted.variables[key] = value;
  }
  return converted;
}

function isEnabled(entry: PmVariable): boolean {
  return (
    entry !== null &&
    typeof entry === 'object' &&
    typeof entry.key === 'string' &&
    entry.key !== '' &&
    entry.enabled !== false &&
    entry.disabled !== true
  );
}
