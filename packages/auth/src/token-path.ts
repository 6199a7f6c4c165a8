/**
 * `tokenPath`, `expiresInPath` and `expiresAtPath` are JSONPath expressions in the dialect of assertions and
 * extractions (@sortie/extract): one dialect for every path a user writes. The first match counts.
 */
import { isSortieError } from '@sortie/core';
import { type JsonNode, selectFirstJsonNode } from '@sortie/extract';
import { createAuthError } from './auth-error.js';

/** The first node `path` matches in `json`, or undefined; a path that cannot be evaluated is an AUTH error of `profile`. */
export function readTokenPath(json: unknown, path: string, profile: string): JsonNode | undefined {
  try {
    return selectFirstJsonNode(json, path);
  } catch (error) {
    if (!isSortieError(error)) throw error;
    throw createAuthError(profile, 'Invalid JSON path', `"${path}" is not a JSONPath that can be evaluated: ${error.message}`, {
      hint: 'write it like an assertion path, e.g. $.data.token',
    });
  }
}
