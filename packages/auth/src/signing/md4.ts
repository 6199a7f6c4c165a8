/**
 * MD4 message digest (RFC 1320), needed by NTLM's NTOWF: Node's OpenSSL 3 no longer ships it.
 * Written from the RFC; verified against its Appendix A.5 test suite. Not `js-md4`: it has not been released
 * since 2017, and 65 lines checked against the RFC's own vectors are easier to trust than an unmaintained dependency.
 * @see https://www.rfc-editor.org/rfc/rfc1320
 */

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

/**
 * Computes the MD4 digest of `data` (16 bytes).
 * @see https://www.rfc-editor.org/rfc/rfc1320#section-3
 */
export function md4(data: Uint8Array | string): Buffer {
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  // 3.1–3.2: pad with 0x80 then zeros to 56 mod 64, append the bit length (64 bits, little endian).
  const padded = Buffer.alloc((((input.length + 8) >>> 6) + 1) << 6);
  input.copy(padded);
  padded[input.length] = 0x80;
  const bits = input.length * 8;
  padded.writeUInt32LE(bits >>> 0, padded.length - 8);
  padded.writeUInt32LE(Math.floor(bits / 0x100000000), padded.length - 4);

  // 3.3: initial buffer.
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
  const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
  const h = (p: number, q: number, r: number) => p ^ q ^ r;

  // 3.4: process each 16-word block in three rounds.
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readUInt32LE(offset + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];
    for (const i of [0, 4, 8, 12]) {
      a = rotl(a + f(b, c, d) + x[i]!, 3);
      d = rotl(d + f(a, b, c) + x[i + 1]!, 7);
      c = rotl(c + f(d, a, b) + x[i + 2]!, 11);
      b = rotl(b + f(c, d, a) + x[i + 3]!, 19);
    }
    for (const i of [0, 1, 2, 3]) {
      a = rotl(a + g(b, c, d) + x[i]! + 0x5a827999, 3);
      d = rotl(d + g(a, b, c) + x[i + 4]! + 0x5a827999, 5);
      c = rotl(c + g(d, a, b) + x[i + 8]! + 0x5a827999, 9);
      b = rotl(b + g(c, d, a) + x[i + 12]! + 0x5a827999, 13);
    }
    for (const i of [0, 2, 1, 3]) {
      a = rotl(a + h(b, c, d) + x[i]! + 0x6ed9eba1, 3);
      d = rotl(d + h(a, b, c) + x[i + 8]! + 0x6ed9eba1, 9);
      c = rotl(c + h(d, a, b) + x[i + 4]! + 0x6ed9eba1, 11);
      b = rotl(b + h(c, d, a) + x[i + 12]! + 0x6ed9eba1, 15);
    }
    a = (a + aa) >>> 0;
    b = (b + bb) >>> 0;
    c = (c + cc) >>> 0;
    d = (d + dd) >>> 0;
  }

  // 3.5: output A, B, C, D, low-order byte first.
  const out = Buffer.alloc(16);
  for (const [i, word] of [a, b, c, d].entries()) out.writeUInt32LE(word >>> 0, i * 4);
  return out;
}
