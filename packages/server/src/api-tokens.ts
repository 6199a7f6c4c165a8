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
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i.exec(header);
  if (match === null) return undefined;
  return store.findTokenByHash(hashApiToken(match[1] as string));
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
