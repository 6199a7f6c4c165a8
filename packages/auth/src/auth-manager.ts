/**
 * The auth-state manager: one per run, shared by every step and parallel branch. It attaches credentials, obtains
 * tokens, refreshes them before they expire (or when a response says they were rejected), with one token request
 * per profile however many steps ask at once, and persists them in the token cache when asked to.
 */

import type { AuthProfile, CustomTokenAuth, HttpResponse, OAuth2Auth, PreparedRequest, Redactor, TokenEvent } from '@sortie/core';
import { decodeBodyText, ErrorCode, getHeader, isSortieError } from '@sortie/core';
import { execPattern } from '@sortie/extract';
import { attachStaticCredential, attachToken } from './attach-credential.js';
import { createAuthError, createLoginRequiredError, OAuthError } from './auth-error.js';
import { computeCacheKey } from './cache-key.js';
import {
  attachCustomToken,
  buildCustomTokenRequest,
  computeCustomTokenKey,
  processCustomTokenResponse,
  registerCustomTokenSecrets,
} from './custom-token.js';
import type { DeviceAuthorizationPrompt } from './device-flow.js';
import { checkEndpointUrls } from './endpoint-urls.js';
import { exchangeToken } from './exchange-token.js';
import { type ObtainTokensOptions, obtainTokens, UNATTENDED_GRANTS } from './obtain-tokens.js';
import { registerProfileSecrets, registerTokenSecrets } from './profile-secrets.js';
import { type SendRequest, sendAuthRequest, sendUntilAborted } from './send-auth-request.js';
import { type Renewed, renewShared, SHARED_GRANTS, type SharedTokenStore, sharedLockTtlMs } from './shared-token-store.js';
import { SingleFlight } from './single-flight.js';
import { checkStaticCredential } from './static-credential-check.js';
import { TokenCache } from './token-cache.js';
import { DEFAULT_TOKEN_TIMEOUT_MS, refreshTokenGrantRequest, type TokenRequestOptions } from './token-request.js';
import { isTokenFresh, type TokenSet } from './token-set.js';

export interface AuthManagerOptions {
  /** Sends a request through Sortie's HTTP stack (the engine passes its client's send). */
  send: SendRequest;
  /** Every secret the manager touches is registered here. */
  redactor: Redactor;
  /** Token activity for the reports: obtained / refreshed / reused / failed, never a value. */
  emit(event: TokenEvent): void;
  /** Clock in epoch ms; default Date.now. */
  now?(): number;
  /** Waits between device-flow polls; default core's sleep. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** The run's cancellation: a pending token request or device flow ends at once when it aborts. */
  signal?: AbortSignal;
  /**
   * Persist tokens across runs. A profile is cached when `cache: true`, or for every profile when `all` is set
   * (the `--token-cache` flag) unless the profile says `cache: false`. `key` is SORTIE_TOKEN_KEY.
   */
  tokenCache?: { file: string; key?: string; all?: boolean };
  /** Timeout of a token request in ms when apply() gives none (default 30000). */
  timeoutMs?: number;
  /** Shows a device-flow prompt; without it a device_code profile needs `sortie auth login`. */
  onDeviceAuthorization?(prompt: DeviceAuthorizationPrompt): void;
  /**
   * Tokens shared with other processes (runner agents): a second level of the cache and single-flight for the
   * grants that run unattended. Without it, tokens stay in this run (and the token cache file).
   */
  sharedTokens?: SharedTokenStore;
  /** Something the user should know that is not an error (e.g. the token cache is disabled and why). */
  onWarning?(message: string): void;
}

interface TokenState {
  tokens: TokenSet;
  /** Set when a response rejected the token: the next apply() renews it. */
  rejected: boolean;
}

/** Which token of a set the profile sends. */
function selectToken(profile: OAuth2Auth, tokens: TokenSet): string | undefined {
  return profile.tokenType === 'id_token' ? tokens.idToken : tokens.accessToken;
}

export class AuthManager {
  readonly #options: AuthManagerOptions;
  readonly #send: SendRequest;
  readonly #now: () => number;
  readonly #states = new Map<string, TokenState>();
  readonly #flights = new SingleFlight<TokenSet>();
  readonly #patterns = new Map<string, RegExp>();
  readonly #warnings: string[] = [];
  #cache: Promise<TokenCache | undefined> | undefined;

