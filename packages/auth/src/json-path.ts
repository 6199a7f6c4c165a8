/**
 * A small JSON path reader for `tokenPath`: `$.data.token`, `data.token`, `$.items[0].value`, `$['odd key']`.
 */

const SEGMENT = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/** Splits a path into property names and indexes; undefined when the path is malformed. */
export function parseJsonPath(path: string): (string | number)[] | undefined {
  const text = path.startsWith('$') ? path.slice(1) : `.${path}`;
  if (text.startsWith('..')) return undefined;
  const segments: (string | number)[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < text.length) {
    const start = SEGMENT.lastIndex;
    const match = SEGMENT.exec(text);
    if (match === null || SEGMENT.lastIndex === start) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[3] ?? match[4] ?? '');
  }
  return segments;
}

/** Reads the value at `path`; undefined when absent or the path is malformed. */
export function readJsonPath(value: unknown, path: string): unknown {
  const segments = parseJsonPath(path);
  if (segments === undefined) return undefined;
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** The value holding the last segment of `path` (e.g. `$.data` for `$.data.token`). */
export function readJsonPathParent(value: unknown, path: string): unknown {
  const segments = parseJsonPath(path);
  if (segments === undefined || segments.length === 0) return undefined;
  let current = value;
  for (const segment of segments.slice(0, -1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
