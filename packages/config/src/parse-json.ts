/**
 * Strict JSON parsing with source positions (jsonc-parser's tree, with comments and trailing commas
 * refused), and path → line/column lookup on the tree.
 */
import { ErrorCode, SortieError } from '@sortie/core';
import { findNodeAtLocation, getNodeValue, type Node, type ParseError, parseTree, printParseErrorCode, visit } from 'jsonc-parser';
import { type InexactNumber, isExactLiteral } from './inexact-numbers.js';
import { formatJsonPath, type PathSegment } from './json-path.js';
import { createLineIndex, type LinePosition } from './line-index.js';
import { findJsonNestingOverflow, NESTING_MESSAGE } from './nesting.js';
import type { LocateTarget, ParsedSource, ParseOutcome } from './parsed-source.js';

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidNumberFormat: 'invalid number',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between two values',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape in a string',
  InvalidEscapeCharacter: 'invalid escape sequence in a string',
  InvalidCharacter: 'control characters in a string must be escaped',
};

/**
 * Parses strict JSON (RFC 8259: no comments, no trailing commas) keeping source positions.
 * Duplicate property names are reported as errors, as YAML does.
 *
 * A valid file takes the fast path: `JSON.parse` for the data and one scan for duplicate names; the
 * tree with positions is built only when something asks where a value is written (an error found
 * later, a failed check's source line). Building the tree up front cost ~10× more: on a 2,000-step
 * scenario (536 kB) 255 ms of CPU against ~25 ms, warm, Node 20 (jsonc-parser's parseTree allocates
 * a node per value; BENCHMARKS.md, 2026-12-03 session 6). A file that does not parse, or has a
 * duplicate name, goes through the tree to say where.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-2
 */
export function parseJsonSource(text: string, file: string): ParseOutcome {
  // Checked first: the parser recurses once per level.
  const tooDeep = findJsonNestingOverflow(text);
  if (tooDeep !== undefined) return { errors: [createSyntaxError(NESTING_MESSAGE, file, createLineIndex(text)(tooDeep))] };
  const data = parseValid(text);
  if (data === NOT_VALID) return parseWithPositions(text, file);
  let positioned: ParsedSource['locate'] | undefined;
  const parsed: ParsedSource = {
    data: data.value,
    format: 'json',
    locate: (path, target) => {
      positioned ??= locatorOf(text, file);
      return positioned(path, target);
    },
  };
  if (data.inexact.length > 0) parsed.inexactNumbers = data.inexact;
  return { parsed };
}

/** The positioned parse's `locate` (for a text JSON.parse accepted; without a line should the tree disagree). */
function locatorOf(text: string, file: string): ParsedSource['locate'] {
  const outcome = parseWithPositions(text, file);
  return 'parsed' in outcome ? outcome.parsed.locate : (path) => ({ file, path: formatJsonPath(path) });
}

const NOT_VALID = Symbol('not valid');

/**
 * The data of a valid JSON text without duplicate property names, else NOT_VALID. Objects have no
 * prototype, as jsonc-parser's getNodeValue makes them (so `__proto__` is an ordinary key).
 */
function parseValid(text: string): { value: unknown; inexact: InexactNumber[] } | typeof NOT_VALID {
  let value: unknown;
  try {
    value = JSON.parse(text, withoutPrototype);
  } catch {
    return NOT_VALID;
  }
  const scan = scanText(text);
  return scan.duplicate ? NOT_VALID : { value, inexact: scan.inexact };
}

function withoutPrototype(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value;
}

/**
 * One scan of the (valid) text, no tree: whether an object names a property twice, and the numbers
 * read as another value than written (see inexact-numbers.ts).
 */
