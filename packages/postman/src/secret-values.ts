/**
 * Values typed `secret` blanked in the text of a Postman export, lines kept: a collection's
 * `variable` list, an environment's or globals' `values` list. For the text a plan carries (the
 * values are secrets: they are not shown, nor sent to a server) and for files a bundle uploads.
 */
import { type ParsedSource, parseSourceText } from '@sortie/config';
import type { SourceLocation } from '@sortie/core';
import { isMap, isScalar, parseDocument, stringify } from 'yaml';

/**
 * `parsed`'s text with the value of each variable typed `secret` (enabled or not) replaced: by as many
 * `*` (`stars`: lines and columns stay, for error positions), or by an empty value (`empty`: lines stay).
 */
export function blankSecretValues(text: string, parsed: ParsedSource, fill: 'stars' | 'empty'): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10 || (char === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  // From the last to the first, so that the offsets of those before stay right.
  const tokens: Array<{ start: number; end: number }> = [];
  for (const { key, index, value } of secretEntries(parsed)) {
    if (value === undefined) continue;
    const { line, column } = parsed.locate([key, index, 'value']);
    if (line === undefined || column === undefined) continue;
    const start = (starts[line - 1] ?? 0) + column - 1;
    tokens.push({ start, end: tokenEnd(text, start) });
  }
  let out = text;
  for (const { start, end } of tokens.sort((a, b) => b.start - a.start)) {
    const blank = fill === 'empty' ? '""' : text[start] === '"' ? `"${'*'.repeat(end - start - 2)}"` : '*'.repeat(end - start);
    out = out.slice(0, start) + blank + out.slice(end);
  }
  return out;
}

/**
 * A Postman environment or globals export (JSON, or a v3 YAML file) named `file`, with the values typed
 * `secret` emptied: what a bundle for a server carries (the agents set those values).
 */
export function emptySecretValues(text: string, file: string): string {
  if (!/\.ya?ml$/i.test(file))
    return blankSecretValues(text, parseSourceText(text, /\.json$/i.test(file) ? file : `${file}.json`), 'empty');
  // Merge keys (<<) as the loader reads them (@sortie/config parseYamlSource).
  const document = parseDocument(text, { merge: true });
  const data = document.toJS() as { values?: unknown } | null;
  const values = data?.values;
  if (!Array.isArray(values)) return text;
  const secrets = [...values.keys()].filter((index) => isSecretValue(values[index]));
  // A value written in the entry itself is emptied there, the rest of the text kept. One the entry takes
  // from elsewhere (a merge key, an alias), or an anchor others take, is written elsewhere too: then the
  // file is written again from its data.
  const ownValue = (index: number) => {
    const node = document.getIn(['values', index], true);
    return (
      isMap(node) &&
      node.items.some((pair) => isScalar(pair.key) && pair.key.value === 'value' && isScalar(pair.value) && pair.value.anchor === undefined)
    );
  };
  if (!secrets.every(ownValue)) {
    for (const index of secrets) (values[index] as { value?: unknown }).value = '';
    return stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
  }
  for (const index of secrets) document.setIn(['values', index, 'value'], '');
  return document.toString();
}

/**
 * The variables typed `secret` (enabled or not) of a Postman export (`parsed`, read from `file`) whose
 * value is written in it (not empty): their names and where each value is. What
 * {@link emptySecretValues} empties for a bundle, so a bundle made by `sortie run --remote` has none.
 */
export function writtenSecretValues(parsed: ParsedSource, file: string): Array<{ name: string; location: SourceLocation }> {
  return secretEntries(parsed)
    .filter(({ value }) => value !== undefined && value !== null && value !== '')
    .map(({ key, index, name }) => ({
      // An object parsed from JSON has no prototype: String() would throw on it.
      name: typeof name === 'string' ? name : (JSON.stringify(name) ?? String(name)),
      location: { ...parsed.locate([key, index, 'value']), file },
    }));
}

/**
 * The variables typed `secret` (enabled or not) of a collection's `variable` list or an export's `values` list, with their index.
 * In an export, `secret: true` marks one too (v3 environment files), as convertVariableFile reads it.
 */
function secretEntries(parsed: ParsedSource): Array<{ key: 'variable' | 'values'; index: number; name: unknown; value: unknown }> {
  const data = parsed.data as Record<string, unknown> | null;
  const key = Array.isArray(data?.variable) ? 'variable' : 'values';
  const variables = data !== null && Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
  const entries: Array<{ key: 'variable' | 'values'; index: number; name: unknown; value: unknown }> = [];
  for (const [index, variable] of variables.entries()) {
    const entry = variable as { key?: unknown; type?: unknown; value?: unknown } | null;
    if (key === 'values' ? isSecretValue(entry) : entry?.type === 'secret')
      entries.push({ key, index, name: entry?.key, value: entry?.value });
  }
  return entries;
}

/** An entry of an environment or globals export's `values` that holds a secret: typed `secret`, or marked `secret: true`. */
function isSecretValue(entry: unknown): boolean {
  const variable = entry as { type?: unknown; secret?: unknown } | null;
  return variable?.type === 'secret' || variable?.secret === true;
}

/** The end (exclusive) of the JSON literal starting at `start`: a string with its escapes, or a number, true, false or null. */
function tokenEnd(text: string, start: number): number {
  if (text[start] !== '"') {
    let end = start;
    while (end < text.length && !/[\s,\]}]/.test(text[end] ?? '')) end++;
    return end;
  }
  let end = start + 1;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  return Math.min(end + 1, text.length);
}
