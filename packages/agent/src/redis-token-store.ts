/**
 * The auth-state manager's cache and single-flight, reaching across agents through Redis: tokens
 * encrypted with AES-256-GCM under a key every agent derives from SORTIE_TOKEN_KEY, and a lock with
 * expiry around each token request so that N agents needing one profile make one request.
 *
 * What Redis holds: `sortie:auth:salt` (the key-derivation salt, not secret), and per cache key
 * (hashed, so no profile detail shows in a key name) `…:token:<hash>` = iv | tag | ciphertext and
 * `…:lock:<hash>` = a random owner id. Nothing in Redis reads as a token without the key.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID, scrypt } from 'node:crypto';
import type { SharedTokenStore } from '@sortie/api';
import type { Redis } from 'ioredis';

/** The tokens of one profile, as `@sortie/auth` keeps them (its `TokenSet`, through the store interface). */
export type SharedTokens = NonNullable<Awaited<ReturnType<SharedTokenStore['read']>>>;

/** Releases a lock; resolves false when the lock had already expired (someone else may hold it). */
export type ReleaseLock = () => Promise<boolean>;

export interface RedisTokenStoreOptions {
  redis: Redis;
  /** SORTIE_TOKEN_KEY: the shared secret the encryption key is derived from. */
  secret: string;
  /** Key prefix (default `sortie:auth`). */
  prefix?: string;
  /** How long a token without expiry stays in Redis, in ms (default one hour). */
  defaultTtlMs?: number;
}

const SCRYPT_OPTIONS = { N: 16_384, r: 8, p: 1 };
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Deletes the lock only if it is still ours (a plain DEL could free a lock another agent took after ours expired). */
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class RedisTokenStore implements SharedTokenStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #defaultTtlMs: number;
  readonly #cryptoKey: Promise<Buffer>;

  constructor(options: RedisTokenStoreOptions) {
    if (options.secret === '') throw new Error('RedisTokenStore needs a non-empty secret (SORTIE_TOKEN_KEY)');
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'sortie:auth';
    this.#defaultTtlMs = options.defaultTtlMs ?? 3_600_000;
    this.#cryptoKey = this.#deriveKey(options.secret);
    // Awaited by every read and write; this only keeps an early Redis failure from being unhandled.
    this.#cryptoKey.catch(() => {});
  }

  /** The tokens stored for `cacheKey`, or undefined (absent, expired from Redis, or encrypted under another key). */
  async read(cacheKey: string): Promise<SharedTokens | undefined> {
    const raw = await this.#redis.getBuffer(this.#key('token', cacheKey));
    if (raw === null || raw.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', await this.#cryptoKey, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(cacheKey));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as SharedTokens;
    } catch {
      return undefined;
    }
  }

  /** Stores `tokens` encrypted, kept in Redis until they expire (or `defaultTtlMs` when they never do). */
  async write(cacheKey: string, tokens: SharedTokens, now = Date.now()): Promise<void> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.#cryptoKey, iv);
    cipher.setAAD(Buffer.from(cacheKey));
    const encrypted = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
    const value = Buffer.concat([iv, cipher.getAuthTag(), encrypted]);
    // A refresh token outlives its access token: keep the entry while either may still be used.
    const ttl = tokens.refreshToken !== undefined || tokens.expiresAt === undefined ? this.#defaultTtlMs : tokens.expiresAt - now;
    if (ttl <= 0) return;
    await this.#redis.set(this.#key('token', cacheKey), value, 'PX', Math.ceil(ttl));
  }

  /** Forgets the tokens of `cacheKey` (a rejected credential). */
  async remove(cacheKey: string): Promise<void> {
    await this.#redis.del(this.#key('token', cacheKey));
  }

  /** Takes the lock of `cacheKey` for `ttlMs` if it is free; returns its release, or undefined when another holds it. */
  async tryLock(cacheKey: string, ttlMs: number): Promise<ReleaseLock | undefined> {
    const key = this.#key('lock', cacheKey);
    const owner = randomUUID();
    const taken = await this.#redis.set(key, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (taken !== 'OK') return undefined;
    return async () => (await this.#redis.eval(RELEASE_SCRIPT, 1, key, owner)) === 1;
  }

  /**
   * Single-flight across processes: returns fresh tokens from Redis when another agent already has
   * them; otherwise takes the lock and runs `obtain` with the stale tokens Redis holds, if any (their
   * refresh token is the newest), storing what it returns. While another agent
   * holds the lock, waits (polling every `pollMs`) for its tokens or for the lock to come free;
   * a lock whose holder died expires after `lockTtlMs` and the next waiter takes over.
   */
  async obtainOnce(
    cacheKey: string,
    isFresh: (tokens: SharedTokens) => boolean,
    obtain: (stored?: SharedTokens) => Promise<SharedTokens>,
    options: { lockTtlMs: number; pollMs?: number; signal?: AbortSignal },
  ): Promise<{ tokens: SharedTokens; obtained: boolean }> {
    const pollMs = options.pollMs ?? 25;
    for (;;) {
      options.signal?.throwIfAborted();
      const cached = await this.read(cacheKey);
      if (cached !== undefined && isFresh(cached)) return { tokens: cached, obtained: false };
      const release = await this.tryLock(cacheKey, options.lockTtlMs);
      if (release !== undefined) {
        try {
          // Another agent may have stored tokens between our read and our lock.
          const again = await this.read(cacheKey);
          if (again !== undefined && isFresh(again)) return { tokens: again, obtained: false };
          const tokens = await obtain(again);
          await this.write(cacheKey, tokens);
          return { tokens, obtained: true };
        } finally {
          await release().catch(() => false);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  #key(kind: 'token' | 'lock', cacheKey: string): string {
    return `${this.#prefix}:${kind}:${createHash('sha256').update(cacheKey).digest('hex')}`;
  }

  /** scrypt of the shared secret with a salt kept in Redis (set once by whichever agent comes first). */
  async #deriveKey(secret: string): Promise<Buffer> {
    const saltKey = `${this.#prefix}:salt`;
    await this.#redis.set(saltKey, randomBytes(16).toString('base64'), 'NX');
    const salt = Buffer.from((await this.#redis.get(saltKey)) ?? '', 'base64');
    return new Promise((resolve, reject) => {
      scrypt(secret, salt, 32, SCRYPT_OPTIONS, (error, key) => (error === null ? resolve(key) : reject(error)));
    });
  }
}