function scanText(text: string): { duplicate: boolean; inexact: InexactNumber[] } {
  const open: Array<Set<string>> = [];
  let duplicate = false;
  const inexact: InexactNumber[] = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (name) => {
        const names = open[open.length - 1];
        if (names === undefined) return;
        if (names.has(name)) duplicate = true;
        else names.add(name);
      },
      onLiteralValue: (value: unknown, offset, length, _line, _column, pathSupplier) => {
        if (typeof value !== 'number') return;
        const written = text.slice(offset, offset + length);
        if (!isExactLiteral(written, value)) inexact.push({ path: pathSupplier() as PathSegment[], written, readAs: value, offset });
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return { duplicate, inexact };
}

/** The positioned parse: jsonc-parser's tree, syntax errors and duplicates with their places. */
function parseWithPositions(text: string, file: string): ParseOutcome {
  const positionOf = createLineIndex(text);
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = syntaxErrors[0];
  if (first !== undefined || root === undefined) {
    const { message, offset } = describeSyntaxError(text, first);
    // An empty file is titled so, that its headline says "is empty" rather than "is not valid JSON".
    const error = isBlank(text)
      ? new SortieError(ErrorCode.INVALID_INPUT, EMPTY_FILE, message, { location: { file, ...positionOf(offset) } })
      : createSyntaxError(message, file, positionOf(offset));
    return { errors: [error] };
  }
  const duplicates = findDuplicateKeys(root).map((key) => {
    const firstLine = positionOf(key.first.offset).line;
    return new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', `duplicate property ${JSON.stringify(key.name)}`, {
      hint: `first defined at line ${firstLine}`,
      location: { file, ...positionOf(key.duplicate.offset) },
    });
  });
  if (duplicates.length > 0) return { errors: duplicates };

  const locateNode = (path: ReadonlyArray<PathSegment>, target: LocateTarget): Node => {
    for (let depth = path.length; depth > 0; depth--) {
      const node = findNodeAtLocation(root, path.slice(0, depth) as PathSegment[]);
      if (node === undefined) continue;
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      return target === 'key' && depth === path.length && key !== undefined ? key : node;
    }
    return root;
  };
  return {
    parsed: {
      data: getNodeValue(root),
      format: 'json',
      locate: (path, target = 'value') => ({ file, ...positionOf(locateNode(path, target).offset), path: formatJsonPath(path) }),
    },
  };
}

/** The title of the problem of a file holding no document (whitespace only, a byte order mark). */
export const EMPTY_FILE = 'Empty file';

function isBlank(text: string): boolean {
  return text.replace(/^\ufeff/, '').trim() === '';
}

function createSyntaxError(message: string, file: string, position: LinePosition): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, 'Syntax error', message, { location: { file, ...position } });
}

/** Turns jsonc-parser's first error into a sentence, pointing at the trailing comma when that is the cause. */
function describeSyntaxError(text: string, error: ParseError | undefined): { message: string; offset: number } {
  if (error === undefined || isBlank(text)) return { message: 'the file is empty, expected a JSON value', offset: 0 };
  const name = printParseErrorCode(error.error);
  if (name === 'PropertyNameExpected' || name === 'ValueExpected') {
    const comma = findTrailingComma(text, error.offset);
    if (comma !== undefined) return { message: 'trailing commas are not allowed in JSON', offset: comma };
    if (error.offset >= text.length) return { message: 'unexpected end of file, expected a value', offset: error.offset };
    const token = showToken(text.slice(error.offset, error.offset + Math.max(1, error.length)));
    return name === 'PropertyNameExpected'
      ? { message: `expected a property name in double quotes, got ${token}`, offset: error.offset }
      : { message: `expected a value, got ${token}`, offset: error.offset };
  }
  if (name === 'InvalidSymbol') {
    const written = text.slice(error.offset, error.offset + Math.max(1, error.length));
    if (written.startsWith("'")) return { message: 'strings must use double quotes in JSON', offset: error.offset };
    const beforeColon = /^\s*:/.test(text.slice(error.offset + written.length));
    const token = showToken(written);
    return {
      message: beforeColon ? `expected a property name in double quotes, got ${token}` : `unexpected ${token}`,
      offset: error.offset,
    };
  }
  if (name === 'InvalidEscapeCharacter' || name === 'InvalidUnicode' || name === 'InvalidCharacter') {
    // jsonc-parser reports these at the string's opening quote: the place is the character itself.
    return { message: SYNTAX_MESSAGES[name]!, offset: findBadStringCharacter(text, error.offset) ?? error.offset };
  }
  if (name === 'CommaExpected' && isAfterLeadingZero(text, error.offset)) {
    return {
      message: 'a number cannot start with 0 followed by a digit in JSON (write it as a string to keep the zeros)',
      offset: error.offset - 1,
    };
  }
  return { message: SYNTAX_MESSAGES[name] ?? 'invalid JSON', offset: error.offset };
}

