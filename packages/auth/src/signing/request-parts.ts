/**
 * Small helpers shared by the signers: read the final request's bytes and return a copy with a
 * header replaced or query parameters appended, never touching the bytes that were signed.
 */
import { getHeader, type PreparedRequest } from '@sortie/core';

/** The request body as bytes (an empty buffer when there is none). */
export function readBodyBytes(request: PreparedRequest): Buffer {
  const { body } = request;
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Returns a copy of `request` whose header `name` (case-insensitive) is replaced by `value`. */
export function setHeader(request: PreparedRequest, name: string, value: string): PreparedRequest {
  const lower = name.toLowerCase();
  const headers = request.headers.filter(([n]) => n.toLowerCase() !== lower);
  headers.push([name, value]);
  return { ...request, headers };
}

/** The media type of the request without parameters, lower case (`''` when absent). */
export function readMediaType(request: PreparedRequest): string {
  const value = getHeader(request.headers, 'content-type') ?? '';
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Appends already-encoded `name=value` pairs to the query of `url` as a string operation, so the
 * existing query keeps its exact bytes (and order) and a fragment stays last.
 */
export function appendQuery(url: string, encodedPairs: string[]): string {
  if (encodedPairs.length === 0) return url;
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${encodedPairs.join('&')}${fragment}`;
}

/** Percent-encodes everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Splits a raw query string (without `?`) into decoded pairs using form rules (`+` is a space);
 * a name without `=` has an empty value.
 */
export function parseFormPairs(raw: string): Array<[string, string]> {
  return [...new URLSearchParams(raw)];
}

/** The raw query of `url` without the leading `?` and without a fragment. */
export function readRawQuery(url: string): string {
  const noFragment = url.split('#')[0] ?? '';
  const at = noFragment.indexOf('?');
  return at === -1 ? '' : noFragment.slice(at + 1);
}
