/** Small wording helpers for error messages: how an actual value is shown, lists. Suggestions: `suggestClosest` in core. */

const MAX_STRING_SHOWN = 40;

/**
 * Shows a value the way a message quotes it: primitives as JSON (`"GE T"`, `5`, `null`), long
 * strings shortened, objects and arrays by their kind ("an object", "an array").
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > MAX_STRING_SHOWN ? `${value.slice(0, MAX_STRING_SHOWN - 1)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Whether a value is shown literally (so that "got <value>" tells the user something). */
export function isPrimitive(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

/** Joins alternatives as "a, b or c". */
export function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
