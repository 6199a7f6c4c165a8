import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyDecodeError, decodeBody } from '../src/decode-body.js';

const text = Buffer.from('{"hello":"world"}'.repeat(20));

describe('decodeBody', () => {
  it('decodes zlib-wrapped and raw deflate alike', () => {
    expect(decodeBody(zlib.deflateSync(text), 'deflate').equals(text)).toBe(true);
    expect(decodeBody(zlib.deflateRawSync(text), 'deflate').equals(text)).toBe(true);
  });

  it('undoes several codings, last applied first', () => {
    const twice = zlib.brotliCompressSync(zlib.gzipSync(text));
    expect(decodeBody(twice, 'gzip, br').equals(text)).toBe(true);
  });

  it('accepts x-gzip, identity and mixed case', () => {
    expect(decodeBody(zlib.gzipSync(text), 'X-GZIP').equals(text)).toBe(true);
    expect(decodeBody(text, 'identity').equals(text)).toBe(true);
  });

  it('decodes a gzip body that was cut after complete blocks', () => {
    const gzipped = zlib.gzipSync(text);
    const truncated = gzipped.subarray(0, gzipped.length - 8); // without the trailer
    expect(decodeBody(truncated, 'gzip').equals(text)).toBe(true);
  });

  it('throws BodyDecodeError for a body that is not what its coding says', () => {
    expect(() => decodeBody(Buffer.from('not gzip at all'), 'gzip')).toThrow(BodyDecodeError);
  });
});
