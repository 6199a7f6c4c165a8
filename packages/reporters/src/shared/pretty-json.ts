/**
 * JSON pretty-printed (2 spaces) for the reports, when that stays in proportion to the text.
 * Pretty-printing indents every line by twice its depth, so the output can dwarf the body: 8 KB
 * nested 4,000 deep (`[[[…1…]]]`) becomes 32 MB, a few KB of small values 100 deep becomes
 * megabytes. The indentation is counted first, without building anything, and such a body is shown
 * as it came. Shared by the HTML report and the CLI's body excerpt; the HTML report's XML indenter
 * keeps to the same allowance.
 */
import { findInexactNumbers } from '@sortie/core';

/** Indentation allowed on top of a text of this length: 64 KiB plus four times the text. */
export function allowedIndentation(length: number): number {
  return 64 * 1024 + 4 * length;
}

/**
 * The text pretty-printed, or undefined when it is not JSON, would be out of proportion once indented, or
 * has a number JSON.parse reads as another value (`9007199254740993`, a 64-bit id: the report would show
 * 9007199254740992, which the server never sent).
 */
export function prettyPrintJson(raw: string): string | undefined {
  if (countIndentation(raw, allowedIndentation(raw.length)) === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return findInexactNumbers(raw).size > 0 ? undefined : JSON.stringify(value, null, 2);
}

/**
 * The spaces JSON.stringify(…, null, 2) would indent the text's lines with (an upper bound: an empty
 * `[]` or `{}` counts as if it had a line), or undefined once above `limit`. Brackets and commas
 * inside strings do not count.
 */
function countIndentation(raw: string, limit: number): number | undefined {
  let depth = 0;
  let total = 0;
  let inString = false;
  for (let at = 0; at < raw.length; at++) {
    const code = raw.charCodeAt(at);
    if (inString) {
      if (code === 0x5c) at++;
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) total += 2 * ++depth;
    else if (code === 0x5d || code === 0x7d) total += 2 * Math.max(0, --depth);
    else if (code === 0x2c) total += 2 * depth;
    else continue;
    if (total > limit) return undefined;
  }
  return total;
}
