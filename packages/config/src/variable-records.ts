/**
 * Variables named `__proto__` in the files. Zod's records leave a key named `__proto__` out of the
 * object they build (so that it cannot replace that object's prototype), which dropped a variable of
 * that name from a scenario's `variables`, an environment's and a project file's without a word,
 * while the CSV data and `--env-var` kept it. The parsed data has it (JSON and YAML objects are
 * built without a prototype), so it is put back here, as an own property, in the order written.
 */
import { setOwn } from '@sortie/core';

/** The records of variables of the formats: names → any JSON value (nothing of a value was validated). */
const VARIABLE_RECORDS: ReadonlySet<string> = new Set(['variables', 'defaults']);

/**
 * The keys under which such records are found (a scenario's and a project file's top level, steps and
 * their containers, includes, hooks): the walk does not go into requests, bodies or processors.
 */
const HOLDERS: ReadonlySet<string> = new Set([
  'steps',
  'setup',
  'teardown',
  'group',
  'loop',
  'forEach',
  'if',
  'then',
  'else',
  'include',
  'beforeAll',
  'afterAll',
]);

/**
 * Copies the `__proto__` variable of every `variables` / `defaults` record of `raw` (the parsed data)
 * into the same record of `value` (what the schema made of it), wherever it is (a scenario's, an
 * include's, an environment's, a project file's). Nothing else changes.
 */
export function keepProtoVariables(raw: unknown, value: unknown): void {
  if (raw === null || typeof raw !== 'object' || value === null || typeof value !== 'object') return;
  if (Array.isArray(raw)) {
    if (!Array.isArray(value)) return;
    for (let index = 0; index < Math.min(raw.length, value.length); index++) keepProtoVariables(raw[index], value[index]);
    return;
  }
  const from = raw as Record<string, unknown>;
  const into = value as Record<string, unknown>;
  for (const key of Object.keys(into)) {
    if (!Object.hasOwn(from, key)) continue;
    const written = from[key];
    if (VARIABLE_RECORDS.has(key) && isRecord(written) && isRecord(into[key])) {
      if (Object.hasOwn(written, '__proto__') && !Object.hasOwn(into[key], '__proto__'))
        setOwn(into, key, inWrittenOrder(written, into[key]));
    } else if (HOLDERS.has(key)) {
      keepProtoVariables(written, into[key]);
    }
  }
}

/** The record `validated` with every name of `written`, in the order written (a validated value where there is one). */
function inWrittenOrder(written: Record<string, unknown>, validated: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(written)) setOwn(out, name, Object.hasOwn(validated, name) ? validated[name] : written[name]);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
