import type { PathSegment } from './parse-expression.js';

/** Marks a path that leads nowhere (distinct from a value that is `undefined`). */
export const MISSING: unique symbol = Symbol('missing');

/**
 * Follows `path` into a value: keys of plain objects, indexes of arrays (`[0]` or `.0`). Returns {@link MISSING}
 * when a step does not exist. Only own properties are followed.
 */
export function resolvePath(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= current.length) return MISSING;
      current = current[index];
    } else if (current !== null && typeof current === 'object') {
      const key = String(segment);
      if (!Object.hasOwn(current, key)) return MISSING;
      current = (current as Record<string, unknown>)[key];
    } else {
      return MISSING;
    }
  }
  return current;
}
