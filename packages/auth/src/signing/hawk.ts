/**
 * Hawk request authentication (hapijs/hawk protocol 1.0), client side.
 *
 * Hand-written, not `@hapi/hawk`'s client: the engine signs the exact final bytes it sends, and `@hapi/hawk` is
 * kept as the independent server-side verifier. Tested against the Hawk README example (test/signing/hawk.test.ts)
 * and `@hapi/hawk`'s `authenticate()` (fixtures/test/auth-verifiers-hawk.test.ts).
 * @see https://github.com/mozilla/hawk/blob/main/API.md
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode, getHeader, type PreparedRequest, SortieError } from '@sortie/core';
import { parseChallenges } from './parse-challenges.js';
import type { HawkProfile } from './profiles.js';
import { readBodyBytes, setHeader } from './request-parts.js';

/** Values a test fixes, and the server-time offset learnt from a `WWW-Authenticate: Hawk ts=…`. */
export interface HawkSignOptions {
  /** ts in seconds; default: the profile's, else now plus `localtimeOffsetMs`. */
  timestamp?: string;
  /** Default: the profile's, else 6 random characters. */
  nonce?: string;
  /** Milliseconds to add to the local clock (from `computeHawkOffset()`); default 0. */
  localtimeOffsetMs?: number;
  /** Current time in ms; default `Date.now()`. */
  now?: number;
}

type HawkAlgorithm = 'sha256' | 'sha1';
/** Characters allowed in a header attribute value (hawk's `utils.validateHeaderAttribute`). */
const ATTRIBUTE = /^[ \w!#$%&'()*+,\-./:;<=>?@[\]^`{|}~]*$/;

/**
 * Hashes a payload the Hawk way: `hawk.1.payload\n<content type>\n<payload>\n`.
 * @see https://github.com/mozilla/hawk/blob/main/API.md#payload-validation
 */
export function computeHawkPayloadHash(payload: Uint8Array | string, contentType: string, algorithm: HawkAlgorithm = 'sha256'): string {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return createHash(algorithm).update(`hawk.1.payload\n${mediaType}\n`).update(payload).update('\n').digest('base64');
}

/**
 * Signs `request` with a Hawk `Authorization` header (mac over the normalized request string;
 * payload hash when `includePayloadHash`).
 * @see https://github.com/mozilla/hawk/blob/main/API.md#protocol-example
 */
export function signHawk(request: PreparedRequest, profile: HawkProfile, options: HawkSignOptions = {}): PreparedRequest {
  const algorithm = profile.algorithm ?? 'sha256';
  const now = options.now ?? Date.now();
  const ts = options.timestamp ?? profile.timestamp ?? String(Math.floor((now + (options.localtimeOffsetMs ?? 0)) / 1000));
  const nonce = options.nonce ?? profile.nonce ?? randomBytes(6).toString('base64url').slice(0, 6);
  const url = new URL(request.url);
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  const hash = profile.includePayloadHash
    ? computeHawkPayloadHash(readBodyBytes(request), getHeader(request.headers, 'content-type') ?? '', algorithm)
    : undefined;
  for (const [name, value] of [
    ['ext', profile.ext],
    ['app', profile.app],
    ['dlg', profile.dlg],
  ] as const) {
    if (value !== undefined && !ATTRIBUTE.test(value)) {
      throw new SortieError(ErrorCode.AUTH, 'Hawk attribute', `Hawk ${name} contains a character a header attribute cannot carry`);
    }
  }
  const normalized = [
    'hawk.1.header',
    ts,
    nonce,
    request.method.toUpperCase(),
    `${url.pathname}${url.search}`,
    url.hostname.toLowerCase(),
    port,
    hash ?? '',
    (profile.ext ?? '').replace(/\\/g, '\\\\').replace(/\n/g, '\\n'),
  ];
  if (profile.app !== undefined) normalized.push(profile.app, profile.dlg ?? '');
  const mac = createHmac(algorithm, profile.key)
    .update(`${normalized.join('\n')}\n`)
    .digest('base64');

  const fields = [`id="${profile.id}"`, `ts="${ts}"`, `nonce="${nonce}"`];
  if (hash !== undefined) fields.push(`hash="${hash}"`);
  if (profile.ext !== undefined && profile.ext !== '') fields.push(`ext="${profile.ext}"`);
  fields.push(`mac="${mac}"`);
  if (profile.app !== undefined) fields.push(`app="${profile.app}"`);
  if (profile.app !== undefined && profile.dlg !== undefined) fields.push(`dlg="${profile.dlg}"`);
  return setHeader(request, 'Authorization', `Hawk ${fields.join(', ')}`);
}

/**
 * Reads the server time from a 401's `WWW-Authenticate: Hawk ts="…", tsm="…"`, checks `tsm`
 * (an HMAC of the timestamp with the shared key, so a forged clock is refused) and returns the
 * offset in ms to pass as `localtimeOffsetMs` on the retry. Undefined when the header carries no
 * timestamp; throws an AUTH error when its tsm does not verify.
 * @see https://github.com/mozilla/hawk/blob/main/API.md#replay-protection
 */
export function computeHawkOffset(wwwAuthenticate: string | string[], profile: HawkProfile, now: number = Date.now()): number | undefined {
  const challenge = parseChallenges(wwwAuthenticate).find((c) => c.scheme.toLowerCase() === 'hawk');
  const ts = challenge?.params.ts;
  const tsm = challenge?.params.tsm;
  if (ts === undefined || tsm === undefined || !/^\d+$/.test(ts)) return undefined;
  const expected = createHmac(profile.algorithm ?? 'sha256', profile.key)
    .update(`hawk.1.ts\n${ts}\n`)
    .digest('base64');
  const a = Buffer.from(expected);
  const b = Buffer.from(tsm);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new SortieError(ErrorCode.AUTH, 'Hawk server time', 'the server timestamp in WWW-Authenticate has an invalid tsm', {
      hint: 'The server does not share this Hawk key, or the response was altered.',
    });
  }
  return Number(ts) * 1000 - now;
}
