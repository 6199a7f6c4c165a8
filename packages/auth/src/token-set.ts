/**
 * The tokens the auth-state manager holds for one profile, and when they expire.
 */
import { decodeJwt } from 'jose';

export interface TokenSet {
  accessToken?: string;
  idToken?: string;
  refreshToken?: string;
  /** `token_type` of the response, e.g. "Bearer". */
  tokenType?: string;
  scope?: string;
  /** Epoch ms; undefined when the server said nothing and the token is not a JWT with `exp`. */
  expiresAt?: number;
  /** Epoch ms. */
  obtainedAt: number;
}

/**
 * Works out when a token expires: from `expires_in` (seconds, RFC 6749 §5.1), else from the `exp` claim when the
 * token is a JWT (RFC 7519 §4.1.4).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function computeExpiresAt(expiresIn: unknown, token: string | undefined, now: number): number | undefined {
  const seconds = readNonNegativeNumber(expiresIn);
  if (seconds !== undefined) return now + seconds * 1000;
  if (token === undefined || token.split('.').length !== 3) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A finite non-negative number, given as a JSON number or as a decimal string (`60`, `"60"`, `"60.0"`, `60.5`): RFC 6749
 * §5.1 defines `expires_in` as a number of seconds, and form-encoded or lenient servers send it as a string. Anything
 * else (junk, negative, infinite) is undefined, so the caller falls back to the JWT `exp` claim or no expiry.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function readNonNegativeNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

/**
 * True when the token can be used at `now` without a refresh: it exists and is not within `skewMs` of expiry. The
 * skew is capped at half the token's lifetime, so a token living shorter than the skew is not refreshed at every use.
 */
export function isTokenFresh(tokens: TokenSet, token: string | undefined, now: number, skewMs: number): boolean {
  if (token === undefined) return false;
  if (tokens.expiresAt === undefined) return true;
  const lifetime = tokens.expiresAt - tokens.obtainedAt;
  const skew = lifetime > 0 ? Math.min(skewMs, lifetime / 2) : skewMs;
  return now < tokens.expiresAt - skew;
}
