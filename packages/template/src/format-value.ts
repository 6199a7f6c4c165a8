/**
 * Converts a resolved value to the text that replaces `{{…}}`: strings as they are, numbers, booleans and bigints
 * via String(), dates as ISO 8601, null as "null", objects and arrays as JSON.
 */
export function formatValue(value: unknown): string {
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
      return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)) ?? '';
  }
}