/**
 * The offset of the first character a JSON string cannot hold as written, in the string that opens
 * at `start`: a control character, or the backslash of an escape that is not one of RFC 8259 §7's
 * (`\" \\ \/ \b \f \n \r \t \uXXXX`). Undefined when `start` is not a quote or none is found.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-7
 */
function findBadStringCharacter(text: string, start: number): number | undefined {
  if (text[start] !== '"') return undefined;
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return undefined;
    if (code < 0x20) return i;
    if (code !== 0x5c) continue;
    const next = text[i + 1];
    if (next === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return i;
      i += 5;
    } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i++;
    else return i;
  }
  return undefined;
}

/** Whether the digit at `offset` follows a number written with a leading zero (`01`, `-007`): JSON read `0`, then expected a comma. */
function isAfterLeadingZero(text: string, offset: number): boolean {
  if (!/[0-9]/.test(text[offset] ?? '') || text[offset - 1] !== '0') return false;
  const before = text[offset - 2];
  return before === undefined || !/[0-9.eE+]/.test(before);
}

/** Names of the invisible characters most often found where JSON expects a value (pasted or written by another tool). */
const INVISIBLE_NAMES: Record<number, string> = {
  0: 'a NUL byte',
  127: 'DEL',
  160: 'a no-break space',
  8203: 'a zero-width space',
  8232: 'a line separator',
  8233: 'a paragraph separator',
  65279: 'a byte order mark',
};

/**
 * A token as the message shows it: characters one cannot see (controls, format characters, spaces other
 * than " ") as U+XXXX, named when known — "unexpected " followed by a NUL byte said nothing.
 */
function showToken(token: string): string {
  if (/^[\p{L}\p{N}\p{P}\p{S}]+$/u.test(token)) return token;
  const chars = [...token];
  const shown = chars.map((char) => (/[\p{L}\p{N}\p{P}\p{S}]/u.test(char) ? char : codePoint(char))).join('');
  const only = chars.length === 1 ? INVISIBLE_NAMES[chars[0]!.codePointAt(0)!] : undefined;
  return `character ${shown}${only === undefined ? '' : ` (${only})`}`;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** When `offset` is a closing `}` or `]` preceded (across whitespace) by a comma, returns the comma's offset. */
function findTrailingComma(text: string, offset: number): number | undefined {
  const closing = text[offset];
  if (closing !== '}' && closing !== ']') return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i] ?? '')) i--;
  return text[i] === ',' ? i : undefined;
}

interface DuplicateKey {
  name: string;
  first: Node;
  duplicate: Node;
}

function findDuplicateKeys(node: Node, found: DuplicateKey[] = []): DuplicateKey[] {
  if (node.type === 'object') {
    const seen = new Map<string, Node>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (key === undefined) continue;
      const name = String(key.value);
      const first = seen.get(name);
      if (first === undefined) seen.set(name, key);
      else found.push({ name, first, duplicate: key });
    }
  }
  for (const child of node.children ?? []) findDuplicateKeys(child, found);
  return found;
}
