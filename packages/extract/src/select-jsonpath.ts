import { ErrorCode, SortieError } from '@sortie/core';
import { JSONPath } from 'jsonpath-plus';
import { toJsonPathPlus } from './rfc-jsonpath.js';

/** Quoted member names such as `['a,b']`, removed before looking for indefinite syntax. */
const QUOTED = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;
/** Wildcards, deep scan, filters (`?(…)` or RFC 9535's `?@…`), unions and slices: syntax that can match more than one node. */
const INDEFINITE = /\*|\.\.|\?|,|:/;

/**
 * Whether `path` is definite: it can match at most one node (no wildcard, deep scan, filter, union
 * or slice).
 * @see https://www.rfc-editor.org/rfc/rfc9535#section-2.3 (singular queries)
 */
export function isDefinitePath(path: string): boolean {
  return !INDEFINITE.test(path.replace(QUOTED, ''));
}

/**
 * Evaluates a JSONPath over a parsed JSON value (jsonpath-plus's dialect, with RFC 9535's negative
 * indexes and parenthesis-free filters). A definite path gives its single match; an
 * indefinite path (or `all`) gives the array of every match. Found when there is at least one match.
 * @throws SortieError(SELECTOR) when the expression cannot be evaluated.
 */
export function selectJsonPath(json: unknown, path: string, all: boolean): { found: boolean; value: unknown } {
  // jsonpath-plus returns nothing for a falsy root (null, 0, false, ""), which has no members anyway.
  if (json === null || json === 0 || json === false || json === '') {
    if (path.trim() !== '$') return { found: false, value: undefined };
    return { found: true, value: all ? [json] : json };
  }
  let matches: unknown[];
  try {
    matches = JSONPath({ path: toJsonPathPlus(path), json: json as object, wrap: true }) as unknown[];
  } catch (error) {
    // jsonpath-plus meets some text that is no path at all with a TypeError of its own ("Cannot read properties of undefined").
    const detail =
      error instanceof TypeError
        ? 'it is not a JSONPath expression (such as $.items[0].id)'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new SortieError(ErrorCode.SELECTOR, 'Invalid JSONPath', `Cannot evaluate JSONPath ${path}: ${detail}`, { cause: error });
  }
  if (!Array.isArray(matches) || matches.length === 0) return { found: false, value: undefined };
  if (all || !isDefinitePath(path)) return { found: true, value: matches };
  return { found: true, value: matches[0] };
}
