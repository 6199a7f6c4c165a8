/**
 * Where the parts of a converted value are written in the text it was converted from (a Postman
 * collection read as a scenario): each entry maps a JSON path of the value, and everything under it,
 * to a JSON path of the text. Error positions of the value then point into the user's own file.
 */
import type { PathSegment } from './json-path.js';
import type { ParsedSource } from './parsed-source.js';

/** `[path in the value, path in the source text]` pairs; the longest matching prefix wins. */
export type SourceOrigins = ReadonlyArray<readonly [from: ReadonlyArray<PathSegment>, to: ReadonlyArray<PathSegment>]>;

const lookups = new WeakMap<SourceOrigins, Map<string, ReadonlyArray<PathSegment>>>();

/**
 * The path in the source text of `path` in the value: the entry of its longest prefix, with the rest
 * of `path` appended (a locator falls back to the nearest part that exists); the document's root
 * when no entry matches.
 */
export function originPath(path: ReadonlyArray<PathSegment>, origins: SourceOrigins): PathSegment[] {
  let lookup = lookups.get(origins);
  if (lookup === undefined) {
    lookup = new Map(origins.map(([from, to]) => [keyOf(from, from.length), to]));
    lookups.set(origins, lookup);
  }
  for (let depth = path.length; depth >= 0; depth--) {
    const to = lookup.get(keyOf(path, depth));
    if (to !== undefined) return [...to, ...path.slice(depth)];
  }
  return [];
}

/**
 * `locate` of a value converted from `parsed`: a path of the value is found at its origin, down to the
 * deepest part that exists in the source (so the path shown is one the user's file has).
 */
export function originLocator(parsed: ParsedSource, origins: SourceOrigins): ParsedSource['locate'] {
  return (path, target) => {
    const to = originPath(path, origins);
    let node: unknown = parsed.data;
    let depth = 0;
    for (const segment of to) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) break;
      node = (node as Record<PathSegment, unknown>)[segment];
      depth++;
    }
    return parsed.locate(depth === to.length ? to : to.slice(0, depth), target);
  };
}

function keyOf(path: ReadonlyArray<PathSegment>, depth: number): string {
  return JSON.stringify(path.slice(0, depth));
}
