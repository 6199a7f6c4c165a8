/** A location inside a JSON-like value: object keys and array indexes from the root. */
export type ValuePath = (string | number)[];

/**
 * Calls `visit` for every string inside a JSON-like value (object keys included, with the path of their object),
 * depth first. Stops early when `visit` returns true; returns whether it stopped.
 */
export function walkStrings(value: unknown, visit: (text: string, path: ValuePath) => boolean | undefined, path: ValuePath = []): boolean {
  if (typeof value === 'string') return visit(value, path) === true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (walkStrings(value[i], visit, [...path, i])) return true;
    return false;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      if (visit(key, path) === true) return true;
      if (walkStrings(item, visit, [...path, key])) return true;
    }
  }
  return false;
}