  constructor(options: AuthManagerOptions) {
    this.#options = options;
    this.#send = sendUntilAborted(options.send, options.signal);
    this.#now = options.now ?? Date.now;
  }

  /** Warnings given so far (also passed to `onWarning`). */
  get warnings(): readonly string[] {
    return this.#warnings;
  }

  /**
   * Returns the request with credentials attached (header/query), obtaining or refreshing a token when needed.
   * `name` identifies the profile (for cache keys/events); `profile` has its templates already rendered.
   * `options.timeoutMs` bounds each token request this call makes (default the manager's `timeoutMs`).
   */
  async apply(name: string, profile: AuthProfile, request: PreparedRequest, options: TokenRequestOptions = {}): Promise<PreparedRequest> {
    registerProfileSecrets(profile, this.#options.redactor);
    checkEndpointUrls(name, profile, (text) => this.#options.redactor.redact(text));
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    const requestOptions: TokenRequestOptions = timeoutMs === undefined ? {} : { timeoutMs };
    if (profile.type === 'customToken') return this.#applyCustomToken(name, profile, request, requestOptions);
    // RFC 7617 §2: "a user-id containing a colon character is invalid"; the receiver splits at the first colon.
    if (profile.type === 'basic' && profile.username.includes(':')) {
      throw createAuthError(
        name,
        'Invalid basic credentials',
        'the username contains ":", which Basic authentication cannot send (RFC 7617 §2): the server would take the text before it as the username and the rest as part of the password',
      );
    }
    if (profile.type !== 'oauth2') {
      checkStaticCredential(name, profile);
      return attachStaticCredential(profile, request);
    }
    const tokens = await this.#getTokens(name, profile, requestOptions);
    const token = selectToken(profile, tokens);
    if (token === undefined) {
      throw createAuthError(name, 'No token', `the authorization server returned no ${profile.tokenType}`, {
        code: ErrorCode.AUTH_NO_TOKEN,
      });
    }
    return attachToken(profile, token, profile.tokenType === 'id_token' ? 'Bearer' : tokens.tokenType, request);
  }

  /**
   * True when the response says the credential was rejected (status list / body pattern); the token is then
   * invalidated so the next apply() refreshes. The engine resends once; a second rejection is an auth error.
   * Static schemes (bearer, basic, apiKey) are never "rejected": resending the same credential cannot help.
   * With `request`, a token is only invalidated if that request carried it (a parallel step may already have
   * renewed it).
   */
  isRejected(name: string, profile: AuthProfile, response: HttpResponse, request?: PreparedRequest): boolean {
    if (profile.type !== 'oauth2' && profile.type !== 'customToken') return false;
    let rejected = profile.expiredStatuses.includes(response.status);
    if (!rejected && profile.expiredBodyPattern !== undefined) {
      // The body as assertions read it: in the charset its Content-Type names (a Latin-1 "Jeton expiré").
      const text = decodeBodyText(response.body, getHeader(response.headers, 'content-type'));
      rejected = execPattern(this.#pattern(profile.expiredBodyPattern), text) !== null;
    }
    if (!rejected) return false;
    const key = profile.type === 'oauth2' ? computeCacheKey(name, profile) : computeCustomTokenKey(name, profile);
    const state = this.#states.get(key);
    if (state !== undefined) {
      const token = profile.type === 'oauth2' ? selectToken(profile, state.tokens) : state.tokens.accessToken;
      const carried = request === undefined || token === undefined || requestCarries(request, token);
      if (carried) state.rejected = true;
    }
    return true;
  }

  /**
   * A customToken profile: the cached token while fresh, else one token request (single-flight) whose response
   * gives the token and its expiry. There is no refresh token: renewing means asking again.
   */
  async #applyCustomToken(
    name: string,
    profile: CustomTokenAuth,
    request: PreparedRequest,
    requestOptions: TokenRequestOptions,
  ): Promise<PreparedRequest> {
    registerCustomTokenSecrets(profile, this.#options.redactor);
    const key = computeCustomTokenKey(name, profile);
    const state = this.#states.get(key);
    let tokens: TokenSet;
    if (
      state !== undefined &&
      !state.rejected &&
      isTokenFresh(state.tokens, state.tokens.accessToken, this.#now(), profile.refreshSkewSeconds * 1000)
    ) {
      this.#emit({ action: 'reused', profile: name, grant: 'customToken', ...expiry(state.tokens) });
      tokens = state.tokens;
    } else {
      tokens = await this.#flights.run(key, () => this.#requestCustomToken(key, name, profile, requestOptions));
    }
    return attachCustomToken(profile, tokens.accessToken!, request);
  }

  async #requestCustomToken(key: string, name: string, profile: CustomTokenAuth, requestOptions: TokenRequestOptions): Promise<TokenSet> {
    const started = this.#now();
    const action = this.#states.has(key) ? 'refreshed' : 'obtained';
    try {
      const response = await sendAuthRequest(this.#send, buildCustomTokenRequest(profile, requestOptions), name, 'token request');
      const tokens = processCustomTokenResponse(response, profile, { profile: name, now: this.#now() });
      registerTokenSecrets(tokens, this.#options.redactor);
      this.#states.set(key, { tokens, rejected: false });
      this.#emit({ action, profile: name, grant: 'customToken', durationMs: this.#now() - started, ...expiry(tokens) });
      return tokens;
    } catch (error) {
      const redacted = this.#redactError(error, name);
      this.#emit({ action: 'failed', profile: name, grant: 'customToken', durationMs: this.#now() - started, message: redacted.message });
      throw redacted;
    }
  }

  /** Persists the token cache when enabled (renewed tokens are also saved as soon as they arrive). */
  async close(): Promise<void> {
    const cache = await this.#cache;
    await cache?.save();
  }

  async #getTokens(name: string, profile: OAuth2Auth, requestOptions: TokenRequestOptions): Promise<TokenSet> {
    const key = computeCacheKey(name, profile);
    let state = this.#states.get(key);
    if (state === undefined && this.#isCached(profile)) {
      const cached = (await this.#openCache())?.read(key);
      state = this.#states.get(key);
      if (state === undefined && cached !== undefined) {
        registerTokenSecrets(cached, this.#options.redactor);
        state = { tokens: cached, rejected: false };
        this.#states.set(key, state);
      }
    }
    const skewMs = profile.refreshSkewSeconds * 1000;
    if (state !== undefined && !state.rejected && isTokenFresh(state.tokens, selectToken(profile, state.tokens), this.#now(), skewMs)) {
      this.#emit({ action: 'reused', profile: name, grant: profile.grant, ...expiry(state.tokens) });
      return state.tokens;
    }
    return this.#flights.run(key, () => this.#renew(key, name, profile, requestOptions));
  }

  /**
   * Refreshes (or obtains) the tokens of `key`. Runs once per key at a time in this process; with a shared token
   * store, once per key at a time across the processes sharing it (see {@link renewShared}).
   */
  async #renew(key: string, name: string, profile: OAuth2Auth, requestOptions: TokenRequestOptions): Promise<TokenSet> {
    const started = this.#now();
    const shared = this.#options.sharedTokens;
    try {
      const { tokens, action } =
        shared !== undefined && SHARED_GRANTS.has(profile.grant)
          ? await renewShared(shared, key, {
              selectToken: (tokens) => selectToken(profile, tokens),
              held: this.#states.get(key),
              skewMs: profile.refreshSkewSeconds * 1000,
              lockTtlMs: sharedLockTtlMs(requestOptions.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS),
              now: this.#now,
              request: (previous) => this.#request(name, profile, previous, requestOptions),
              onUnavailable: (reason) =>
                this.#warn(
                  `shared token store unavailable (${this.#options.redactor.redact(reason)}): auth profile "${name}" requests its own token`,
                ),
              ...(this.#options.signal === undefined ? {} : { signal: this.#options.signal }),
            })
          : await this.#request(name, profile, this.#states.get(key)?.tokens, requestOptions);
      this.#states.set(key, { tokens, rejected: false });
      if (action === 'reused') {
        // Another process's tokens: secrets of this run like any obtained here.
        registerTokenSecrets(tokens, this.#options.redactor);
        this.#emit({ action, profile: name, grant: profile.grant, ...expiry(tokens) });
        return tokens;
      }
      if (this.#isCached(profile)) {
        // Saved at once: with rotating refresh tokens, a crash before close() would leave a revoked one in the file.
        const cache = await this.#openCache();
        if (cache?.write(key, { profile: name, grant: profile.grant }, tokens) === true) await cache.save();
      }
      this.#emit({ action, profile: name, grant: profile.grant, durationMs: this.#now() - started, ...expiry(tokens) });
      return tokens;
    } catch (error) {
      const redacted = this.#redactError(error, name);
      this.#emit({ action: 'failed', profile: name, grant: profile.grant, durationMs: this.#now() - started, message: redacted.message });
      throw redacted;
    }
  }

  /** One token request: a refresh when there is a refresh token (falling back to the grant if it is refused), else the grant. */
  async #request(name: string, profile: OAuth2Auth, previous: TokenSet | undefined, requestOptions: TokenRequestOptions): Promise<Renewed> {
    const refreshToken = previous?.refreshToken ?? profile.refreshToken;
    if (refreshToken === undefined) return { tokens: await this.#obtain(name, profile, requestOptions), action: 'obtained' };
    let action: Renewed['action'] = 'refreshed';
    const tokens = await this.#refresh(name, profile, refreshToken, requestOptions).catch((error: unknown) => {
      if (!(error instanceof OAuthError) || error.error !== 'invalid_grant') throw error;
      if (!UNATTENDED_GRANTS.has(profile.grant)) {
        throw createLoginRequiredError(name, 'the refresh token was rejected (invalid_grant)');
      }
      action = 'obtained';
      return this.#obtain(name, profile, requestOptions);
    });
    // RFC 6749 §6: without a new refresh token in the response, the old one stays valid.
    if (action === 'refreshed' && tokens.refreshToken === undefined) tokens.refreshToken = refreshToken;
    return { tokens, action };
  }

  /** Obtains tokens with the profile's grant, when it can run without a browser. */
  #obtain(name: string, profile: OAuth2Auth, requestOptions: TokenRequestOptions): Promise<TokenSet> {
    const options: ObtainTokensOptions = { ...this.#exchange(), ...requestOptions };
    if (this.#options.signal !== undefined) options.signal = this.#options.signal;
    if (this.#options.sleep !== undefined) options.sleep = this.#options.sleep;
    if (this.#options.onDeviceAuthorization !== undefined) options.onDeviceAuthorization = this.#options.onDeviceAuthorization;
    return obtainTokens(name, profile, options);
  }

  #refresh(name: string, profile: OAuth2Auth, refreshToken: string, requestOptions: TokenRequestOptions): Promise<TokenSet> {
    const request = refreshTokenGrantRequest(profile, refreshToken, requestOptions);
    return exchangeToken(name, profile, request, 'refresh request', this.#exchange());
  }

  #exchange() {
    return { send: this.#send, redactor: this.#options.redactor, now: this.#now };
  }

  #isCached(profile: OAuth2Auth): boolean {
    const options = this.#options.tokenCache;
    if (options === undefined || profile.cache === false) return false;
    return profile.cache === true || options.all === true;
  }

  #openCache(): Promise<TokenCache | undefined> {
    const options = this.#options.tokenCache;
    if (options === undefined) return Promise.resolve(undefined);
    this.#cache ??= (async () => {
      if (options.key === undefined || options.key === '') {
        this.#warn(`token cache disabled: SORTIE_TOKEN_KEY is not set, so no token is read from or written to ${options.file}`);
        return undefined;
      }
      try {
        return await TokenCache.open(options);
      } catch (error) {
        this.#warn(`token cache disabled: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    })();
    return this.#cache;
  }

  #pattern(source: string): RegExp {
    let pattern = this.#patterns.get(source);
    if (pattern === undefined) {
      pattern = new RegExp(source);
      this.#patterns.set(source, pattern);
    }
    return pattern;
  }

  #redactError(error: unknown, name: string): Error {
    const redactor = this.#options.redactor;
    if (isSortieError(error)) {
      error.message = redactor.redact(error.message);
      return error;
    }
    const message = redactor.redact(error instanceof Error ? error.message : String(error));
    return createAuthError(name, 'Auth failed', message);
  }

  #warn(message: string): void {
    this.#warnings.push(message);
    this.#options.onWarning?.(message);
  }

  #emit(event: Omit<TokenEvent, 'type'>): void {
    this.#options.emit({ type: 'token', ...event });
  }
}

function expiry(tokens: TokenSet): { expiresAt?: number } {
  return tokens.expiresAt === undefined ? {} : { expiresAt: tokens.expiresAt };
}

/** True when `token` appears in a header or the URL of `request`. */
function requestCarries(request: PreparedRequest, token: string): boolean {
  if (request.headers.some(([, value]) => value.includes(token))) return true;
  return request.url.includes(token) || request.url.includes(encodeURIComponent(token));
}
