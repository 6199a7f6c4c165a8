import type { Redactor } from '@sortie/core';

/**
 * Redacts every string (values and object keys) inside a JSON-like value. Redacting before
 * serialising keeps the JSON valid: a secret that happens to look like a number or a key
 * is never replaced inside the JSON syntax.
 */
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
  const json = JSON.stringify(value, null, 2) ?? 'null';
  if (indent === 0) return json;
  const pad = ' '.repeat(indent);
  return pad + json.replaceAll('\n', `\n${pad}`);
}

/**
 * `stringifyIndented` of the value with every secret redacted. The value is serialised first and
 * copied with its strings redacted only when a secret may be in it (most records were redacted when
 * the engine made them, so the copy is rarely needed).
 */
export function stringifyRedacted(value: unknown, indent: number, redactor: Redactor | undefined): string {
  const json = stringifyIndented(value, indent);
  if (redactor === undefined || !redactor.mayAppearInJson(json)) return json;
  return stringifyIndented(redactDeep(value, redactor), indent);
}
