/**
 * The numbers of a JSON text that `JSON.parse` reads as another value than written: an id such as
 * `9007199254740993` (read as 9007199254740992) or `12345678901234567891`. RFC 8259 §6 warns that
 * such numbers do not interoperate; APIs send 64-bit ids so all the same. A selector that hands one on
 * would compare or store another value without a word, so the JSONPath selector refuses it
 * (see select.ts).
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-6
 */
import { isExactLiteral } from '@sortie/core';

/** A JSON string (skipped) or a JSON number (RFC 8259 §6 grammar). */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
/** Only a literal longer than 15 characters or with an exponent can be inexact (isExactLiteral). */
const MAYBE_INEXACT = /\d{16}|\d[eE]|[\d.]{17}/;

/** The values the inexact number literals of `text` (a valid JSON text) are read as; empty when there is none. */
export function findInexactNumbers(text: string): ReadonlySet<number> {
  const found = new Set<number>();
  if (!MAYBE_INEXACT.test(text)) return found;
  for (const [token] of text.matchAll(TOKEN)) {
    if (token.charCodeAt(0) === 34 /* " */) continue;
    const value = Number(token);
    if (!isExactLiteral(token, value)) found.add(value);
  }
  return found;
}
