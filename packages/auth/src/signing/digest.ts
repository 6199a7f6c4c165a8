/**
 * HTTP Digest access authentication, client side (RFC 7616, compatible with RFC 2617 and 2069).
 *
 * Hand-written: the digest client libraries bring their own HTTP clients, and the answer must be computed over
 * the engine's final request and the 401 it answers. Tested against the RFC 7616 §3.9.1 vectors
 * (test/signing/digest.test.ts) and a server written from the RFC (fixtures/src/auth-verifiers/digest-verifier.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode, getHeaderValues, type HeaderList, type PreparedRequest, SortieError } from '@sortie/core';
import { type AuthChallenge, parseChallenges } from './parse-challenges.js';
import type { DigestProfile } from './profiles.js';
import { readBodyBytes, setHeader } from './request-parts.js';

/** The credentials a digest response is computed from. */
export interface DigestCredentials {
  username: string;
  password: string;
  /** Preferred qop when the challenge offers both; default 'auth'. */
  qop?: 'auth' | 'auth-int';
  /** Fixed client nonce (vectors); default 16 random bytes, hex. */
  clientNonce?: string;
}

/**
 * What a digest client remembers between requests to one protection space: the last challenge
 * and the nonce count sent with its nonce. Create one per profile and origin with
 * `createDigestSession()`; it is mutated by `createDigestResponse()`.
 */
export interface DigestSession {
  challenge?: AuthChallenge;
  /** Number of requests sent with `challenge.params.nonce`. */
  nonceCount: number;
}

/** A new, empty digest session. */
export function createDigestSession(): DigestSession {
  return { nonceCount: 0 };
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };
/** Client preference, strongest first (RFC 7616 §3.7: use the first supported one the server offers). */
const PREFERENCE = ['SHA-512-256', 'SHA-256', 'MD5'];

/**
 * Picks the Digest challenge to answer among the `WWW-Authenticate` values: the one whose
 * algorithm the profile forces, else the strongest supported one. Undefined when none.
 * @see https://www.rfc-editor.org/rfc/rfc7616#section-3.7
 */
export function selectDigestChallenge(headers: HeaderList, algorithm?: string): AuthChallenge | undefined {
  const digests = parseChallenges(getHeaderValues(headers, 'www-authenticate')).filter(
    (c) => c.scheme.toLowerCase() === 'digest' && HASHES[baseAlgorithm(c)] !== undefined,
  );
  if (algorithm !== undefined) return digests.find((c) => (c.params.algorithm ?? 'MD5').toUpperCase() === algorithm.toUpperCase());
  const rank = (c: AuthChallenge) => PREFERENCE.indexOf(baseAlgorithm(c));
  return digests.sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * True when a 401 carries a Digest challenge with `stale=true`: the credentials were right but the
 * nonce expired, so the client answers the new challenge without asking for credentials again.
 * @see https://www.rfc-editor.org/rfc/rfc7616#section-3.3
 */
export function isStaleChallenge(challenge: AuthChallenge): boolean {
  return (challenge.params.stale ?? '').toLowerCase() === 'true';
}

/**
 * Computes the `Authorization` header value answering `challenge` for `request`. Increments the
 * session's nonce count (restarting at 1 for a new nonce) and remembers the challenge.
 * @see https://www.rfc-editor.org/rfc/rfc7616#section-3.4
 */
export function createDigestResponse(
  challenge: AuthChallenge,
  request: PreparedRequest,
  credentials: DigestCredentials,
  session: DigestSession,
): string {
  const { params } = challenge;
  const realm = params.realm ?? '';
  const nonce = params.nonce;
  if (nonce === undefined) throw new SortieError(ErrorCode.AUTH, 'Digest challenge', 'the Digest challenge has no nonce');
  const algorithm = params.algorithm ?? 'MD5';
  const hashName = HASHES[baseAlgorithm(challenge)];
  if (hashName === undefined) {
    throw new SortieError(ErrorCode.AUTH, 'Digest challenge', `unsupported Digest algorithm "${algorithm}"`);
  }
  const hash = (text: string | Buffer) => createHash(hashName).update(text).digest('hex');

  if (session.challenge?.params.nonce !== nonce) session.nonceCount = 0;
  session.challenge = challenge;
  session.nonceCount += 1;

  const qop = chooseQop(params.qop, credentials.qop);
  const nc = session.nonceCount.toString(16).padStart(8, '0');
  const cnonce = credentials.clientNonce ?? randomBytes(16).toString('hex');
  const url = new URL(request.url);
  const uri = `${url.pathname}${url.search}`;

  // §3.4.2: A1, with the -sess variant hashing in both nonces.
  let ha1 = hash(`${credentials.username}:${realm}:${credentials.password}`);
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
  // §3.4.3: A2, with the body hash for auth-int.
  const a2 = qop === 'auth-int' ? `${request.method}:${uri}:${hash(readBodyBytes(request))}` : `${request.method}:${uri}`;
  const ha2 = hash(a2);
  // §3.4.1: the response (RFC 2069 form when the server offers no qop).
  const response = qop === undefined ? hash(`${ha1}:${nonce}:${ha2}`) : hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);

  // §3.4.4: a hashed user name when the server asks for it.
  const userhash = (params.userhash ?? '').toLowerCase() === 'true';
  const fields = [usernameField(credentials.username, userhash ? hash(`${credentials.username}:${realm}`) : undefined)];
  fields.push(`realm=${quote(realm)}`, `nonce=${quote(nonce)}`, `uri=${quote(uri)}`);
  if (params.algorithm !== undefined) fields.push(`algorithm=${algorithm}`);
  fields.push(`response=${quote(response)}`);
  if (params.opaque !== undefined) fields.push(`opaque=${quote(params.opaque)}`);
  if (qop !== undefined) fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  if (userhash) fields.push('userhash=true');
  return `Digest ${fields.join(', ')}`;
}

