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
