import { describeType, formatValue } from './format-value.js';

/** A decimal number as text (JSON's syntax, with an optional `+`, leading zeros, `5.`, `.5`, spaces around). */
const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/**
 * Numbers, and strings holding a finite decimal number such as the header value `"1024"`; undefined
 * otherwise. `Number()` alone also read `"0x1A"`, `"0b11"` and `"0o7"` as numbers (a version or an id
 * "0x10" compared greater than 15).
 */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'string' && DECIMAL.test(value)) {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** The result of ordering `actual` against `expected`: a sign, or why they cannot be ordered. */
export type Ordering = { ok: true; sign: number } | { ok: false; reason: string };

/**
 * Orders `actual` against `expected` for gt/gte/lt/lte.
 * - expected is a number: actual must be a number or a numeric string (header values are text).
 * - expected is a string: two numeric strings compare as numbers; other strings compare lexically
 *   (ISO dates order correctly); a number actual compares with a numeric expected string.
 */
export function orderValues(actual: unknown, expected: unknown): Ordering {
  if (typeof expected === 'number') {
    const number = toNumber(actual);
    if (number === undefined) return { ok: false, reason: `${formatValue(actual)} (${describeType(actual)}, not a number)` };
    return { ok: true, sign: Math.sign(number - expected) };
  }
  if (typeof expected === 'string') {
    const expectedNumber = toNumber(expected);
    const actualNumber = toNumber(actual);
    if (expectedNumber !== undefined && actualNumber !== undefined) return { ok: true, sign: Math.sign(actualNumber - expectedNumber) };
    if (typeof actual === 'string') return { ok: true, sign: actual < expected ? -1 : actual > expected ? 1 : 0 };
    return { ok: false, reason: `${formatValue(actual)} (${describeType(actual)}, not comparable with a string)` };
  }
  return { ok: false, reason: `${formatValue(actual)} (the expected value ${formatValue(expected)} is not a number or a string)` };
}

/** The length of a string or an array, or the number of keys of an object; undefined otherwise. */
export function measureLength(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

/** Whether a value is empty: "", [], {}, or null. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === '') return true;
  return (Array.isArray(value) || typeof value === 'object') && measureLength(value) === 0;
}

/** Whether `value` is of the JSON type `type` (string, number, integer, boolean, object, array, null). */
export function isOfType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'string':
    case 'boolean':
      return typeof value === type;
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return false;
  }
}