/**
 * Signs a request with the session's last challenge (the nonce count goes up), or returns it
 * unchanged when no challenge was seen yet: the engine then sends it, reads the 401 and calls
 * `answerDigestChallenge()`.
 */
export function signDigest(request: PreparedRequest, profile: DigestProfile, session: DigestSession): PreparedRequest {
  if (session.challenge === undefined) return request;
  return setHeader(request, 'Authorization', createDigestResponse(session.challenge, request, credentialsOf(profile), session));
}

/**
 * Answers a 401: picks the challenge from `responseHeaders` and returns the request to resend, or
 * undefined when the server sent no usable Digest challenge, or when it rejected a response to
 * the same nonce without `stale=true` (wrong credentials: resending would only repeat the 401).
 */
export function answerDigestChallenge(
  request: PreparedRequest,
  responseHeaders: HeaderList,
  profile: DigestProfile,
  session: DigestSession,
): PreparedRequest | undefined {
  const challenge = selectDigestChallenge(responseHeaders, profile.algorithm);
  if (challenge === undefined) return undefined;
  const sameNonce = session.challenge?.params.nonce === challenge.params.nonce;
  if (sameNonce && session.nonceCount > 0 && !isStaleChallenge(challenge)) return undefined;
  return setHeader(request, 'Authorization', createDigestResponse(challenge, request, credentialsOf(profile), session));
}

function credentialsOf(profile: DigestProfile): DigestCredentials {
  const credentials: DigestCredentials = { username: profile.username, password: profile.password };
  if (profile.qop !== undefined) credentials.qop = profile.qop;
  if (profile.clientNonce !== undefined) credentials.clientNonce = profile.clientNonce;
  return credentials;
}

function baseAlgorithm(challenge: AuthChallenge): string {
  return (challenge.params.algorithm ?? 'MD5').toUpperCase().replace(/-SESS$/, '');
}

function chooseQop(offered: string | undefined, preferred: 'auth' | 'auth-int' | undefined): 'auth' | 'auth-int' | undefined {
  // An empty qop (`qop=""`, sent by http-auth without qop) offers nothing: RFC 2069 form, as curl answers it.
  // @see https://www.rfc-editor.org/rfc/rfc7616#section-3.3 (qop is optional in the challenge)
  const options = (offered ?? '')
    .split(',')
    .map((q) => q.trim().toLowerCase())
    .filter((q) => q !== '');
  if (options.length === 0) return undefined;
  if (preferred !== undefined && options.includes(preferred)) return preferred;
  if (options.includes('auth')) return 'auth';
  if (options.includes('auth-int')) return 'auth-int';
  throw new SortieError(ErrorCode.AUTH, 'Digest challenge', `the Digest challenge offers no supported qop ("${offered}")`);
}

/**
 * The `username` field: the hashed name when the server asked for `userhash`, else the name as a quoted string, or,
 * for a name a quoted string cannot carry (outside printable ASCII: `Jäsøn`), `username*` in the RFC 8187 encoding
 * of its UTF-8 bytes (`username*=UTF-8''J%C3%A4s%C3%B8n`).
 * @see https://www.rfc-editor.org/rfc/rfc7616#section-3.4 (username*, and §3.4.4 userhash)
 * @see https://www.rfc-editor.org/rfc/rfc8187#section-3.2 (ext-value)
 */
function usernameField(username: string, hashed: string | undefined): string {
  if (hashed !== undefined) return `username=${quote(hashed)}`;
  if (/^[\x20-\x7e\t]*$/.test(username)) return `username=${quote(username)}`;
  const encoded = [...Buffer.from(username, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      // RFC 8187 §3.2.1 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
      return /^[A-Za-z0-9!#$&+\-.^_`|~]$/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return `username*=UTF-8''${encoded}`;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
