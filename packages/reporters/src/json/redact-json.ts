import { type Redactor, redactRecord } from '@sortie/core';

/**
 * Serialises a value as pretty JSON (2 spaces) with every line indented by `indent` spaces. An even
 * indent is obtained by nesting the value in `indent / 2` arrays and cutting their brackets off: V8
 * writes the indentation as it serialises, instead of a second pass over the text.
 */
export function stringifyIndented(value: unknown, indent: number): string {
  if (indent === 0) return JSON.stringify(value, null, 2) ?? 'null';
  if (indent % 2 !== 0) {
    const pad = ' '.repeat(indent);
    return pad + (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${pad}`);
  }
  let nested: unknown = value;
  for (let depth = 0; depth < indent / 2; depth++) nested = [nested];
  const json = JSON.stringify(nested, null, 2);
  // `[\n  [\n    …` before the value and `…\n  ]\n]` after it: levels × (levels + 1) characters each.
  const cut = (indent / 2) * (indent / 2 + 1);
  return json.slice(cut, json.length - cut);
}

/**
 * `stringifyIndented` of a record with every secret redacted but in the tool's own fields (see
 * `redactRecord`: a secret `test` made a pm.test's operator `[REDACTED]`). The record is serialised
 * first and copied redacted only when a secret may be in it (most records were redacted when the
 * engine made them, so the copy is rarely needed).
 */
export function stringifyRedacted(value: unknown, indent: number, redactor: Redactor | undefined): string {
  const json = stringifyIndented(value, indent);
  if (redactor === undefined || !redactor.mayAppearInJson(json)) return json;
  return stringifyIndented(redactRecord(value, redactor), indent);
}
