/**
 * Akamai EdgeGrid (EG1-HMAC-SHA256) request signing.
 *
 * Hand-written, not the `akamai-edgegrid` package: that package signs inside its own HTTP client, and the
 * engine must sign the exact final bytes it sends. Checked against the package's own `generateAuth()` in
 * fixtures/test/auth-verifiers-akamai-edgegrid.test.ts.
 * @see https://techdocs.akamai.com/developer/docs/authenticate-with-edgegrid
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { ErrorCode, getHeader, type PreparedRequest, SortieError } from '@sortie/core';
import type { AkamaiEdgegridProfile } from './profiles.js';
import { readBodyBytes, setHeader } from './request-parts.js';

/** Values a test fixes instead of the clock and the random source. */
export interface EdgegridSignOptions {
  /** `yyyyMMddTHH:mm:ss+0000`; default: the profile's, else now. */
  timestamp?: string;
  /** Default: the profile's, else a random UUID. */
  nonce?: string;
}

/** Default number of POST body bytes that are hashed. */
export const EDGEGRID_MAX_BODY = 131072;

/**
 * Signs `request` with an `Authorization: EG1-HMAC-SHA256 …` header. A request URL that is a path
 * (starting with `/`) is resolved against `profile.baseUrl` first.
 * @see https://techdocs.akamai.com/developer/docs/authenticate-with-edgegrid#authorization-header
 */
export function signEdgegrid(request: PreparedRequest, profile: AkamaiEdgegridProfile, options: EdgegridSignOptions = {}): PreparedRequest {
  const resolved = resolveUrl(request, profile.baseUrl);
  const url = new URL(resolved.url);
  const timestamp = options.timestamp ?? profile.timestamp ?? formatEdgegridTimestamp(new Date());
  const nonce = options.nonce ?? profile.nonce ?? randomUUID();
  const unsigned = `EG1-HMAC-SHA256 client_token=${profile.clientToken};access_token=${profile.accessToken};timestamp=${timestamp};nonce=${nonce};`;
  const dataToSign = [
    request.method.toUpperCase(),
    url.protocol.replace(':', ''),
    url.host,
    `${url.pathname}${url.search}`,
    canonicalizeHeaders(resolved, profile.headersToSign ?? []),
    hashContent(resolved, profile.maxBody ?? EDGEGRID_MAX_BODY),
    unsigned,
  ].join('\t');
  // The signing key is itself an HMAC of the timestamp with the client secret (base64 text).
  const signingKey = createHmac('sha256', profile.clientSecret).update(timestamp).digest('base64');
  const signature = createHmac('sha256', signingKey).update(dataToSign).digest('base64');
  return setHeader(resolved, 'Authorization', `${unsigned}signature=${signature}`);
}

/** `yyyyMMddTHH:mm:ss+0000` in UTC. */
export function formatEdgegridTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2014-03-21T19:34:21.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 19)}+0000`;
}

function resolveUrl(request: PreparedRequest, baseUrl: string | undefined): PreparedRequest {
  if (/^[a-z][a-z0-9+.-]*:/i.test(request.url)) return request;
  if (baseUrl === undefined) {
    throw new SortieError(
      ErrorCode.AUTH,
      'EdgeGrid base URL',
      'a relative request URL needs the profile baseUrl (the host of the credential)',
    );
  }
  const base = /^[a-z][a-z0-9+.-]*:/i.test(baseUrl) ? baseUrl : `https://${baseUrl}`;
  return { ...request, url: new URL(request.url, base).toString() };
}

/** Named headers, in the configured order: `name:value` (lower-case name, spaces collapsed), tab separated. */
function canonicalizeHeaders(request: PreparedRequest, names: string[]): string {
  const lines: string[] = [];
  for (const name of names) {
    const value = getHeader(request.headers, name);
    if (value !== undefined) lines.push(`${name.toLowerCase()}:${value.trim().replace(/\s+/g, ' ')}`);
  }
  return lines.join('\t');
}

/** Base64 SHA-256 of the first `maxBody` bytes of a POST body; empty for other methods. */
function hashContent(request: PreparedRequest, maxBody: number): string {
  if (request.method.toUpperCase() !== 'POST') return '';
  const body = readBodyBytes(request);
  if (body.length === 0) return '';
  return createHash('sha256').update(body.subarray(0, maxBody)).digest('base64');
}
