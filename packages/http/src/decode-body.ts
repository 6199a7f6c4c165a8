/**
 * Response content decoding (gzip, deflate, br).
 *
 * Bodies of API responses are small, so they are decoded in one synchronous call once complete: that is
 * faster than streaming through zlib's thread pool and keeps the encoded size known.
 */
import zlib from 'node:zlib';

/** Thrown when a body cannot be decoded; the caller turns it into a SortieError with context. */
export class BodyDecodeError extends Error {
  readonly encoding: string;
  constructor(encoding: string, cause: unknown) {
    super(`cannot decode ${encoding} body: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BodyDecodeError';
    this.encoding = encoding;
  }
}

/** Lenient like browsers: a body cut short after complete blocks still decodes. */
const LENIENT = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const LENIENT_BROTLI = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

/** RFC 1950 §2.2: CM = 8 in the low nibble of CMF, and CMF·256 + FLG a multiple of 31. */
function hasZlibHeader(body: Buffer): boolean {
  return body.length >= 2 && (body[0]! & 0x0f) === 0x08 && ((body[0]! << 8) | body[1]!) % 31 === 0;
}

function decodeOne(body: Buffer, coding: string): Buffer | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body, LENIENT);
    case 'deflate':
      // RFC 9110 says zlib-wrapped, but some servers send raw deflate: the first byte tells them apart.
      return hasZlibHeader(body) ? zlib.inflateSync(body, LENIENT) : zlib.inflateRawSync(body, LENIENT);
    case 'br':
      return zlib.brotliDecompressSync(body, LENIENT_BROTLI);
    case 'identity':
    case '':
      return body;
    default:
      return undefined;
  }
}

/**
 * Undoes the content codings listed in a `Content-Encoding` header, last applied first. A body with a coding
 * we do not know is returned as received.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.4
 */
export function decodeBody(body: Buffer, contentEncoding: string | string[] | undefined): Buffer {
  if (contentEncoding === undefined || body.length === 0) return body;
  const codings = (Array.isArray(contentEncoding) ? contentEncoding.join(',') : contentEncoding).split(',');
  let decoded = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!.trim().toLowerCase();
    let next: Buffer | undefined;
    try {
      next = decodeOne(decoded, coding);
    } catch (error) {
      throw new BodyDecodeError(coding, error);
    }
    if (next === undefined) return body;
    decoded = next;
  }
  return decoded;
}
