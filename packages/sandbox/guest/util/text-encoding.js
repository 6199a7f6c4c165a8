/**
 * `TextEncoder` / `TextDecoder` (UTF-8 only) in the guest: part of the lazily loaded `util` module
 * and the lazy globals of the same names. Lone surrogates encode as U+FFFD; invalid bytes decode as
 * U+FFFD (one per maximal invalid subpart), or throw a TypeError with `fatal: true`.
 *
 * @see https://encoding.spec.whatwg.org/#interface-textencoder
 * @see https://encoding.spec.whatwg.org/#utf-8-decoder
 */
const UTF8_LABELS = ['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8'];
function encodeUtf8(text, out, limit) {
  let read = 0,
    written = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    let units = 1;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        units = 2;
      } else c = 0xfffd;
    }
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (written + size > limit) break;
    if (size === 1) out[written++] = c;
    else if (size === 2) {
      out[written++] = 0xc0 | (c >> 6);
      out[written++] = 0x80 | (c & 63);
    } else if (size === 3) {
      out[written++] = 0xe0 | (c >> 12);
      out[written++] = 0x80 | ((c >> 6) & 63);
      out[written++] = 0x80 | (c & 63);
    } else {
      out[written++] = 0xf0 | (c >> 18);
      out[written++] = 0x80 | ((c >> 12) & 63);
      out[written++] = 0x80 | ((c >> 6) & 63);
      out[written++] = 0x80 | (c & 63);
    }
    read += units;
    i += units - 1;
  }
  return { read, written };
}
class TextEncoder {
  get encoding() {
    return 'utf-8';
  }
  encode(input = '') {
    const text = String(input);
    const out = new Uint8Array(text.length * 3);
    return out.slice(0, encodeUtf8(text, out, out.length).written);
  }
  encodeInto(input, destination) {
    if (!(destination instanceof Uint8Array)) throw new TypeError('TextEncoder.encodeInto expects a Uint8Array');
    return encodeUtf8(String(input), destination, destination.length);
  }
}
function toBytes(input) {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError('TextDecoder.decode expects an ArrayBuffer or an ArrayBufferView');
}
class TextDecoder {
  #fatal;
  #ignoreBOM;
  #pending = new Uint8Array(0);
  #started = false;
  constructor(label = 'utf-8', options = {}) {
    if (!UTF8_LABELS.includes(String(label).trim().toLowerCase()))
      throw new RangeError('TextDecoder: only utf-8 is supported, not "' + label + '"');
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
  }
  get encoding() {
    return 'utf-8';
  }
  get fatal() {
    return this.#fatal;
  }
  get ignoreBOM() {
    return this.#ignoreBOM;
  }
  decode(input, options = {}) {
    let bytes = toBytes(input);
    if (this.#pending.length > 0) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
    }
    const stream = Boolean(options?.stream);
    const { text, used } = this.#decodeBytes(bytes, stream);
    this.#pending = bytes.slice(used);
    let out = text;
    if (!this.#started && out.length > 0) {
      if (!this.#ignoreBOM && out.charCodeAt(0) === 0xfeff) out = out.slice(1);
      this.#started = true;
    }
    if (!stream) this.#started = false;
    return out;
  }
  #invalid() {
    if (this.#fatal) throw new TypeError('TextDecoder: the encoded data was not valid utf-8');
    return 0xfffd;
  }
  #decodeBytes(bytes, stream) {
    const codes = [];
    let text = '';
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i];
      let need = 0,
        code = 0,
        lower = 0x80,
        upper = 0xbf;
      if (b < 0x80) {
        codes.push(b);
        i++;
      } else {
        if (b >= 0xc2 && b <= 0xdf) {
          need = 1;
          code = b & 31;
        } else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          code = b & 15;
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          code = b & 7;
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
        } else {
          codes.push(this.#invalid());
          i++;
          continue;
        }
        let j = 1;
        for (; j <= need && i + j < bytes.length; j++) {
          const next = bytes[i + j];
          if (next < lower || next > upper) break;
          lower = 0x80;
          upper = 0xbf;
          code = (code << 6) | (next & 63);
        }
        if (j <= need && i + j >= bytes.length && stream) break;
        if (j <= need) {
          codes.push(this.#invalid());
          i += j;
          continue;
        }
        if (code >= 0x10000) {
          code -= 0x10000;
          codes.push(0xd800 + (code >> 10), 0xdc00 + (code & 1023));
        } else codes.push(code);
        i += need + 1;
      }
      if (codes.length >= 8192) {
        text += String.fromCharCode.apply(null, codes);
        codes.length = 0;
      }
    }
    return { text: text + String.fromCharCode.apply(null, codes), used: i };
  }
}
