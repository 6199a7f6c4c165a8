/**
 * JWTs signed per request (Postman's "JWT Bearer" auth) and the RFC 7523 JWT-bearer assertion
 * used by the OAuth 2.0 grant, both signed with `jose`.
 */
import { createPrivateKey, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { ErrorCode, type PreparedRequest, SortieError } from '@sortie/core';
import { type JWTPayload, SignJWT } from 'jose';
import type { JwtProfile } from './profiles.js';
import { appendQuery, encodeRfc3986, setHeader } from './request-parts.js';

/** Values a test fixes instead of the clock. */
export interface JwtSignOptions {
  /** Current time in ms; default `Date.now()`. */
  now?: number;
}

/**
 * Turns the profile's secret (HS*) or PEM private key (RS*, PS*, ES*) into a signing key.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.1
 */
export function importJwtKey(profile: Pick<JwtProfile, 'algorithm' | 'secret' | 'secretBase64' | 'privateKey'>): KeyObject {
  if (profile.algorithm.startsWith('HS')) {
    if (profile.secret === undefined || profile.secret === '') {
      throw new SortieError(ErrorCode.AUTH, 'JWT key', `algorithm ${profile.algorithm} needs a secret`);
    }
    const bytes = profile.secretBase64 ? Buffer.from(profile.secret, 'base64url') : Buffer.from(profile.secret, 'utf8');
    return createSecretKey(bytes);
  }
  return readPrivateKey(profile.privateKey, profile.algorithm);
}

/**
 * Signs a fresh JWT (claims from the profile, `iat` now unless disabled, `exp` when
 * `expiresInSeconds` is set) and puts it in the Authorization header (with the prefix) or the query.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.1
 */
export async function signJwt(request: PreparedRequest, profile: JwtProfile, options: JwtSignOptions = {}): Promise<PreparedRequest> {
  const token = await createJwt(profile, options);
  if (profile.placement === 'query') {
    return { ...request, url: appendQuery(request.url, [`${encodeRfc3986(profile.queryParam ?? 'token')}=${encodeRfc3986(token)}`]) };
  }
  const prefix = profile.headerPrefix ?? 'Bearer';
  return setHeader(request, 'Authorization', prefix === '' ? token : `${prefix} ${token}`);
}

/** Signs the profile's JWT and returns the compact serialisation. */
export async function createJwt(profile: JwtProfile, options: JwtSignOptions = {}): Promise<string> {
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: JWTPayload = { ...(profile.payload ?? {}) };
  if (profile.issuedAt ?? true) claims.iat = nowSeconds;
  if (profile.expiresInSeconds !== undefined) claims.exp = nowSeconds + profile.expiresInSeconds;
  const jwt = new SignJWT(claims).setProtectedHeader({ typ: 'JWT', ...(profile.header ?? {}), alg: profile.algorithm });
  return signWith(jwt, importJwtKey(profile), profile.algorithm);
}

/** Inputs of an RFC 7523 client assertion / authorization grant (a Google service account, for instance). */
export interface JwtBearerAssertionOptions {
  /** `iss`: who signs (a service account e-mail, or the client id). */
  issuer: string;
  /** `sub`: the principal; default the issuer. */
  subject?: string;
  /** `aud`: the token endpoint (or what the server says). */
  audience: string;
  /** `scope` claim (space separated), as Google requires. */
  scope?: string;
  /** PEM private key. */
  privateKey: string;
  /** Default 'RS256'. */
  algorithm?: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';
  /** `kid` header (a service account's private_key_id). */
  keyId?: string;
  /** Lifetime in seconds; default 3600 (Google's maximum). */
  expiresInSeconds?: number;
  /** Further claims. */
  claims?: Record<string, unknown>;
  /** Current time in ms; default `Date.now()`. */
  now?: number;
}

/**
 * Builds the signed assertion of the JWT-bearer grant: iss, sub, aud, iat, exp and a unique jti.
 * Re-signing (not refreshing) gives the next token.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export async function buildJwtBearerAssertion(options: JwtBearerAssertionOptions): Promise<string> {
  const algorithm = options.algorithm ?? 'RS256';
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: JWTPayload = { ...(options.claims ?? {}) };
  if (options.scope !== undefined) claims.scope = options.scope;
  const jwt = new SignJWT(claims)
    .setProtectedHeader(options.keyId === undefined ? { alg: algorithm, typ: 'JWT' } : { alg: algorithm, typ: 'JWT', kid: options.keyId })
    .setIssuer(options.issuer)
    .setSubject(options.subject ?? options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .setJti(randomUUID());
  return signWith(jwt, readPrivateKey(options.privateKey, algorithm), algorithm);
}

/** Signs, converting jose's errors (key type does not fit the algorithm, …) into an AUTH error. */
async function signWith(jwt: SignJWT, key: KeyObject, algorithm: string): Promise<string> {
  try {
    return await jwt.sign(key);
  } catch (error) {
    throw new SortieError(ErrorCode.AUTH, 'JWT signing', `the key cannot sign ${algorithm}`, {
      cause: error,
      hint: 'HS* needs a secret, RS*/PS* an RSA key, ES256/384/512 a P-256/P-384/P-521 key.',
    });
  }
}

function readPrivateKey(pem: string | undefined, algorithm: string): KeyObject {
  if (pem === undefined || pem === '') throw new SortieError(ErrorCode.AUTH, 'JWT key', `algorithm ${algorithm} needs privateKey (PEM)`);
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new SortieError(ErrorCode.AUTH, 'JWT key', 'privateKey is not a usable PEM private key', { cause: error });
  }
}
