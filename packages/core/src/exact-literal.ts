/**
 * Whether a decimal number literal stands for exactly the JavaScript number it is read as (IEEE 754
 * binary64: 15–17 significant digits, integers exact to 2^53). `9007199254740993` is read as
 * 9007199254740992 and `12345678901234567891` as 12345678901234567000 by `JSON.parse` and the YAML
 * parser, without a word. Used by the loaders of scenario files and by the JSONPath selector over
 * response bodies.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-6 (interoperability of numbers beyond binary64)
 */
const DECIMAL = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/**
 * Whether the decimal literal `written` stands for exactly the number `value` prints as (both in
 * canonical form: digits without leading or trailing zeros, and a power of ten). A literal of up to
 * 15 significant digits within the normal range always does, so most cost one length check.
 */
export function isExactLiteral(written: string, value: number): boolean {
  if (written.length <= 15 && !/[eE]/.test(written)) return true;
  if (!Number.isFinite(value)) return false;
  const a = canonical(written);
  // A literal that is not decimal (a YAML 0x1F, 0o17, .inf) is another matter: not ours to judge.
  if (a === undefined) return true;
  return a === canonical(String(value));
}

/** "-123.4500e2" → "-1234500|-?" style key: sign, significant digits, exponent of the last digit. */
function canonical(literal: string): string | undefined {
  const match = DECIMAL.exec(literal);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let power = Number(exponent) - fraction.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  power += trailing;
  return `${sign === '-' ? '-' : ''}${digits}e${power}`;
}

/** A JSON string (skipped) or a JSON number (RFC 8259 §6 grammar). */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
/** Only a literal longer than 15 characters or with an exponent can be inexact (isExactLiteral). */
const MAYBE_INEXACT = /\d{16}|\d[eE]|[\d.]{17}/;

/**
 * The values the inexact number literals of `text` (a valid JSON text) are read as by `JSON.parse`; empty
 * when there is none. APIs send 64-bit ids (RFC 8259 §6 warns they do not interoperate): a selector or a
 * report that parsed such a body would show or use another value without a word.
 */
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
