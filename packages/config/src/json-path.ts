/**
 * JSON paths as users read them: `$.steps[0].request.url`, with keys that are not identifiers
 * quoted (`$.headers["Content-Type"]`).
 */

/** One step of a path into a parsed document: an object key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats a path as a JSONPath-like string starting at `$`.
 * @see https://www.rfc-editor.org/rfc/rfc9535#section-2.5.1.1 (normalized paths, which this follows for quoting)
 */
export function formatJsonPath(path: ReadonlyArray<PathSegment>): string {
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
