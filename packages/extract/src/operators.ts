import { isSortieError, type OperatorName } from '@sortie/core';
import { isEmptyValue, isOfType, measureLength, orderValues } from './compare.js';
import { describeType, formatValue } from './format-value.js';
import { equalJsonValues } from './json-equal.js';
import { compileSchema, formatSchemaErrors } from './json-schema.js';
import { compilePattern } from './regex-cache.js';
import { execPattern } from './run-pattern.js';
import type { Selection } from './types.js';

/** The outcome of one operator: passed, or failed with a message. */
export interface OperatorOutcome {
  passed: boolean;
  message?: string;
}

const PASSED: OperatorOutcome = { passed: true };

function fail(message: string): OperatorOutcome {
  return { passed: false, message };
}

/** Both values, with their types when they print alike but differ in type (`200` vs `"200"`, `true` vs `"true"`). */
function formatPair(expected: unknown, actual: unknown): [expected: string, actual: string] {
  const expectedType = describeType(expected);
  const actualType = describeType(actual);
  const printAlike =
    expectedType !== actualType && typeof expected !== 'object' && typeof actual !== 'object' && String(expected) === String(actual);
  const nullVsText = (expected === null && actual === 'null') || (actual === null && expected === 'null');
  if (!printAlike && !nullVsText) return [formatValue(expected), formatValue(actual)];
  return [`${formatValue(expected)} (${expectedType})`, `${formatValue(actual)} (${actualType})`];
}

const ORDERING_PHRASES = {
  gt: { phrase: 'to be greater than', holds: (sign: number) => sign > 0 },
  gte: { phrase: 'to be greater than or equal to', holds: (sign: number) => sign >= 0 },
  lt: { phrase: 'to be less than', holds: (sign: number) => sign < 0 },
  lte: { phrase: 'to be less than or equal to', holds: (sign: number) => sign <= 0 },
} as const;

function applyOrdering(operator: keyof typeof ORDERING_PHRASES, expected: unknown, actual: unknown, subject: string): OperatorOutcome {
  const { phrase, holds } = ORDERING_PHRASES[operator];
  const ordering = orderValues(actual, expected);
  if (!ordering.ok) return fail(`expected ${subject} ${phrase} ${formatValue(expected)} but was ${ordering.reason}`);
  return holds(ordering.sign) ? PASSED : fail(`expected ${subject} ${phrase} ${formatValue(expected)} but was ${formatValue(actual)}`);
}

/** Whether `actual` contains `expected`: substring, deep-equal element, or key. A string explains why it cannot tell. */
function checkContains(actual: unknown, expected: unknown): boolean | string {
  if (typeof actual === 'string') {
    if (typeof expected === 'string' || typeof expected === 'number' || typeof expected === 'boolean') {
      return actual.includes(String(expected));
    }
    return `a string cannot contain ${describeType(expected)} ${formatValue(expected)}`;
  }
  if (Array.isArray(actual)) return actual.some((element) => equalJsonValues(element, expected));
  if (actual !== null && typeof actual === 'object') {
    if (typeof expected === 'string' || typeof expected === 'number') return Object.hasOwn(actual, String(expected));
    return `object keys are strings, not ${describeType(expected)}`;
  }
  return `${describeType(actual)} is not a string, array or object`;
}

function applyContains(expected: unknown, actual: unknown, subject: string, negate: boolean): OperatorOutcome {
  const verb = negate ? 'not to contain' : 'to contain';
  const contained = checkContains(actual, expected);
  if (typeof contained === 'string')
    return fail(`expected ${subject} ${verb} ${formatValue(expected)} but was ${formatValue(actual)} (${contained})`);
  return contained !== negate ? PASSED : fail(`expected ${subject} ${verb} ${formatValue(expected)} but was ${formatValue(actual)}`);
}

function applyMatches(expected: unknown, actual: unknown, subject: string): OperatorOutcome {
  if (typeof expected !== 'string') return fail(`expected ${subject} to match ${formatValue(expected)} but the pattern is not a string`);
  let regexp: RegExp;
  try {
    regexp = compilePattern(expected).regexp;
  } catch (error) {
    if (!isSortieError(error)) throw error;
    return fail(`expected ${subject} to match /${expected}/ but the pattern is invalid: ${error.message}`);
  }
  // Objects and arrays are matched as the JSON the failure message shows, never as "[object Object]".
  const text = actual !== null && typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
  let matched: boolean;
  try {
    matched = execPattern(regexp, text) !== null;
  } catch (error) {
    if (!isSortieError(error)) throw error;
    return fail(`expected ${subject} to match /${expected}/ but ${error.message}`);
  }
  return matched ? PASSED : fail(`expected ${subject} to match /${expected}/ but was ${formatValue(actual)}`);
}

