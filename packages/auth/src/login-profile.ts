/**
 * What `sortie auth login | status | logout` do, without any printing: sign a profile in and keep its tokens in the
 * token cache, list the cache, remove entries.
 */

import type { AnyAuthProfile, OAuth2Auth } from '@sortie/core';
import { createAuthError } from './auth-error.js';
import type { BrowserLoginOptions } from './browser-login.js';
import { computeCacheKey } from './cache-key.js';
import type { DeviceAuthorizationPrompt } from './device-flow.js';
import { checkEndpointUrls } from './endpoint-urls.js';
import { type ObtainTokensOptions, obtainTokens } from './obtain-tokens.js';
import { registerProfileSecrets } from './profile-secrets.js';
import { type CachedTokenInfo, TokenCache, type TokenCacheOptions } from './token-cache.js';
import type { TokenSet } from './token-set.js';

export interface LoginOptions extends BrowserLoginOptions {
  /** Where tokens are kept; a key is required (there is no point in a login that keeps nothing). */
  cache: TokenCacheOptions;
  /** Shows the device-flow prompt (device_code profiles). */
  onDeviceAuthorization?(prompt: DeviceAuthorizationPrompt): void;
  /** Waits between device-flow polls; default core's sleep. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface LoginResult {
  profile: string;
  grant: string;
  expiresAt?: number;
  scope?: string;
  hasRefreshToken: boolean;
}

/**
 * Signs `profile` in with its grant (browser for authorization_code / implicit, the device flow for device_code,
 * a direct token request otherwise) and stores the tokens, encrypted, in the token cache.
 */
export async function loginProfile(name: string, profile: AnyAuthProfile, options: LoginOptions): Promise<LoginResult> {
  if (profile.type !== 'oauth2') {
    throw createAuthError(name, 'Nothing to log in', `the profile is of type ${profile.type}, which has no token to obtain`);
  }
  if (options.cache.key === undefined || options.cache.key === '') {
    throw createAuthError(name, 'No token key', 'SORTIE_TOKEN_KEY is not set, so the tokens could not be stored', {
      hint: 'set SORTIE_TOKEN_KEY to a long random secret (the same one when running scenarios)',
    });
  }
  registerProfileSecrets(profile, options.redactor);
  checkEndpointUrls(name, profile, (text) => options.redactor.redact(text));
  const cache = await TokenCache.open(options.cache);
  const tokens = await obtainForLogin(name, profile, options);
  cache.write(computeCacheKey(name, profile), { profile: name, grant: profile.grant }, tokens);
  await cache.save();
  const result: LoginResult = { profile: name, grant: profile.grant, hasRefreshToken: tokens.refreshToken !== undefined };
  if (tokens.expiresAt !== undefined) result.expiresAt = tokens.expiresAt;
  if (tokens.scope !== undefined) result.scope = tokens.scope;
  return result;
}

function obtainForLogin(name: string, profile: OAuth2Auth, options: LoginOptions): Promise<TokenSet> {
  const obtain: ObtainTokensOptions = {
    send: options.send,
    redactor: options.redactor,
    now: options.now ?? Date.now,
    // A person is at the terminal: the device flow always runs (the CLI shows the prompt), a browser may open.
    onDeviceAuthorization: options.onDeviceAuthorization ?? (() => {}),
    browser: options,
  };
  if (options.timeoutMs !== undefined) obtain.timeoutMs = options.timeoutMs;
  if (options.sleep !== undefined) obtain.sleep = options.sleep;
  return obtainTokens(name, profile, obtain);
}

/** Lists the cached entries (profile, grant, expiry, scopes; never a value). Works without a key. */
export async function listCachedTokens(file: string): Promise<CachedTokenInfo[]> {
  return (await TokenCache.open({ file })).list();
}

/** Removes the cached tokens of `profile` (every profile when undefined); returns how many entries went. */
export async function removeCachedTokens(file: string, profile?: string): Promise<number> {
  const cache = await TokenCache.open({ file });
  const removed = cache.remove(profile);
  await cache.save();
  return removed;
}
