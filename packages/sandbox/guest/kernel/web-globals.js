const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function btoa(input) {
  const text = String(input);
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i),
      b = text.charCodeAt(i + 1),
      c = text.charCodeAt(i + 2);
    if (a > 255 || b > 255 || c > 255) throw new Error('btoa: the string contains characters outside of the Latin1 range');
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out +=
      BASE64[n >> 18] +
      BASE64[(n >> 12) & 63] +
      (i + 1 < text.length ? BASE64[(n >> 6) & 63] : '=') +
      (i + 2 < text.length ? BASE64[n & 63] : '=');
  }
  return out;
}
function atob(input) {
  const text = String(input)
    .replace(/[\t\n\f\r ]/g, '')
    .replace(/={1,2}$/, '');
  if (text.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(text)) throw new Error('atob: the string to be decoded is not correctly encoded');
  let out = '';
  let bits = 0,
    buffer = 0;
  for (let i = 0; i < text.length; i++) {
    buffer = (buffer << 6) | BASE64.indexOf(text[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 255);
    }
  }
  return out;
}
const webCrypto = {
  /**
   * @template {ArrayBufferView} T
   * @param {T} array
   * @returns {T}
   */
  getRandomValues(array) {
    if (!ArrayBuffer.isView(array)) throw new TypeError('crypto.getRandomValues expects a typed array');
    const hex = host.randomHex(array.byteLength);
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return array;
  },
  randomUUID() {
    const b = webCrypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x < 16 ? '0' : '') + x.toString(16)).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  },
};

/**
 * `String.prototype.localeCompare` ordered as ICU's root collation orders most text, which is
 * what Node — so Newman and Postman — gives: QuickJS has no Intl and compared code units, so
 * `'a'.localeCompare('B')` was positive and `sort((x, y) => x.localeCompare(y))` put every capital
 * first. Levels: the letters whatever their case and accents (spaces, then punctuation, then digits,
 * then letters; `numeric: true` compares digit runs as numbers), then accents, then case (lower
 * first, or upper with `caseFirst: 'upper'`); `sensitivity` stops at `base`, `accent` or `case` as
 * in Intl.Collator. The locale argument is accepted and not used. Returns -1, 0 or 1.
 *
 * @see https://unicode.org/reports/tr10/
 */
const COMBINING_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const SPACE = /\s/;
/** The group a character sorts in before its code: 0 space, 1 punctuation and symbols, 2 digits, 3 letters. */
function collationGroup(char) {
  const code = char.charCodeAt(0);
  if (code < 128) {
    if (code >= 97 ? code <= 122 : code >= 65 && code <= 90) return 3;
    if (code >= 48 && code <= 57) return 2;
    return code === 32 || (code >= 9 && code <= 13) ? 0 : 1;
  }
  return LETTER.test(char) ? 3 : DIGIT.test(char) ? 2 : SPACE.test(char) ? 0 : 1;
}
function isAsciiDigit(text, i) {
  const code = text.charCodeAt(i);
  return code >= 48 && code <= 57;
}
function comparePrimary(a, b, numeric) {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (numeric && isAsciiDigit(a, i) && isAsciiDigit(b, j)) {
      let endA = i;
      while (endA < a.length && isAsciiDigit(a, endA)) endA++;
      let endB = j;
      while (endB < b.length && isAsciiDigit(b, endB)) endB++;
      const numberA = a.slice(i, endA).replace(/^0+/, '');
      const numberB = b.slice(j, endB).replace(/^0+/, '');
      if (numberA.length !== numberB.length) return numberA.length < numberB.length ? -1 : 1;
      if (numberA !== numberB) return numberA < numberB ? -1 : 1;
      i = endA;
      j = endB;
      continue;
    }
    const charA = a[i];
    const charB = b[j];
    if (charA !== charB) {
      const groupA = collationGroup(charA);
      const groupB = collationGroup(charB);
      if (groupA !== groupB) return groupA < groupB ? -1 : 1;
      return charA < charB ? -1 : 1;
    }
    i++;
    j++;
  }
  const restA = a.length - i;
  const restB = b.length - j;
  return restA === restB ? 0 : restA < restB ? -1 : 1;
}
function compareCase(a, b, upperFirst) {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] === b[i]) continue;
    const lowerA = a[i] === a[i].toLowerCase();
    const lowerB = b[i] === b[i].toLowerCase();
    if (lowerA !== lowerB) return lowerA !== upperFirst ? -1 : 1;
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
function localeCompare(that) {
  const options = arguments.length > 2 && arguments[2] !== null && typeof arguments[2] === 'object' ? arguments[2] : {};
  const sensitivity = options.sensitivity === undefined ? 'variant' : String(options.sensitivity);
  const decomposedA = String(this).normalize('NFD');
  const decomposedB = String(that).normalize('NFD');
  const baseA = decomposedA.replace(COMBINING_MARKS, '');
  const baseB = decomposedB.replace(COMBINING_MARKS, '');
  const primary = comparePrimary(baseA.toLowerCase(), baseB.toLowerCase(), options.numeric === true);
  if (primary !== 0 || sensitivity === 'base') return primary;
  if (sensitivity !== 'case') {
    const lowerA = decomposedA.toLowerCase();
    const lowerB = decomposedB.toLowerCase();
    if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
    if (sensitivity === 'accent') return 0;
  }
  return compareCase(baseA, baseB, options.caseFirst === 'upper');
}
defineOwn(String.prototype, 'localeCompare', { value: localeCompare, writable: true, configurable: true, enumerable: false });
