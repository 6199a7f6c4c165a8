/**
 * JSON text of a JSON/JSONB column read without rounding: an integer beyond 2^53 (which `JSON.parse`
 * would round, 9007199254740993 → 9007199254740992) is kept as its digits, as a string, like a BIGINT
 * column. Other numbers read as `JSON.parse` reads them.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-6 (numbers beyond binary64 are not interoperable)
 */

/** An integer literal (no fraction, no exponent) at a position outside strings. */
const INTEGER = /-?\d+(?![.\deE])/y;

/** Parses JSON text, keeping integers beyond 2^53 as their digits (strings). Throws as `JSON.parse` does. */
export function parseJsonKeepingIntegers(text: string): unknown {
  // Most documents hold no literal of 16 digits or more: nothing to rewrite.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  let out = '';
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      index = skipString(text, index);
      continue;
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      INTEGER.lastIndex = index;
      const match = INTEGER.exec(text);
      if (match !== null && !Number.isSafeInteger(Number(match[0]))) {
        out += `${text.slice(copied, index)}"${match[0]}"`;
        copied = index + match[0].length;
        index = copied;
        continue;
      }
      index = skipNumber(text, index);
      continue;
    }
    index++;
  }
  return JSON.parse(out + text.slice(copied));
}

/** The index after the string starting at `start` (its opening quote). */
function skipString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index + 1;
}

function skipNumber(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && /[\d.eE+-]/.test(text[index]!)) index++;
  return index;
}
