import { ErrorCode, SortieError } from './errors.js';

/** The kind of a value, never the value (an argument may hold secrets): "null", "a list", "an object", "a number"… */
export function valueKind(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value === 'function' ? 'a function' : `a ${typeof value}`;
}

/**
 * The error of a library function called with an argument of the wrong kind from JavaScript (no types there):
 * a SORTIE_USAGE "Invalid argument" naming the function, the argument and what it expects, instead of a
 * TypeError from inside. `createCliReporter()` → `createCliReporter: "options" expects an object, got undefined`.
 */
export function wrongArgument(fn: string, argument: string, expected: string, value: unknown): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Invalid argument', `${fn}: "${argument}" expects ${expected}, got ${valueKind(value)}`);
}

/** Whether `value` is a plain object (not null, not a list). */
export function isObjectArgument(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
