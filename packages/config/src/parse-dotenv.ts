/**
 * A `.env` file parser (the dotenv syntax): `KEY=value` lines, an optional `export ` prefix, `#`
 * comments, single-quoted and backtick-quoted literal values, double-quoted values with escapes that may span lines.
 *
 * Why hand-written and not `util.parseEnv` or `dotenv.parse`: neither reports a malformed line (both
 * skip it silently, and a secret then goes missing far from its cause), and both read values
 * differently from the rules below, which users' files rely on. Measured on Node 20.20 with the
 * cases of test/parse-dotenv.test.ts, `util.parseEnv` turns `B=pa#ss` into `pa`, `export  B=x` into
 * the name ` B`, keeps a byte order mark in the first name and cuts `"a \"b\" c"` at the escaped
 * quote; its rules also changed between Node releases. `dotenv` ends an unquoted value at any `#`
 * as well and expands only `\n`/`\r` in double quotes.
 */
import { ErrorCode, SECRET_NAME, SortieError, setOwn } from '@sortie/core';

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Parses the text of a `.env` file into name → value. Rules:
 * - blank lines and lines starting with `#` are skipped; `export KEY=value` is `KEY=value`;
 * - an unquoted value is trimmed and ends at a `#` that follows whitespace (an inline comment);
 * - `'single quoted'` and `` `backtick quoted` `` values are literal (no escapes) and end on their line;
 * - `"double quoted"` values understand `\n`, `\r`, `\t`, `\"` and `\\` (other backslashes stay) and
 *   may span several lines;
 * - after a closing quote only whitespace and a comment may follow; a later duplicate key wins;
 * - every name is an ordinary name, `__proto__` and `constructor` too (an own property of the result).
 * CRLF line ends and a UTF-8 byte order mark are accepted.
 * @throws SortieError INVALID_INPUT at `file:line` for a line that is not `KEY=value` or an unterminated quote.
 * @see https://github.com/motdotla/dotenv#what-rules-does-the-parsing-engine-follow
 */
export function parseDotenv(text: string, file = '.env'): Record<string, string> {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = lines[index] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fail = (message: string, hint?: string) => createDotenvError(file, lineNumber, message, hint);
    const assignment = trimmed.replace(/^export\s+/, '');
    const eq = assignment.indexOf('=');
    // The line itself is never quoted back: it may hold a secret.
    if (eq < 0) throw fail('expected KEY=value', 'a value line has the form NAME=value; comments start with #');
    const key = assignment.slice(0, eq).trim();
    // The names a secret can have (the same rule).
    if (!SECRET_NAME.test(key)) throw fail(describeBadName(key), 'names are letters, digits and _ . -, then =');
    const rest = assignment.slice(eq + 1).trimStart();
    if (rest.startsWith('"')) {
      const read = readDoubleQuoted(lines, index, line.indexOf('"') + 1);
      if (read === undefined) throw fail(`unterminated double-quoted value of ${key}`, 'close the value with "');
      checkAfterQuote(read.after, () => fail(`unexpected text after the closing quote of ${key}`));
      setOwn(values, key, read.value);
      index = read.endLine;
    } else if (rest.startsWith("'") || rest.startsWith('`')) {
      // dotenv reads `backticks` as it reads 'single quotes': a literal value, the quotes not part of it.
      const quote = rest[0] as "'" | '`';
      const close = rest.indexOf(quote, 1);
      const kind = quote === "'" ? 'single-quoted' : 'backtick-quoted';
      if (close < 0) throw fail(`unterminated ${kind} value of ${key}`, `close the value with ${quote} on the same line`);
      checkAfterQuote(rest.slice(close + 1), () => fail(`unexpected text after the closing quote of ${key}`));
      setOwn(values, key, rest.slice(1, close));
    } else {
      setOwn(values, key, rest.replace(/(^|\s)#.*$/, '').trim());
    }
  }
  return values;
}

/** Reads a double-quoted value starting after the opening quote at `column` of line `start`. */
function readDoubleQuoted(
  lines: readonly string[],
  start: number,
  column: number,
): { value: string; after: string; endLine: number } | undefined {
  let value = '';
  for (let lineIndex = start; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex] ?? '';
    for (let i = lineIndex === start ? column : 0; i < line.length; i++) {
      const char = line[i];
      if (char === '"') return { value, after: line.slice(i + 1), endLine: lineIndex };
      if (char === '\\' && i + 1 < line.length) {
        const next = line[i + 1] ?? '';
        value += ESCAPES[next] ?? `\\${next}`;
        i++;
      } else {
        value += char;
      }
    }
    value += '\n';
  }
  return undefined;
}

function checkAfterQuote(after: string, fail: () => SortieError): void {
  const rest = after.trim();
  if (rest !== '' && !rest.startsWith('#')) throw fail();
}

/**
 * What is wrong with a name, without quoting it: what stands before the `=` may be a secret
 * (`API_TOKEN: c2stbGl2ZQ==`, written as YAML, makes the name `API_TOKEN: c2stbGl2ZQ`). Only the
 * offending character is named, and where it is.
 */
function describeBadName(key: string): string {
  if (key === '') return 'no variable name before "="';
  const at = /^[A-Za-z_]/.test(key) ? key.search(/[^A-Za-z0-9_.-]/) : 0;
  const where = at === 0 ? 'it starts with' : `character ${at + 1} is`;
  return `invalid variable name: ${where} ${describeCharacter(key.codePointAt(at) ?? 0)}`;
}

function describeCharacter(code: number): string {
  if (code === 0x20) return 'a space';
  if (code === 0x09) return 'a tab';
  if (code >= 0x30 && code <= 0x39) return 'a digit';
  if (code > 0x20 && code < 0x7f) return JSON.stringify(String.fromCharCode(code));
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function createDotenvError(file: string, line: number, message: string, hint?: string): SortieError {
  const options = hint === undefined ? { location: { file, line } } : { location: { file, line }, hint };
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid .env file', message, options);
}
