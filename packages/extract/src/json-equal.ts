/**
 * Equality of JSON values for assertions: same type, same numbers and strings, arrays element by element,
 * objects with the same keys (in any order) and equal values. Unlike `util.isDeepStrictEqual` it does not
 * compare prototypes: a scenario parsed from JSON holds null-prototype objects (jsonc-parser builds them),
 * a response body parsed with JSON.parse plain ones, and both mean the same JSON.
 */
export function equalJsonValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((value, index) => equalJsonValues(value, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && equalJsonValues(left[key], right[key]));
}
