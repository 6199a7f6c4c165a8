/**
 * What the HTTP layer receives and returns. Built by the engine from a templated RequestSpec,
 * sent by @sortie/http, read by @sortie/extract.
 */
import type { HeaderList, Timings } from './results.js';

export interface PreparedRequest {
  method: string;
  /** Absolute URL with the query string already applied. */
  url: string;
  headers: HeaderList;
  /** Body bytes (or undefined). Multipart/streams are serialised before sending. */
  body?: Uint8Array | string;
  /** Timeout for the whole exchange, in ms. */
  timeout: number;
  followRedirects: boolean;
  maxRedirects: number;
  /** Offer HTTP/2 for this request (over TLS); overrides the client's setting. */
  http2?: boolean;
  /** Most bytes of the response body, as received and once decompressed (default: the HTTP client's, 100 MiB). */
  maxResponseBytes?: number;
  /**
   * Names of the headers an auth profile put on the request (an API key under any name, a token placed in a
   * header of its own): dropped, like Authorization, when a redirect leaves the origin.
   */
  credentialHeaders?: readonly string[];
  /**
   * Signs a same-origin redirect hop again (set by the auth layer for the schemes whose signature covers the
   * request: AWS SigV4, Hawk, OAuth 1.0a, Digest, Akamai EdgeGrid). The HTTP client calls it with the hop's
   * request, its `credentialHeaders` removed, and sends what it returns; without it the old signature would be
   * replayed to a URL it does not cover.
   */
  resignHop?: (hop: PreparedRequest) => Promise<PreparedRequest> | PreparedRequest;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: HeaderList;
  /** Decoded (decompressed) body. */
  body: Uint8Array;
  /** Body size as received, before decompression. */
  encodedBodySize: number;
  timings: Timings;
  /** Final URL after redirects. */
  url: string;
  redirects: string[];
}

/** Case-insensitive header lookup: every value of the header. */
export function getHeaderValues(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === lower) values.push(v);
  return values;
}

/** First value of a header, case-insensitive. */
export function getHeader(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}
