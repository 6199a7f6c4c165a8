import { ErrorCode, SortieError } from '@sortie/core';
import { JSONPath } from 'jsonpath-plus';
import { toJsonPathPlus } from './rfc-jsonpath.js';

/** The first node a JSONPath matches, and the object or array that holds it. */
export interface JsonNode {
  value: unknown;
  /** The value holding the node (for `$.data.token`, the value of `$.data`); undefined for the root. */
  parent: unknown;
}

/**
 * The first node `path` matches in a parsed JSON value, with its parent, in the same JSONPath dialect as
 * assertions and extractions (jsonpath-plus); undefined when nothing matches. Auth's `tokenPath` and
 * `expiresInPath` read tokens with it.
 * @throws SortieError(SELECTOR) when the expression cannot be evaluated.
 */
export function selectFirstJsonNode(json: unknown, path: string): JsonNode | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  let matches: Array<{ value: unknown; parent: unknown }>;
  try {
    matches = JSONPath({ path: toJsonPathPlus(path), json, wrap: true, resultType: 'all' }) as Array<{ value: unknown; parent: unknown }>;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SortieError(ErrorCode.SELECTOR, 'Invalid JSONPath', `Cannot evaluate JSONPath ${path}: ${detail}`, { cause: error });
  }
  const first = Array.isArray(matches) ? matches[0] : undefined;
  return first === undefined ? undefined : { value: first.value, parent: first.parent ?? undefined };
}
