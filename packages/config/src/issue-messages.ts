/**
 * Zod 4 issues in our words. Zod's own wording ("Invalid input") never reaches a user: every
 * message Zod would generate is replaced, and messages written in the schema (refinements,
 * `.regex(re, 'expected …')`) pass through.
 */
import type * as z from 'zod';
import { describeValue, isPrimitive } from './describe-value.js';

/** Prefix of the messages our error map gives to issues the schema has no message for. */
const GENERATED = '\u0000sortie-generated:';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  bigint: 'an integer',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  tuple: 'an array',
  null: 'null',
  date: 'a date',
  nan: 'NaN',
};

const FORMAT_NAMES: Record<string, string> = {
  url: 'URL',
  email: 'email address',
  uuid: 'UUID',
  datetime: 'ISO 8601 date-time',
  date: 'ISO 8601 date',
  time: 'ISO 8601 time',
  duration: 'ISO 8601 duration',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  base64: 'base64 string',
};

/**
 * The per-parse error map: marks messages Zod would write itself, and remembers the allowed keys
 * of a strict object (the final issue no longer knows its schema).
 * @see https://zod.dev/error-customization#per-parse-error-customization
 */
export function markGeneratedMessage(issue: z.core.$ZodRawIssue): string {
  if (issue.code !== 'unrecognized_keys') return GENERATED;
  const def = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return GENERATED + JSON.stringify(Object.keys(def?.shape ?? {}));
}

/** Whether the issue's message came from the schema itself (a refinement or a custom check message). */
export function hasSchemaMessage(issue: Issue): boolean {
  return !issue.message.startsWith(GENERATED);
}

/** The keys allowed where an unrecognized_keys issue was raised. */
export function readAllowedKeys(issue: Issue): string[] {
  if (hasSchemaMessage(issue)) return [];
  const text = issue.message.slice(GENERATED.length);
  return text === '' ? [] : (JSON.parse(text) as string[]);
}

/** What a type name reads like in "expected …" ("an integer", "a string"). */
export function describeExpectedType(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** Lists literal values as `"a", "b"` (JSON). */
export function formatValues(values: readonly unknown[]): string {
  return values.map((value) => (typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value)))).join(', ');
}

/** `, got <value>` for a value that was present, to append after an "expected …" text. */
function describeActual(input: unknown): string {
  return input === undefined ? '' : `, got ${describeValue(input)}`;
}

/**
 * The message for one issue (not unions, unknown keys or missing properties, which are reported
 * per key / per branch by the caller).
 */
export function describeIssue(issue: Issue): string {
  if (hasSchemaMessage(issue)) {
    const mentionsActual = /\b(got|found)\b/.test(issue.message);
    return !mentionsActual && isPrimitive(issue.input) ? `${issue.message}${describeActual(issue.input)}` : issue.message;
  }
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${describeExpectedType(issue.expected)}${describeActual(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${formatValues(issue.values)}${describeActual(issue.input)}`
        : `expected one of ${formatValues(issue.values)}${describeActual(issue.input)}`;
    case 'too_small':
      return `expected ${describeBound(issue.origin, 'min', issue.minimum, issue.inclusive, issue.exact)}${describeSize(issue.origin, issue.input)}`;
    case 'too_big':
      return `expected ${describeBound(issue.origin, 'max', issue.maximum, issue.inclusive, issue.exact)}${describeSize(issue.origin, issue.input)}`;
    case 'invalid_format':
      return `expected ${describeFormat(issue)}${describeActual(issue.input)}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}${describeActual(issue.input)}`;
    case 'invalid_key':
      return `invalid property name ${describeValue(issue.input)}${issue.issues[0] ? `: ${describeIssue(issue.issues[0])}` : ''}`;
    case 'invalid_element':
      return `invalid element${issue.issues[0] ? `: ${describeIssue(issue.issues[0])}` : ''}`;
    case 'invalid_union':
      return issue.inclusive === false
        ? 'expected a value matching exactly one of the allowed forms, but it matches several'
        : `expected one of the allowed forms${describeActual(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'property' : 'properties'} ${formatValues(issue.keys)}`;
    default:
      return `invalid value${describeActual(issue.input)}`;
  }
}

function describeBound(origin: string, side: 'min' | 'max', bound: number | bigint, inclusive = true, exact = false): string {
  const n = Number(bound);
  const noun = (singular: string) => `${n} ${n === 1 ? singular : `${singular}s`}`;
  if (origin === 'string') {
    if (side === 'min' && n === 1 && !exact) return 'a non-empty string';
    return `${exact ? 'exactly' : side === 'min' ? 'at least' : 'at most'} ${noun('character')}`;
  }
  if (origin === 'array' || origin === 'set') {
    if (side === 'min' && n === 1 && !exact) return 'a non-empty array';
    return `${exact ? 'exactly' : side === 'min' ? 'at least' : 'at most'} ${noun('item')}`;
  }
  const operator = side === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  const kind = origin === 'int' || origin === 'bigint' ? 'an integer' : origin === 'date' ? 'a date' : 'a number';
  return `${kind} ${operator} ${String(bound)}`;
}

/** `, got 3 items` for arrays, the value itself for the rest. */
function describeSize(origin: string, input: unknown): string {
  if ((origin === 'array' || origin === 'set') && Array.isArray(input))
    return `, got ${input.length} ${input.length === 1 ? 'item' : 'items'}`;
  return describeActual(input);
}

function describeFormat(issue: z.core.$ZodIssueInvalidStringFormat): string {
  const details = issue as unknown as Record<string, unknown>;
  switch (issue.format) {
    case 'regex':
      return `a string matching ${issue.pattern ?? 'the pattern'}`;
    case 'starts_with':
      return `a string starting with ${JSON.stringify(details.prefix)}`;
    case 'ends_with':
      return `a string ending with ${JSON.stringify(details.suffix)}`;
    case 'includes':
      return `a string containing ${JSON.stringify(details.includes)}`;
    default:
      return `a valid ${FORMAT_NAMES[issue.format] ?? issue.format}`;
  }
}