const LENGTH_CHECKS = ['equals', 'notEquals', 'gt', 'gte', 'lt', 'lte'] as const;

function applyLength(expected: unknown, actual: unknown, subject: string): OperatorOutcome {
  const length = measureLength(actual);
  if (length === undefined) {
    return fail(`expected length of ${subject} to be measurable but was ${formatValue(actual)} (${describeType(actual)} has no length)`);
  }
  const checks: Record<string, unknown> = typeof expected === 'number' ? { equals: expected } : (expected as Record<string, unknown>);
  if (checks === null || typeof checks !== 'object')
    return fail(`expected length of ${subject}: ${formatValue(expected)} is not a number or an object`);
  const lengthSubject = `length of ${subject}`;
  for (const check of LENGTH_CHECKS) {
    const bound = checks[check];
    if (bound === undefined) continue;
    const outcome = applyOperator(check, bound, { found: true, value: length, description: lengthSubject });
    if (!outcome.passed) return outcome;
  }
  return PASSED;
}

function applySchema(expected: unknown, actual: unknown, subject: string): OperatorOutcome {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) {
    return fail(`expected ${subject} to match a JSON Schema but ${formatValue(expected)} is not a schema object`);
  }
  // `{ "$ref": "#" }` and the like: ajv's compiler, or the code it generates, calls itself until the stack runs out.
  const endless = (error: RangeError) =>
    fail(
      `expected ${subject} to match the JSON Schema but the schema could not be applied: it refers to itself without end (${error.message})`,
    );
  let validate: ReturnType<typeof compileSchema>;
  try {
    validate = compileSchema(expected as Record<string, unknown>);
  } catch (error) {
    if (error instanceof RangeError) return endless(error);
    return fail(
      `expected ${subject} to match the JSON Schema but the schema is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let valid: boolean;
  try {
    valid = validate(actual) as boolean;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return endless(error);
  }
  if (valid) return PASSED;
  return fail(`expected ${subject} to match the JSON Schema but ${formatSchemaErrors(validate.errors)}`);
}

/**
 * Applies one assertion operator to a selection. A selection that found nothing fails every
 * operator with "<description> not found", except `exists: false` and `isEmpty: true`, which pass.
 * Messages read like Hurl's: `expected status to equal 200 but was 404`.
 */
export function applyOperator(operator: OperatorName, expected: unknown, selection: Selection): OperatorOutcome {
  const { found, value: actual, description: subject } = selection;
  if (!found) {
    if ((operator === 'exists' && expected === false) || (operator === 'isEmpty' && expected === true)) return PASSED;
    return fail(`${subject} not found`);
  }
  switch (operator) {
    case 'equals': {
      if (equalJsonValues(actual, expected)) return PASSED;
      const [e, a] = formatPair(expected, actual);
      return fail(`expected ${subject} to equal ${e} but was ${a}`);
    }
    case 'notEquals':
      return equalJsonValues(actual, expected)
        ? fail(`expected ${subject} not to equal ${formatValue(expected)} but was ${formatValue(actual)}`)
        : PASSED;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return applyOrdering(operator, expected, actual, subject);
    case 'contains':
      return applyContains(expected, actual, subject, false);
    case 'notContains':
      return applyContains(expected, actual, subject, true);
    case 'matches':
      return applyMatches(expected, actual, subject);
    case 'exists':
      return expected === true ? PASSED : fail(`expected ${subject} not to exist but was ${formatValue(actual)}`);
    case 'isEmpty': {
      const empty = isEmptyValue(actual);
      if (empty === (expected === true)) return PASSED;
      return fail(`expected ${subject} ${expected === true ? 'to be empty' : 'not to be empty'} but was ${formatValue(actual)}`);
    }
    case 'oneOf': {
      if (!Array.isArray(expected)) return fail(`expected ${subject} to be one of ${formatValue(expected)} but that is not an array`);
      return expected.some((candidate) => equalJsonValues(actual, candidate))
        ? PASSED
        : fail(`expected ${subject} to be one of ${formatValue(expected)} but was ${formatValue(actual)}`);
    }
    case 'type':
      return isOfType(actual, expected)
        ? PASSED
        : fail(`expected ${subject} to be of type ${String(expected)} but was ${formatValue(actual)} (${describeType(actual)})`);
    case 'length':
      return applyLength(expected, actual, subject);
    case 'schema':
      return applySchema(expected, actual, subject);
    default:
      return fail(`unknown operator "${String(operator)}"`);
  }
}
