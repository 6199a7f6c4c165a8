/**
 * The second level of the auth-state manager's cache and single-flight: a store that several processes (runner
 * agents) share, so N processes needing one profile make one token request. `@sortie/agent` implements it on Redis
 * (encrypted, with a lock with expiry); this package only defines what the manager needs.
 */
import type { OAuth2Auth } from '@sortie/core';
import { interrupted } from './send-auth-request.js';
import { isTokenFresh, type TokenSet } from './token-set.js';

export interface SharedTokenStore {
  /**
   * Single-flight across processes: resolves with fresh tokens another process stored under `cacheKey`
   * (`obtained: false`); otherwise takes the key's lock (waiting while another holds it), runs `obtain` with the
   * tokens stored under the key if any (a refresh token to use), stores what it returns, and releases the lock.
   * A lock whose holder died expires after `lockTtlMs`.
   */
  obtainOnce(
    cacheKey: string,
    isFresh: (tokens: TokenSet) => boolean,
    obtain: (stored?: TokenSet) => Promise<TokenSet>,
    options: { lockTtlMs: number; signal?: AbortSignal },
  ): Promise<{ tokens: TokenSet; obtained: boolean }>;
  /** The tokens stored under `cacheKey`, if any. */
  read(cacheKey: string): Promise<TokenSet | undefined>;
  /** Forgets the tokens of `cacheKey` (a server rejected them). */
  remove(cacheKey: string): Promise<void>;
}

/**
 * Grants whose tokens are shared: they run without a person, so any process may obtain them. Tokens of a person's
 * sign-in (authorization code, implicit, device code) stay in the process (and the token cache file).
 */
export const SHARED_GRANTS: ReadonlySet<OAuth2Auth['grant']> = new Set([
  'client_credentials',
  'password',
  'refresh_token',
  'jwt_bearer',
  'token_exchange',
]);

/** How long the lock around a token request lasts: the request's timeout and a margin for the token response. */
export function sharedLockTtlMs(timeoutMs: number): number {
  return timeoutMs + 5_000;
}

/** What a renewal ended with: tokens requested here (obtained or refreshed), or taken from the shared store. */
export interface Renewed {
  tokens: TokenSet;
  action: 'obtained' | 'refreshed' | 'reused';
}

/** What {@link renewShared} needs of the auth-state manager for one profile. */
export interface SharedRenewal {
  /** The token of a set the profile sends. */
  selectToken(tokens: TokenSet): string | undefined;
  /** The tokens this process holds, and whether a server rejected them. */
  held: { tokens: TokenSet; rejected: boolean } | undefined;
  skewMs: number;
  lockTtlMs: number;
  now(): number;
  /** One token request of this process (a refresh with `previous`'s refresh token, else the grant). */
  request(previous: TokenSet | undefined): Promise<Renewed>;
  /** The store failed (Redis unreachable): this process requests its own token. */
  onUnavailable(reason: string): void;
  signal?: AbortSignal;
}

/**
 * The shared level of a renewal: fresh tokens another process stored are taken as they are (`reused`); otherwise
 * the token request runs under the store's lock, so processes asking at once make one request, and its tokens are
 * stored for the others. A token a server rejected is never taken again, and leaves the store. When the store
 * itself fails, this process requests its own token.
 */
export async function renewShared(shared: SharedTokenStore, key: string, renewal: SharedRenewal): Promise<Renewed> {
  const { held, selectToken } = renewal;
  const rejectedToken = held?.rejected === true ? selectToken(held.tokens) : undefined;
  if (rejectedToken !== undefined) await forgetRejected(shared, key, selectToken, rejectedToken);
  const isFresh = (tokens: TokenSet) => {
    const token = selectToken(tokens);
    return token !== rejectedToken && isTokenFresh(tokens, token, renewal.now(), renewal.skewMs);
  };
  let requested: Renewed | undefined;
  let requestFailed = false;
  const obtain = async (stored?: TokenSet) => {
    try {
      // A stored (stale) set carries the newest refresh token: another process may have rotated it.
      requested = await renewal.request(stored ?? held?.tokens);
    } catch (error) {
      requestFailed = true;
      throw error;
    }
    return requested.tokens;
  };
  const options: { lockTtlMs: number; signal?: AbortSignal } = { lockTtlMs: renewal.lockTtlMs };
  if (renewal.signal !== undefined) options.signal = renewal.signal;
  try {
    const result = await shared.obtainOnce(key, isFresh, obtain, options);
    return result.obtained && requested !== undefined ? requested : { tokens: result.tokens, action: 'reused' };
  } catch (error) {
    if (requestFailed) throw error;
    // Interrupted while waiting for another process's token request: what a step waiting for its own would see.
    if (renewal.signal?.aborted === true) throw interrupted();
    // The request succeeded and only storing its tokens failed: they are good.
    if (requested !== undefined) return requested;
    renewal.onUnavailable(error instanceof Error ? error.message : String(error));
    return renewal.request(held?.tokens);
  }
}

/** Removes the shared entry of `key` when it still holds the rejected token (another process may have renewed it). */
async function forgetRejected(
  shared: SharedTokenStore,
  key: string,
  selectToken: (tokens: TokenSet) => string | undefined,
  rejectedToken: string,
): Promise<void> {
  try {
    const stored = await shared.read(key);
    if (stored !== undefined && selectToken(stored) === rejectedToken) await shared.remove(key);
  } catch {
    // The store is unreachable: renewShared falls back to a request of this process's own.
  }
}
