/**
 * The one grant dispatcher: how a profile's grant obtains tokens from scratch. A run (the auth-state manager) and
 * `sortie auth login` both come here; they differ only in what they can offer a grant that needs a person.
 */
import type { OAuth2Auth } from '@sortie/core';
import { createLoginRequiredError } from './auth-error.js';
import { type BrowserLoginOptions, loginWithBrowser } from './browser-login.js';
import { type DeviceAuthorizationPrompt, runDeviceFlow } from './device-flow.js';
import { type ExchangeTokenOptions, exchangeToken } from './exchange-token.js';
import { obtainWithJwtBearer } from './jwt-bearer-grant.js';
import { refreshTokenGrantRequest, type TokenRequestOptions } from './token-request.js';
import type { TokenSet } from './token-set.js';
import { obtainUnattended } from './unattended-grant.js';

/** Options of {@link obtainTokens}. */
export interface ObtainTokensOptions extends ExchangeTokenOptions, TokenRequestOptions {
  /** Stops a device flow's polling. */
  signal?: AbortSignal;
  /** Waits between device-flow polls; default core's sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Shows the device-flow prompt; without it a device_code profile needs `sortie auth login`. */
  onDeviceAuthorization?(prompt: DeviceAuthorizationPrompt): void;
  /** Only for `sortie auth login`: the browser grants (authorization_code, implicit) may open a browser. */
  browser?: BrowserLoginOptions;
}

/** Grants that run without a person, so a run may obtain a token from scratch when a refresh token is refused. */
export const UNATTENDED_GRANTS: ReadonlySet<OAuth2Auth['grant']> = new Set([
  'client_credentials',
  'password',
  'jwt_bearer',
  'token_exchange',
]);

/**
 * Obtains tokens with the profile's grant, or rejects with AUTH_LOGIN_REQUIRED when the grant needs what
 * `options` cannot give (a browser, a person to enter a device code, a refresh token).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4
 */
export function obtainTokens(name: string, profile: OAuth2Auth, options: ObtainTokensOptions): Promise<TokenSet> {
  const requestOptions: TokenRequestOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  switch (profile.grant) {
    case 'client_credentials':
    case 'password':
    case 'token_exchange':
      return obtainUnattended(name, profile, profile.grant, options, requestOptions);
    case 'jwt_bearer':
      return obtainWithJwtBearer(name, profile, options);
    case 'device_code': {
      const onPrompt = options.onDeviceAuthorization;
      if (onPrompt === undefined) {
        return Promise.reject(createLoginRequiredError(name, 'the device_code grant needs a person and there is no token'));
      }
      return runDeviceFlow(name, profile, { ...options, onPrompt });
    }
    case 'refresh_token':
      if (profile.refreshToken === undefined) return Promise.reject(createLoginRequiredError(name, 'the refresh token is missing'));
      return exchangeToken(
        name,
        profile,
        refreshTokenGrantRequest(profile, profile.refreshToken, requestOptions),
        'refresh request',
        options,
      );
    case 'authorization_code':
    case 'implicit':
      if (options.browser === undefined) {
        return Promise.reject(createLoginRequiredError(name, `the ${profile.grant} grant needs a browser and there is no cached token`));
      }
      return loginWithBrowser(name, profile, options.browser);
  }
}
