/**
 * What the CLI shows under a failure without --verbose, after Hurl: where it is written
 * (`--> file:line:column`, the source line, a caret under the failing part) and the first lines of
 * the response body (already redacted and cut by the engine; pretty-printed when JSON).
 *
 * @see https://hurl.dev/docs/running-tests.html — Hurl's error output, the model
 */
import type { BodyPreview, SourceExcerpt } from '@sortie/core';
import type { Paint } from './ansi.js';

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
  const text = location.text.replace(/\t/g, ' ');
  lines.push(paint('cyan', `${gutter} |`));
  lines.push(`${paint('cyan', `${number} |`)} ${clean(text)}`);
  if (location.column !== undefined) {
    const start = location.column - 1;
    lines.push(`${paint('cyan', `${gutter} |`)} ${' '.repeat(start)}${paint('red', '^'.repeat(measureValue(text, start)))}`);
  }
  return lines;
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
  if (!body.truncated) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: shown as it came
    }
  }
  const all = text.split(/\r?\n/);
  const shown = all.slice(0, BODY_LINES).map((line) => (line.length > BODY_LINE_WIDTH ? `${line.slice(0, BODY_LINE_WIDTH)}…` : line));
  const more = all.length > BODY_LINES || body.truncated;
  const lines = [paint('dim', `response body (${body.size} bytes${more ? `, first ${shown.length} lines` : ''}):`)];
  for (const line of shown) lines.push(`${paint('dim', '|')} ${clean(line)}`);
  if (more) lines.push(paint('dim', '| …'));
  return lines;
}
