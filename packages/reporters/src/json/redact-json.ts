import type { Redactor } from '@sortie/core';

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
  return stringifyIndented(redactor.redactValue(value), indent);
}
