/**
 * What the CLI shows under a failure without --verbose, after Hurl: where it is written
 * (`--> file:line:column`, the source line, a caret under the failing part) and the first lines of
 * the response body (already redacted and cut by the engine; pretty-printed when JSON).
 *
 * @see https://hurl.dev/docs/running-tests.html — Hurl's error output, the model
 */
import type { BodyPreview, SourceExcerpt } from '@sortie/core';
import { prettyPrintJson } from '../shared/pretty-json.js';
import type { Paint } from './ansi.js';
import { textColumns } from './text-width.js';

/** Lines of the response body shown under a failure. */
export const BODY_LINES = 10;
/** Characters of one body line shown. */
export const BODY_LINE_WIDTH = 120;

/**
 * `--> file:line:column`, then the line with its number and a caret under the value at the column.
 * `clean` makes file text safe to print.
 */
export function formatSourceExcerpt(location: SourceExcerpt, paint: Paint, clean: (text: string) => string): string[] {
  const where = [location.file, location.line, location.column].filter((part) => part !== undefined).join(':');
  const lines = [`${paint('cyan', '-->')} ${clean(where)}`];
  if (location.text === undefined || location.line === undefined) return lines;
  const number = String(location.line);
  const gutter = ' '.repeat(number.length);
  const line = location.text.replace(/\t/g, ' ');
  const start = (location.column ?? 1) - 1;
  const { text, from, to } = lineWindow(line, start);
  lines.push(paint('cyan', `${gutter} |`));
  lines.push(`${paint('cyan', `${number} |`)} ${clean(text)}`);
  if (location.column !== undefined) {
    const length = Math.max(1, Math.min(measureValue(line, start), to - start));
    // Where the value is in the text shown; the caret goes under it as the terminal lays the printed text out.
    const at = from === 0 ? start : start - from + 1;
    const lead = textColumns(clean(text.slice(0, at)));
    const width = Math.max(1, textColumns(clean(text.slice(at, at + length))));
    lines.push(`${paint('cyan', `${gutter} |`)} ${' '.repeat(lead)}${paint('red', '^'.repeat(width))}`);
  }
  return lines;
}

/** Widest source line shown whole; a longer one (minified JSON, a script inline in a string) is shown around the column. */
export const EXCERPT_LINE_WIDTH = 160;
/** Characters of a long line shown before the column. */
const EXCERPT_LEAD = 40;

/** The part of a source line shown (with `…` where it is cut), and where it starts and ends in the line. */
function lineWindow(line: string, start: number): { text: string; from: number; to: number } {
  if (line.length <= EXCERPT_LINE_WIDTH) return { text: line, from: 0, to: line.length };
  const from = Math.max(0, Math.min(start - EXCERPT_LEAD, line.length - EXCERPT_LINE_WIDTH));
  const to = Math.min(line.length, from + EXCERPT_LINE_WIDTH);
  return { text: `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`, from, to };
}

/**
 * How many characters the value starting at `start` spans on its line: a quoted string to its closing
 * quote, a scalar to the next `,` `}` `]` or the line's end; `{` or `[` (the value goes on below) is one.
 */
function measureValue(line: string, start: number): number {
  const first = line[start];
  if (first === undefined || first === '{' || first === '[') return 1;
  if (first === '"' || first === "'") {
    for (let at = start + 1; at < line.length; at++) {
      if (line[at] === '\\' && first === '"') at++;
      else if (line[at] === first) return at - start + 1;
    }
    return line.length - start;
  }
  const rest = line.slice(start);
  const end = rest.search(/\s*(?:[,}\]]|\s#|$)/);
  return Math.max(1, end);
}

/** The first lines of a body: `response body (N bytes):`, then each line under a `|`. */
export function formatBodyExcerpt(body: BodyPreview, paint: Paint, clean: (text: string) => string): string[] {
  if (body.encoding === 'base64') return [paint('dim', `response body: ${body.size} bytes of binary data`)];
  if (body.text.trim() === '') return [];
  let text = body.text;
  // Not JSON, or nested so deep that pretty-printing would blow it up: shown as it came.
  if (!body.truncated) text = prettyPrintJson(text) ?? text;
  const all = text.split(/\r?\n/);
  const shown = all.slice(0, BODY_LINES).map((line) => (line.length > BODY_LINE_WIDTH ? `${line.slice(0, BODY_LINE_WIDTH)}…` : line));
  const more = all.length > BODY_LINES || body.truncated;
  const lines = [
    paint('dim', `response body (${body.size} bytes${more ? `, first ${shown.length} line${shown.length === 1 ? '' : 's'}` : ''}):`),
  ];
  for (const line of shown) lines.push(`${paint('dim', '|')} ${clean(line)}`);
  if (more) lines.push(paint('dim', '| …'));
  return lines;
}
