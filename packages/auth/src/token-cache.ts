/**
 * The token cache across runs: one JSON file, mode 0600, whose token values are encrypted with AES-256-GCM under a
 * key derived (scrypt) from SORTIE_TOKEN_KEY. Metadata (profile, grant, expiry, scopes) stays readable so
 * `sortie auth status` works without the key; values never are. Without a key nothing is written.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { chmod, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, fileReadReason, makeDirectory, readRegularFile, SortieError } from '@sortie/core';
import type { TokenSet } from './token-set.js';

export interface TokenCacheOptions {
  /** Path of the cache file. */
  file: string;
  /** The secret from SORTIE_TOKEN_KEY; without it the cache can be listed and pruned but not read or written. */
  key?: string;
}

/** What `sortie auth status` shows about a cached entry: never a value. */
export interface CachedTokenInfo {
  key: string;
  profile: string;
  grant: string;
  obtainedAt: number;
  expiresAt?: number;
  scope?: string;
  hasRefreshToken: boolean;
}

interface CacheEntry extends CachedTokenInfo {
  /** base64 of iv (12) | tag (16) | ciphertext of the JSON token values. */
  data: string;
}

interface CacheFile {
  version: 1;
  /** base64 salt of the key derivation. */
  salt: string;
  entries: Record<string, CacheEntry>;
}

const SCRYPT_OPTIONS = { N: 16_384, r: 8, p: 1 };

function deriveKey(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, 32, SCRYPT_OPTIONS, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

function isCacheFile(value: unknown): value is CacheFile {
  if (value === null || typeof value !== 'object') return false;
  const file = value as Partial<CacheFile>;
  return file.version === 1 && typeof file.salt === 'string' && file.entries !== null && typeof file.entries === 'object';
}

export class TokenCache {
  readonly file: string;
  readonly #cryptoKey: Buffer | undefined;
  readonly #content: CacheFile;
  /** Bumped by every change; the file is up to date when it equals #savedVersion. */
  #version = 0;
  #savedVersion = 0;
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string, content: CacheFile, cryptoKey: Buffer | undefined) {
    this.file = file;
    this.#content = content;
    this.#cryptoKey = cryptoKey;
  }

  /** Opens (or starts) the cache file. A file that is not a token cache is an AUTH error; a missing one is empty. */
  static async open(options: TokenCacheOptions): Promise<TokenCache> {
    let content: CacheFile = { version: 1, salt: randomBytes(16).toString('base64'), entries: {} };
    let text: string | undefined;
    try {
      text = await readRegularFile(options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const reason = fileReadReason(error);
        throw new SortieError(ErrorCode.AUTH, 'Token cache unreadable', `cannot read the token cache ${options.file}: ${reason}`, {
          cause: error,
        });
      }
    }
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (!isCacheFile(parsed)) {
        throw new SortieError(ErrorCode.AUTH, 'Invalid token cache', `${options.file} is not a Sortie token cache`);
      }
      content = parsed;
    }
    const key =
      options.key === undefined || options.key === '' ? undefined : await deriveKey(options.key, Buffer.from(content.salt, 'base64'));
    return new TokenCache(options.file, content, key);
  }

  /** True when a key is set, so tokens can be read and written. */
  get hasKey(): boolean {
    return this.#cryptoKey !== undefined;
  }

  /** Entries, without values. */
  list(): CachedTokenInfo[] {
    return Object.values(this.#content.entries).map(({ data: _data, ...info }) => info);
  }

  /** Decrypts the tokens of `key`; undefined when absent, without a key, or encrypted under another key. */
  read(key: string): TokenSet | undefined {
    const entry = this.#content.entries[key];
    if (entry === undefined || this.#cryptoKey === undefined) return undefined;
    try {
      const raw = Buffer.from(entry.data, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.#cryptoKey, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(key));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const values = JSON.parse(plain) as Pick<TokenSet, 'accessToken' | 'idToken' | 'refreshToken' | 'tokenType'>;
      const tokens: TokenSet = { ...values, obtainedAt: entry.obtainedAt };
      if (entry.expiresAt !== undefined) tokens.expiresAt = entry.expiresAt;
      if (entry.scope !== undefined) tokens.scope = entry.scope;
      return tokens;
    } catch {
      return undefined;
    }
  }

  /** Encrypts and stores the tokens of `key`. Returns false (nothing stored) without a key. */
  write(key: string, meta: { profile: string; grant: string }, tokens: TokenSet): boolean {
    if (this.#cryptoKey === undefined) return false;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#cryptoKey, iv);
    cipher.setAAD(Buffer.from(key));
    const values = {
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      refreshToken: tokens.refreshToken,
      tokenType: tokens.tokenType,
    };
    const encrypted = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    const entry: CacheEntry = {
      key,
      profile: meta.profile,
      grant: meta.grant,
      obtainedAt: tokens.obtainedAt,
      hasRefreshToken: tokens.refreshToken !== undefined,
      data: Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64'),
    };
    if (tokens.expiresAt !== undefined) entry.expiresAt = tokens.expiresAt;
    if (tokens.scope !== undefined) entry.scope = tokens.scope;
    this.#content.entries[key] = entry;
    this.#version++;
    return true;
  }

  /** Removes every entry of `profile` (all entries when undefined); returns how many were removed. */
  remove(profile?: string): number {
    let removed = 0;
    for (const [key, entry] of Object.entries(this.#content.entries)) {
      if (profile === undefined || entry.profile === profile) {
        delete this.#content.entries[key];
        removed++;
      }
    }
    if (removed > 0) this.#version++;
    return removed;
  }

  /** Writes the file (mode 0600, replaced atomically) when something changed. Saves run one after another. */
  save(): Promise<void> {
    this.#saving = this.#saving.catch(() => {}).then(() => this.#write());
    return this.#saving;
  }

  async #write(): Promise<void> {
    const version = this.#version;
    if (version === this.#savedVersion) return;
    await makeDirectory(dirname(this.file));
    const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.#content, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.file);
    this.#savedVersion = version;
  }
}
