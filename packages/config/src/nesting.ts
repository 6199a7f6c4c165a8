/**
 * A limit on how deeply arrays and objects nest in an input file. Parsers, validators and the
 * engine walk values recursively: 100,000 nested `[` overflowed the stack. Real scenarios nest a few
 * dozen levels (a request body inside a step inside a loop), so the limit is far above them.
 */
import type { PathSegment } from './json-path.js';

/** Deepest nesting of arrays and objects an input file may have. */
export const MAX_NESTING = 256;

/** The problem, as shown to the user. */
export const NESTING_MESSAGE = `arrays and objects nested more than ${MAX_NESTING} levels deep`;

/**
 * The offset of the first `[` or `{` of JSON text that opens a level past MAX_NESTING, or
 * undefined. Brackets inside strings are skipped; the text need not be valid JSON.
 */
export function findJsonNestingOverflow(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > MAX_NESTING) return i;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return undefined;
}

/**
 * The offset where YAML text opens a level past MAX_NESTING, or undefined: flow collections (`[`,
 * `{`, quoted scalars skipped) nested that deep, or a line with more than MAX_NESTING block sequence
 * entries (`- - - …`). Checked before parsing, since the parser recurses once per level; deeper
 * documents built otherwise are caught on the parsed value.
 */
export function findYamlNestingOverflow(text: string): number | undefined {
  let depth = 0;
  let quote = 0;
  let lineStart = true;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) {
      // Quoted scalars rarely span lines: a stray apostrophe in plain text (`don't`) ends here.
      lineStart = true;
      dashes = 0;
      quote = 0;
      continue;
    }
    if (lineStart) {
      if (code === 0x20) continue;
      if (code === 0x2d && (text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x0a)) {
        if (++dashes > MAX_NESTING) return i;
        continue;
      }
      lineStart = false;
    }
    if (quote !== 0) {
      if (code === 0x5c && quote === 0x22) i++;
      else if (code === quote) quote = 0;
    } else if (code === 0x22 || code === 0x27) quote = code;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > MAX_NESTING) return i;
    } else if ((code === 0x5d || code === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

/** The path of the first array or object of `value` nested past MAX_NESTING, or undefined (walked without recursion). */
export function findValueNestingOverflow(value: unknown): PathSegment[] | undefined {
  const stack: Array<{ value: unknown; path: PathSegment[] }> = [{ value, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.path.length >= MAX_NESTING) return item.path;
    const entries: Array<[PathSegment, unknown]> = Array.isArray(item.value)
      ? item.value.map((v, i) => [i, v])
      : Object.entries(item.value as Record<string, unknown>);
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, path: [...item.path, key] });
    }
  }
  return undefined;
}
