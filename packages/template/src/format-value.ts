/**
 * How an object or array is written inside text: `json`, its JSON text (Sortie's default); `string`, the text
 * JavaScript's `String()` gives it (`[object Object]`, `1,2`), as Postman does.
 */
export type ObjectText = 'json' | 'string';

/**
 * Converts a resolved value to the text that replaces `{{…}}`: strings as they are, numbers, booleans and bigints
 * via String(), dates as ISO 8601, null as "null", objects and arrays as JSON — or, with `objects: 'string'`, as
 * String() writes them, as postman-collection's `Variable#toString` does (`value.toString()`; null is "null").
 */
export function formatValue(value: unknown, objects: ObjectText = 'json'): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    default:
      if (value === null) return 'null';
      if (value instanceof Date) return value.toISOString();
      if (objects === 'string') return stringOf(value);
      return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)) ?? '';
  }
}

/** `String(value)`; an object without `toString` (a null prototype, also inside an array) reads as a plain object does. */
function stringOf(value: unknown): string {
  if (Array.isArray(value))
    return value.map((item: unknown) => (item === null || item === undefined ? '' : formatValue(item, 'string'))).join(',');
  try {
    return String(value);
  } catch {
    return '[object Object]';
  }
}
