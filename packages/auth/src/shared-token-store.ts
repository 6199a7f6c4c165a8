/**
 * The second level of the auth-state manager's cache and single-flight: a store that several processes (runner
 * agents) share, so N processes needing one profile make one token request. `@sortie/agent` implements it on Redis
 * (encrypted, with a lock with expiry); this package only defines what the manager needs.
 */
import type { OAuth2Auth } from '@sortie/core';
import type { TokenSet } from './token-set.js';

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
export const SHARED_GRANTS: ReadonlySet<OAuth2Auth['grant']> = new Set(['client_credentials', 'password', 'refresh_token', 'jwt_bearer']);

/** How long the lock around a token request lasts: the request's timeout and a margin for the token response. */
export function sharedLockTtlMs(timeoutMs: number): number {
  return timeoutMs + 5_000;
}
