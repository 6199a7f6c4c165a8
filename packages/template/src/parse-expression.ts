import { Cursor } from './cursor.js';
import { checkFilter, type FilterCall } from './filters.js';
import { parseLiteral } from './parse-literal.js';
import { TemplateSyntaxIssue } from './template-errors.js';

/** One step into an object or array variable: a key or an index. */
export type PathSegment = string | number;

/** A way to read a `{{name}}`: the variable `name`, then `path` into its value. Tried in order. */
export interface VariableCandidate {
  name: string;
  path: PathSegment[];
}

/** `{{user.address.city}}`: the name as written and the ways to resolve it (whole name first, then paths). */
export interface VariableReference {
  kind: 'variable';
  name: string;
  candidates: VariableCandidate[];
}

/** `{{$person.fullName(…)}}` as written: the name without `$` and the arguments (named ones as a last object). */
export interface DynamicReference {
  kind: 'dynamic';
  name: string;
  args: unknown[];
  /** Whether an argument list was written, even an empty one. */
  hasArgs: boolean;
}

/** The parsed inside of one `{{…}}`. */
export interface ParsedExpression {
  reference: VariableReference | DynamicReference;
  filters: FilterCall[];
}

const NAME_PART = /[A-Za-z0-9_-]+/y;
const INDEX = /\[(\d+)\]/y;

/**
 * Parses the text between `{{` and `}}`: a variable reference or a `$dynamic` call, then `| filter` calls.
 * The grammar is documented in the package README. Throws {@link TemplateSyntaxIssue}.
 */
export function parseExpression(inner: string, base = 0): ParsedExpression {
  const whole = wholeName(inner);
  if (whole !== undefined) return { reference: { kind: 'variable', name: whole, candidates: [{ name: whole, path: [] }] }, filters: [] };
  const cursor = new Cursor(inner, base);
  cursor.skipSpace();
  if (cursor.atEnd()) throw new TemplateSyntaxIssue('empty "{{}}"', 'write a variable name between the braces, e.g. {{token}}');
  const reference = cursor.accept('$') ? parseDynamic(cursor) : parseVariable(cursor);
  const filters: FilterCall[] = [];
  cursor.skipSpace();
  while (cursor.accept('|')) {
    cursor.skipSpace();
    filters.push(parseFilter(cursor));
    cursor.skipSpace();
  }
  if (!cursor.atEnd()) throw new TemplateSyntaxIssue(`unexpected text ${cursor.describeHere()}`, describeNameRules());
  return { reference, filters };
}

/** Reads the argument list after `(`: positional values, then `name=value` pairs collected into one options object. */
export function parseArguments(cursor: Cursor): unknown[] {
  cursor.expect('(');
  const positional: unknown[] = [];
  let named: Record<string, unknown> | undefined;
  cursor.skipSpace();
  if (cursor.accept(')')) return positional;
  for (;;) {
    cursor.skipSpace();
    const start = cursor.pos;
    const key = cursor.readIdentifier();
    cursor.skipSpace();
    if (key !== undefined && cursor.peek() === '=') {
      cursor.pos++;
      named ??= {};
      if (Object.hasOwn(named, key)) throw new TemplateSyntaxIssue(`argument "${key}" is given twice`);
      Object.defineProperty(named, key, { value: parseLiteral(cursor), enumerable: true, writable: true, configurable: true });
    } else {
      cursor.pos = start;
      if (named !== undefined) throw new TemplateSyntaxIssue(`positional argument after named arguments ${cursor.describeHere()}`);
      positional.push(parseLiteral(cursor));
    }
    cursor.skipSpace();
    if (cursor.accept(')')) break;
    cursor.expect(',', '"," or ")"');
  }
  if (named !== undefined) positional.push(named);
  return positional;
}

