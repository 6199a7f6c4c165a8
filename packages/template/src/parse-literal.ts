import type { Cursor } from './cursor.js';
import { TemplateSyntaxIssue } from './template-errors.js';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Reads one literal argument value: a JSON value (string, number, true, false, null, array, object), where strings
 * may also use single quotes and object keys may be bare identifiers. Nothing is evaluated.
 */
export function parseLiteral(cursor: Cursor): unknown {
  cursor.skipSpace();
  const char = cursor.peek();
  if (char === '"' || char === "'") return parseQuoted(cursor, char);
  if (char === '[') return parseArray(cursor);
  if (char === '{') return parseObject(cursor);
  if (char === '-' || (char >= '0' && char <= '9')) return parseNumber(cursor);
  if (cursor.accept('true')) return true;
  if (cursor.accept('false')) return false;
  if (cursor.accept('null')) return null;
  throw new TemplateSyntaxIssue(
    `expected a value ${cursor.describeHere()}`,
    'arguments are JSON values: "text" or \'text\', numbers, true, false, null, [arrays] or {objects}',
  );
}

function parseNumber(cursor: Cursor): number {
  NUMBER.lastIndex = cursor.pos;
  const match = NUMBER.exec(cursor.text);
  if (match === null) throw new TemplateSyntaxIssue(`malformed number ${cursor.describeHere()}`);
  cursor.pos += match[0].length;
  return Number(match[0]);
}

function parseQuoted(cursor: Cursor, quote: string): string {
  const start = cursor.pos;
  cursor.pos++;
  let out = '';
  while (!cursor.atEnd()) {
    const char = cursor.peek();
    cursor.pos++;
    if (char === quote) return out;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const escaped = cursor.peek();
    cursor.pos++;
    const simple = SIMPLE_ESCAPES[escaped];
    if (simple !== undefined) {
      out += simple;
    } else if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(cursor.text.slice(cursor.pos, cursor.pos + 4))) {
      out += String.fromCharCode(Number.parseInt(cursor.text.slice(cursor.pos, cursor.pos + 4), 16));
      cursor.pos += 4;
    } else {
      throw new TemplateSyntaxIssue(`invalid escape "\\${escaped}" in a string at offset ${cursor.offset(cursor.pos - 2)}`);
    }
  }
  throw new TemplateSyntaxIssue(`string starting at offset ${cursor.offset(start)} is never closed`);
}

function parseArray(cursor: Cursor): unknown[] {
  cursor.expect('[');
  const items: unknown[] = [];
  cursor.skipSpace();
  if (cursor.accept(']')) return items;
  for (;;) {
    items.push(parseLiteral(cursor));
    cursor.skipSpace();
    if (cursor.accept(']')) return items;
    cursor.expect(',', '"," or "]"');
  }
}

function parseObject(cursor: Cursor): Record<string, unknown> {
  cursor.expect('{');
  const out: Record<string, unknown> = {};
  cursor.skipSpace();
  if (cursor.accept('}')) return out;
  for (;;) {
    cursor.skipSpace();
    const char = cursor.peek();
    const key = char === '"' || char === "'" ? parseQuoted(cursor, char) : cursor.readIdentifier();
    if (key === undefined) throw new TemplateSyntaxIssue(`expected an object key ${cursor.describeHere()}`);
    cursor.skipSpace();
    cursor.expect(':');
    // defineProperty keeps a "__proto__" key an ordinary key.
    Object.defineProperty(out, key, { value: parseLiteral(cursor), enumerable: true, writable: true, configurable: true });
    cursor.skipSpace();
    if (cursor.accept('}')) return out;
    cursor.expect(',', '"," or "}"');
  }
}
