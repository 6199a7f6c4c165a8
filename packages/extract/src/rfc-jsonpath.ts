/**
 * Two forms of RFC 9535 JSONPath that jsonpath-plus (the engine, Goessner's dialect) reads otherwise,
 * written in its dialect: without this, `$.items[-1]` and `$.items[?@.id==2]` matched nothing, so an
 * assertion failed with "not found" and an extraction errored although the body held the value.
 * - A negative index selects from the end: `[-1]` is the last element (RFC 9535 §2.3.3.2). jsonpath-plus
 *   reads it as the member "-1"; the slice `[-1:]` selects the same element, and only in an array.
 * - A filter without parentheses, `[?@.price < 10]` (RFC 9535 §2.3.5.1: the parentheses are optional
 *   grouping), is wrapped as jsonpath-plus needs it: `[?(@.price < 10)]`.
 * - A quoted name jsonpath-plus would read as an operator or not at all (`['@type']` and `$.@id` of
 *   JSON-LD and Hydra bodies: "Unknown value type"; `['x^']`, `['a]b']`, `["it's"]`, `['*']`, `['a,b']`
 *   matched nothing or something else) is selected by a filter on the property's name,
 *   `[?(@property === "@type")]`, which reads any name literally (RFC 9535 §2.3.1).
 * Only brackets of the query itself are rewritten, never the inside of a filter expression nor of a
 * quoted name.
 * @see https://www.rfc-editor.org/rfc/rfc9535#section-2.3.3.2
 * @see https://www.rfc-editor.org/rfc/rfc9535#section-2.3.5.1
 * @see https://www.rfc-editor.org/rfc/rfc9535#section-2.3.1
 */

const NEGATIVE_INDEX = /^\s*-(\d+)\s*$/;
/** `.@name` not followed by `(`: a name starting with `@`, written in dot notation. */
const DOT_AT_NAME = /^\.(@[\w:-]+)(?![\w:(-])/;

/** The index of the `]` closing the bracket opened at `open`, skipping quoted text and nested brackets; -1 when none. */
function closingBracket(path: string, open: number): number {
  let depth = 0;
  for (let index = open; index < path.length; index++) {
    const char = path[index];
    if (char === "'" || char === '"') {
      index = endOfQuoted(path, index);
      continue;
    }
    if (char === '[' || char === '(') depth++;
    else if (char === ']' || char === ')') {
      depth--;
      if (depth === 0) return char === ']' ? index : -1;
    }
  }
  return -1;
}

/** The index of the quote closing the quoted text that starts at `start` (the end of the path when unclosed). */
function endOfQuoted(path: string, start: number): number {
  const quote = path[start];
  for (let index = start + 1; index < path.length; index++) {
    if (path[index] === '\\') index++;
    else if (path[index] === quote) return index;
  }
  return path.length;
}

/** A name jsonpath-plus reads literally inside `['…']`: none of its operators' characters, not only dots. */
const PLAIN_NAME = /^(?![.\s]*$)[^'"[\]^()?*,;`@~\\]*$/;
/** One quoted string: the whole content of a name selector. */
const QUOTED_NAME = /^\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*$/;
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '/': '/', '\\': '\\', "'": "'", '"': '"' };

/** The name a quoted string of RFC 9535 stands for (its escapes decoded), or undefined for an invalid escape. */
function decodeName(raw: string): string | undefined {
  let invalid = false;
  const name = raw.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escaped: string) => {
    if (escaped.length === 5) return String.fromCharCode(Number.parseInt(escaped.slice(1), 16));
    const decoded = ESCAPES[escaped];
    if (decoded === undefined) invalid = true;
    return decoded ?? '';
  });
  return invalid ? undefined : name;
}

/** A selector of the property named `name`, read literally by jsonpath-plus; undefined when it cannot be written. */
function selectName(name: string): string | undefined {
  const literal = JSON.stringify(name);
  // jsonpath-plus ends a filter at the first `)` followed by `]` or `'`.
  if (/\)[\]']/.test(literal)) return undefined;
  return `?(@property === ${literal})`;
}

/** The bracket's content in jsonpath-plus's dialect, or undefined when it needs no change. */
function rewriteBracket(content: string): string | undefined {
  const quoted = QUOTED_NAME.exec(content);
  if (quoted !== null) {
    const raw = quoted[1] ?? quoted[2] ?? '';
    const name = decodeName(raw);
    if (name === undefined) return undefined;
    if (PLAIN_NAME.test(name)) return name === raw ? undefined : `'${name}'`;
    return selectName(name);
  }
  const negative = NEGATIVE_INDEX.exec(content);
  if (negative !== null) {
    const fromEnd = Number(negative[1]);
    if (fromEnd === 0) return undefined;
    return fromEnd === 1 ? '-1:' : `-${fromEnd}:-${fromEnd - 1}`;
  }
  const filter = /^\s*\?\s*/.exec(content);
  if (filter !== null && !content.slice(filter[0].length).startsWith('(')) return `?(${content.slice(filter[0].length)})`;
  return undefined;
}

/** `path` with RFC 9535's negative indexes and parenthesis-free filters written as jsonpath-plus reads them. */
export function toJsonPathPlus(path: string): string {
  let result = '';
  let index = 0;
  while (index < path.length) {
    const char = path[index];
    if (char === "'" || char === '"') {
      const end = endOfQuoted(path, index);
      result += path.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    const atName = char === '.' ? DOT_AT_NAME.exec(path.slice(index)) : null;
    if (atName !== null) {
      // `$.@id`: a member name shorthand starting with `@` (JSON-LD), not a type operator such as `@string()`.
      result += `[${selectName(atName[1] as string)}]`;
      index += atName[0].length;
      continue;
    }
    if (char !== '[') {
      result += char;
      index++;
      continue;
    }
    const close = closingBracket(path, index);
    if (close === -1) return result + path.slice(index);
    const content = path.slice(index + 1, close);
    result += `[${rewriteBracket(content) ?? content}]`;
    index = close + 1;
  }
  return result;
}
