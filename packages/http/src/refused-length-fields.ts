/**
 * The message-length fields (Content-Length, Transfer-Encoding) of a response header section undici's parser
 * refused. When llhttp refuses a header section that had a Content-Length, undici reports only "Response body
 * length does not match content-length header" (client-h1 `createError`), which hides what the server did:
 * two different Content-Length fields, or a Content-Length with a Transfer-Encoding (RFC 9112 §6.3 says the
 * latter overrides the former and that such a message "ought to be handled as an error": it is the shape of
 * request smuggling, §11.2). The parser (on the socket's `kParser`, dropped from the socket when it closes,
 * but its `headers` kept) holds the raw field names and values it read before refusing. These are undici
 * internals: test/undici-internals.test.ts checks the symbol and the parser's shape.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-6.3
 */
import symbols from 'undici/lib/core/symbols.js';

/** The parser of an HTTP/1 socket, kept by a request so it can be read after the socket dropped it. */
export interface Http1Parser {
  headers?: unknown;
}

/** The socket's HTTP/1 parser, or undefined (HTTP/2, a socket of another kind). */
export function http1ParserOf(socket: object): Http1Parser | undefined {
  const parser = (socket as Record<symbol, Http1Parser | null | undefined>)[symbols.kParser];
  return parser ?? undefined;
}

/**
 * The Content-Length and Transfer-Encoding values the parser had read. llhttp stops at the byte it refuses, so
 * the last field may have no value yet (`undefined`: a second Content-Length, a Transfer-Encoding after a
 * Content-Length) or only its start (`5` of `5x`); `lastIsContentLength` says the parser stopped in that field.
 */
export interface LengthFields {
  contentLength: (string | undefined)[];
  transferEncoding: (string | undefined)[];
  lastIsContentLength: boolean;
}

/** Longest value quoted back: a header value is the server's, not a secret, but it may be long. */
const MAX_VALUE = 40;

export function readLengthFields(parser: Http1Parser | undefined): LengthFields | undefined {
  const raw = parser?.headers;
  if (!Array.isArray(raw)) return undefined;
  const fields: LengthFields = { contentLength: [], transferEncoding: [], lastIsContentLength: false };
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (!Buffer.isBuffer(name)) continue;
    const text = Buffer.isBuffer(value) ? value.toString('latin1').trim().slice(0, MAX_VALUE) : undefined;
    const lower = name.toString('latin1').toLowerCase();
    if (lower === 'content-length') fields.contentLength.push(text);
    else if (lower === 'transfer-encoding') fields.transferEncoding.push(text);
    fields.lastIsContentLength = lower === 'content-length';
  }
  return fields;
}

function list(values: (string | undefined)[]): string {
  return values.map((value) => value ?? '…').join(', ');
}

/** `Content-Length (5)`, or the bare name when no value was read. */
function named(name: string, values: (string | undefined)[]): string {
  return values.every((value) => value === undefined) ? name : `${name} (${list(values)})`;
}

/** What the server did wrong with the message length, or undefined when the fields do not tell. */
export function describeLengthFields(fields: LengthFields | undefined): string | undefined {
  if (fields === undefined) return undefined;
  const { contentLength, transferEncoding } = fields;
  if (contentLength.length > 0 && transferEncoding.length > 0) {
    return `it sent both ${named('Transfer-Encoding', transferEncoding)} and ${named('Content-Length', contentLength)}; RFC 9112 §6.3 makes Transfer-Encoding override Content-Length, but a response with both is refused as a possible request smuggling attempt (RFC 9112 §11.2)`;
  }
  if (contentLength.length > 1) {
    return `it sent Content-Length ${contentLength.length} times (${list(contentLength)}; RFC 9112 §6.3)`;
  }
  if (contentLength.length === 1 && fields.lastIsContentLength) {
    return `its Content-Length is not a number (${contentLength[0] ?? ''}…; RFC 9110 §8.6)`;
  }
  return undefined;
}
