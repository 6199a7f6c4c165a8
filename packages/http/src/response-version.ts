/**
 * The HTTP version an HTTP/1.x response was sent with (its status line, `HTTP/1.0` or `HTTP/1.1`).
 *
 * undici does not hand it to a dispatch handler: its parser (llhttp, RFC 9112 §4 status-line) read it and
 * keeps it until the next message, on the socket's `kParser`. While `onResponseStart` runs, the parser
 * has just completed this response's header section, so the version it holds is this response's. These
 * are undici internals: test/undici-internals.test.ts checks the symbol and the parser's shape.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-2.3
 */
import symbols from 'undici/lib/core/symbols.js';

interface Llhttp {
  llhttp_get_http_major(ptr: number): number;
  llhttp_get_http_minor(ptr: number): number;
}

/** `"1.0"`, `"1.1"`…, or undefined when the socket has no HTTP/1 parser (HTTP/2, a socket of another kind). */
export function http1VersionOf(socket: object): string | undefined {
  const parser = (socket as Record<symbol, { llhttp?: Llhttp; ptr?: number | null } | null | undefined>)[symbols.kParser];
  const llhttp = parser?.llhttp;
  const ptr = parser?.ptr;
  if (llhttp === undefined || ptr === undefined || ptr === null) return undefined;
  const major = llhttp.llhttp_get_http_major(ptr);
  const minor = llhttp.llhttp_get_http_minor(ptr);
  return `${major}.${minor}`;
}
