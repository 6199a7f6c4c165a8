/** A location inside a JSON-like value: object keys and array indexes from the root. */
export type ValuePath = (string | number)[];

/**
 * Calls `visit` for every string inside a JSON-like value (object keys included, with the path of their object),
 * depth first. Stops early when `visit` returns true; returns whether it stopped.
 *
 * The path passed to `visit` is one array updated in place as the walk goes (a walk over a 2,000-step scenario
 * would otherwise allocate a path per string): it is valid only during the call — copy it to keep it.
 */
export function walkStrings(value: unknown, visit: (text: string, path: ValuePath) => boolean | undefined, path: ValuePath = []): boolean {
  if (typeof value === 'string') return visit(value, path) === true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const stop = walkStrings(value[i], visit, path);
      path.pop();
      if (stop) return true;
    }
    return false;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (visit(key, path) === true) return true;
      path.push(key);
      const stop = walkStrings((value as Record<string, unknown>)[key], visit, path);
      path.pop();
      if (stop) return true;
    }
  }
  return false;
}
