/**
 * Postman environment and globals exports (`{ name, values: [{ key, value, type, enabled }] }`) →
 * variables. Values typed `secret` are secrets: never written, registered with the redactor.
 * @see https://learning.postman.com/docs/sending-requests/variables/managing-environments/
 */
import type { SourceOrigins } from '@sortie/config';
import { setOwn } from '@sortie/core';
import type { PmVariable, PmVariableFile } from './collection-types.js';
import { typedValue } from './variable-types.js';

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
    // Defined, not assigned: a variable named __proto__ is a name like any other.
    if (entry.type === 'secret' || entry.secret === true)
      setOwn(converted.secrets, key, typeof value === 'string' ? value : JSON.stringify(value));
    else setOwn(converted.variables, key, typedValue(value, entry.type));
  }
  return converted;
}

/**
 * Where the environment {@link convertVariableFile} makes (through toEnvironment) is written in the
 * export: each variable at its entry's `value`, each declared secret at its entry's `key` (the last
 * enabled entry of a name, the one that counts), so errors point at the user's file.
 */
export function variableFileOrigins(file: PmVariableFile): SourceOrigins {
  const origins: Array<readonly [(string | number)[], (string | number)[]]> = [
    [['name'], ['name']],
    [['variables'], ['values']],
    [['secrets'], ['values']],
  ];
  const variables = new Map<string, number>();
  const secrets = new Map<string, number>();
  for (const [index, entry] of file.values.entries()) {
    if (!isEnabled(entry)) continue;
    const key = entry.key as string;
    const secret = entry.type === 'secret' || entry.secret === true;
    (secret ? secrets : variables).set(key, index);
  }
  for (const [key, index] of variables)
    origins.push([
      ['variables', key],
      ['values', index, 'value'],
    ]);
  // toEnvironment lists the secrets in the order convertVariableFile first met them.
  const order = convertVariableFile(file).secrets;
  for (const [position, key] of Object.keys(order).entries()) {
    const index = secrets.get(key);
    if (index !== undefined)
      origins.push([
        ['secrets', position],
        ['values', index, 'key'],
      ]);
  }
  return origins;
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
