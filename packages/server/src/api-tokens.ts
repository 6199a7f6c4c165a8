import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Store, TokenRecord, TokenScope } from './store/store.js';

/** The scopes, weakest first: each allows everything the ones before it allow. */
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'submit', 'admin'];

const TOKEN_PREFIX = 'sortie_';

/** A new API token: 256 random bits, base64url, with a prefix that secret scanners can match. */
export function generateApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What the server stores instead of the token: its SHA-256, hex. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a token of scope `held` may do what needs scope `needed`. */
export function scopeAllows(held: TokenScope, needed: TokenScope): boolean {
  return TOKEN_SCOPES.indexOf(held) >= TOKEN_SCOPES.indexOf(needed);
}

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** Creates a token and stores its hash. The returned `token` is the only time it exists in clear. */
export async function createApiToken(
  store: Store,
  options: { name: string; scope: TokenScope; now?: number },
): Promise<{ token: string; record: TokenRecord }> {
  const token = generateApiToken();
  const record: TokenRecord = {
    id: randomUUID(),
    name: options.name,
    scope: options.scope,
    hash: hashApiToken(token),
    createdAt: options.now ?? Date.now(),
  };
  await store.insertToken(record);
  return { token, record };
}

/**
 * The token record behind an `Authorization: Bearer …` header (RFC 6750 §2.1), or undefined when
 * the header is missing, malformed or names no token. The lookup is by hash, so the comparison
 * never touches the stored secret.
 */
export async function authenticateBearer(store: Store, header: string | undefined): Promise<TokenRecord | undefined> {
  const result = await checkBearer(store, header);
  return 'token' in result ? result.token : undefined;
}

/** Why a request's Authorization header does not authenticate it: for the 401's message and its RFC 6750 §3.1 error code. */
export interface BearerRefusal {
  message: string;
  /** RFC 6750 §3.1: absent when no credentials were sent at all. */
  error?: 'invalid_request' | 'invalid_token';
}

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;
/**
 * Schemes named back in the refusal (the IANA HTTP Authentication Scheme Registry, RFC 9110 §16.4.1,
 * and common API-key ones). Any other first word is not repeated: it may be the secret itself.
 */
const KNOWN_SCHEMES = new Map(
  ['Basic', 'Digest', 'HOBA', 'Mutual', 'Negotiate', 'NTLM', 'OAuth', 'PrivateToken', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'vapid']
    .concat(['AWS4-HMAC-SHA256', 'Token', 'ApiKey', 'Api-Key', 'JWT', 'DPoP'])
    .map((scheme) => [scheme.toLowerCase(), scheme]),
);

/**
 * The token record behind an `Authorization` header, or why there is none: no header, another
 * scheme than Bearer (`Basic …`), a malformed token, or one the server does not know.
 */
export async function checkBearer(store: Store, header: string | undefined): Promise<{ token: TokenRecord } | BearerRefusal> {
  if (header === undefined || header.trim() === '') return { message: 'an API token is required (Authorization: Bearer …)' };
  const match = BEARER.exec(header);
  if (match === null) {
    const scheme = KNOWN_SCHEMES.get(/^\s*(\S+)\s/.exec(header)?.[1]?.toLowerCase() ?? '');
    if (scheme !== undefined) {
      return {
        message: `the Authorization scheme is ${scheme}, not Bearer: send the API token as "Authorization: Bearer …"`,
        error: 'invalid_request',
      };
    }
    const message = /^\s*Bearer(\s|$)/i.test(header)
      ? 'the bearer token is malformed: send "Authorization: Bearer <token>"'
      : 'the Authorization header is not "Bearer <token>": send the API token after the word Bearer';
    return { message, error: 'invalid_request' };
  }
  const token = await store.findTokenByHash(hashApiToken(match[1] as string));
  if (token === undefined) return { message: 'the API token is not valid (unknown or deleted)', error: 'invalid_token' };
  return { token };
}

/** How often a token's "last used" time is written at most (per token, per server process). */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Records that a token was used, at most once a minute per token: a write to the run history for
 * every API request was a database write per submitted run. "Last used" is so up to a minute early.
 */
export function createTokenToucher(store: Store, intervalMs = TOUCH_INTERVAL_MS): (token: TokenRecord, now?: number) => void {
  const touched = new Map<string, number>();
  return (token, now = Date.now()) => {
    const last = touched.get(token.id);
    if (last !== undefined && now - last < intervalMs) return;
    // Bounded: a server with very many tokens forgets the times (and so writes again), never grows without end.
    if (touched.size >= 10_000) touched.clear();
    touched.set(token.id, now);
    void store.touchToken(token.id, now).catch(() => {});
  };
}