function parseDynamic(cursor: Cursor): DynamicReference {
  const parts: string[] = [];
  do {
    const part = cursor.readIdentifier();
    if (part === undefined)
      throw new TemplateSyntaxIssue(`expected a dynamic value name ${cursor.describeHere()}`, 'e.g. {{$guid}} or {{$person.fullName}}');
    parts.push(part);
  } while (cursor.accept('.'));
  cursor.skipSpace();
  const hasArgs = cursor.peek() === '(';
  return { kind: 'dynamic', name: parts.join('.'), args: hasArgs ? parseArguments(cursor) : [], hasArgs };
}

function parseVariable(cursor: Cursor): VariableReference {
  const start = cursor.pos;
  const segments: PathSegment[] = [];
  /** How many leading segments are plain names (a variable name may contain dots, never brackets). */
  let leadingNames = 0;
  let sawIndex = false;
  const first = readNamePart(cursor);
  if (first === undefined) throw new TemplateSyntaxIssue(`invalid variable name ${cursor.describeHere()}`, describeNameRules());
  segments.push(first);
  leadingNames = 1;
  for (;;) {
    if (cursor.accept('.')) {
      const part = readNamePart(cursor);
      if (part === undefined) throw new TemplateSyntaxIssue(`expected a name after "." ${cursor.describeHere()}`, describeNameRules());
      segments.push(part);
      if (!sawIndex) leadingNames++;
      continue;
    }
    INDEX.lastIndex = cursor.pos;
    const index = INDEX.exec(cursor.text);
    if (index === null) break;
    cursor.pos += index[0].length;
    segments.push(Number(index[1]));
    sawIndex = true;
  }
  const name = cursor.text.slice(start, cursor.pos);
  const candidates: VariableCandidate[] = [];
  for (let count = leadingNames; count >= 1; count--) {
    candidates.push({ name: segments.slice(0, count).join('.'), path: segments.slice(count) });
  }
  return { kind: 'variable', name, candidates };
}

/** A dynamic value (`$`), or Handlebars/Mustache's blocks, partials and comments (`{{#each}}`, `{{/if}}`, `{{> x}}`, `{{! …}}`), which Sortie does not have. */
const MUSTACHE_SIGIL = /^[$#/!>^&=]/;
/** Characters of the grammar's names and paths. */
const GRAMMAR_CHARACTERS = /^[A-Za-z0-9_\-.[\]]*$/;

/**
 * A variable named as Postman names them, with characters the grammar has no use for (`{{Base URL}}`,
 * `{{first name}}`, `{{api:key}}`, `{{a/b}}`): the whole text between the braces, spaces around it
 * left out, is the name, looked up as it is (no path into it). Postman takes any text without braces
 * as a name (postman-collection's `{{([^{}]*?)}}`), so collections use such names and Newman runs them.
 * Text that starts with `$` (a dynamic value) or a Mustache sigil, or holds a `|` (a filter), is not one, nor text made of the
 * grammar's own characters only: a malformed path such as `{{a..b}}` or `{{items[x]}}` stays an error.
 */
function wholeName(inner: string): string | undefined {
  const name = inner.trim();
  if (name === '' || MUSTACHE_SIGIL.test(name) || /[|{}]/.test(name) || GRAMMAR_CHARACTERS.test(name)) return undefined;
  return name;
}

function readNamePart(cursor: Cursor): string | undefined {
  NAME_PART.lastIndex = cursor.pos;
  const match = NAME_PART.exec(cursor.text);
  if (match === null) return undefined;
  cursor.pos += match[0].length;
  return match[0];
}

function parseFilter(cursor: Cursor): FilterCall {
  const name = cursor.readIdentifier();
  if (name === undefined) throw new TemplateSyntaxIssue(`expected a filter name after "|" ${cursor.describeHere()}`);
  cursor.skipSpace();
  const args = cursor.peek() === '(' ? parseArguments(cursor) : [];
  return checkFilter(name, args);
}

function describeNameRules(): string {
  return 'variable names use letters, digits, "_", "-" and "." (or other characters, as in {{first name}}: then the whole text is the name); paths look like {{user.address.city}} or {{items[0].id}}';
}
