/**
 * Redaction of the records a run reports (step results, assertions, attempts, errors): every string
 * a scenario, a script or a server wrote is redacted, the words the tool writes itself are not. A
 * short secret is often a common word (`test`, `script`, `passed`, a development password): redacting
 * the tool's own fields with it made every pm.test's operator `[REDACTED]` and a report outside its
 * schema. The engine (as events leave it) and the file reporters (their last line of defence) both
 * redact records through here, so they agree on what is the tool's.
 */
import type { Redactor } from './redactor.js';

/**
 * Fields whose values the tool writes itself, from a closed set (an enum, a boolean, a step id, an
 * error code): never a secret, and never redacted. Record keys are the report's too.
 */
const TOOL_OWNED_FIELDS: ReadonlySet<string> = new Set([
  '$schema',
  'id',
  'kind',
  'status',
  'operator',
  'source',
  'passed',
  'skipped',
  'phase',
  'level',
  'encoding',
  'truncated',
  'code',
  'flaky',
  'ignored',
  'notRun',
  'hook',
  'teardown',
  'interrupted',
]);

/** Fields that hold data a response or a script gave: numbers there may be secrets, and keys are data. */
const DATA_FIELDS: ReadonlySet<string> = new Set(['expected', 'actual', 'data']);

/** Whether the value of a record field named `key` is the tool's own word, which is never redacted. */
export function isToolOwnedField(key: string): boolean {
  return TOOL_OWNED_FIELDS.has(key);
}

/**
 * A copy of a record with every secret redacted but in the tool's own fields (see isToolOwnedField)
 * and the record's keys. Expected and actual values and visualizer data are data: redacted as
 * `Redactor.redactData` does, keys and whole-number secrets included. Without a secret that may be
 * in it, the record itself is returned.
 */
export function redactRecord<T>(record: T, redactor: Redactor): T {
  if (redactor.size === 0) return record;
  return redactFields(record, redactor) as T;
}

function redactFields(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactFields(item, redactor));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (TOOL_OWNED_FIELDS.has(key)) out[key] = field;
    else if (DATA_FIELDS.has(key)) out[key] = redactor.redactData(field);
    else out[key] = redactFields(field, redactor);
  }
  return out;
}
