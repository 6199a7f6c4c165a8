/**
 * The text of one query parameter, form field or multipart value part.
 */

/**
 * A field value as text: a scalar as `String` gives it, an object or array (a whole variable rendered into the
 * field, `"{{user}}"`) as its JSON text, never `[object Object]`.
 */
export function fieldText(value: unknown): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}
