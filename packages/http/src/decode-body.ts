/**
 * Response content decoding (gzip, deflate, br).
 *
 * Bodies of API responses are small, so they are decoded in one synchronous call once complete: that is
 * faster than streaming through zlib's thread pool and keeps the encoded size known.
 */
import { constants as bufferConstants } from 'node:buffer';
import type * as Zlib from 'node:zlib';

const MAX_OUTPUT = bufferConstants.MAX_LENGTH;

/** Thrown when a body cannot be decoded; the caller turns it into a SortieError with context. */
export class BodyDecodeError extends Error {
  readonly encoding: string;
  constructor(encoding: string, cause: unknown) {
    super(`cannot decode ${encoding} body: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BodyDecodeError';
    this.encoding = encoding;
  }
}

/** Thrown when a body decodes to more than the limit: zlib stopped there, so memory stayed bounded. */
export class BodyTooLargeError extends Error {
  readonly encoding: string;
  readonly limit: number;
  constructor(encoding: string, limit: number) {
    super(`the ${encoding} body decompresses to more than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
    this.encoding = encoding;
    this.limit = limit;
  }
}

/** RFC 1950 §2.2: CM = 8 in the low nibble of CMF, and CMF·256 + FLG a multiple of 31. */
function hasZlibHeader(body: Buffer): boolean {
  return body.length >= 2 && (body[0]! & 0x0f) === 0x08 && ((body[0]! << 8) | body[1]!) % 31 === 0;
}

/**
 * node:zlib, loaded by the first encoded body: most API responses are not compressed, and loading it
 * is ~1.5 ms of every start (BENCHMARKS.md, issue 18, session 11).
 */
let zlibModule: typeof Zlib | undefined;
const loadZlib = (): typeof Zlib => (zlibModule ??= process.getBuiltinModule('node:zlib'));

function decodeOne(body: Buffer, coding: string, maxOutputLength: number): Buffer | undefined {
  // Lenient like browsers: a body cut short after complete blocks still decodes. zlib stops at
  // maxOutputLength (ERR_BUFFER_TOO_LARGE): a small bomb never grows past the limit.
  switch (coding) {
    case 'gzip':
    case 'x-gzip': {
      const zlib = loadZlib();
      return zlib.gunzipSync(body, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength });
    }
    case 'deflate': {
      const zlib = loadZlib();
      const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength };
      // RFC 9110 says zlib-wrapped, but some servers send raw deflate: the first byte tells them apart.
      return hasZlibHeader(body) ? zlib.inflateSync(body, options) : zlib.inflateRawSync(body, options);
    }
    case 'br': {
      const zlib = loadZlib();
      return zlib.brotliDecompressSync(body, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH, maxOutputLength });
    }
    case 'identity':
    case '':
      return body;
    default:
      return undefined;
  }
}

/**
 * Undoes the content codings listed in a `Content-Encoding` header, last applied first. A body with a coding
 * we do not know is returned as received. No decoded body grows past `maxBytes`.
 *
 * @throws BodyTooLargeError when a decoded body would be larger than `maxBytes`
 * @throws BodyDecodeError when a body cannot be decoded
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.4
 */
export function decodeBody(body: Buffer, contentEncoding: string | string[] | undefined, maxBytes = Number.MAX_SAFE_INTEGER): Buffer {
  // zlib's own ceiling (buffer.kMaxLength) is the most it can be asked for.
  const maxOutputLength = Math.min(maxBytes + 1, MAX_OUTPUT);
  if (contentEncoding === undefined || body.length === 0) return body;
  const codings = (Array.isArray(contentEncoding) ? contentEncoding.join(',') : contentEncoding).split(',');
  let decoded = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!.trim().toLowerCase();
    let next: Buffer | undefined;
    try {
      next = decodeOne(decoded, coding, maxOutputLength);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(coding, maxBytes);
      throw new BodyDecodeError(coding, error);
    }
    if (next === undefined) return body;
    if (next.length > maxBytes) throw new BodyTooLargeError(coding, maxBytes);
    decoded = next;
  }
  return decoded;
}
