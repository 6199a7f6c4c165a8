import type { Redactor } from '@sortie/core';

/**
 * Redacts every string (values and object keys) inside a JSON-like value. Redacting before
 * serialising keeps the JSON valid: a secret that happens to look like a number or a key
 * is never replaced inside the JSON syntax.
 */
export function redactJsonValue<T>(value: T, redactor: Redactor | undefined): T {
  if (redactor === undefined || redactor.size === 0) return value;
  return redactDeep(value, redactor) as T;
}

function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redactor.redact(key)] = redactDeep(item, redactor);
    return out;
  }
  return value;
}

/** Serialises a value as pretty JSON (2 spaces) with every line indented by `indent` spaces. */
export function stringifyIndented(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  return (JSON.stringify(value, null, 2) ?? 'null')
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}
