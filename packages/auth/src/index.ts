/**
 * @sortie/auth — auth profiles (bearer, basic, apiKey, OAuth 2.0, customToken, the signing schemes) and the auth-state manager.
 */
export { attachStaticCredential, attachToken } from './attach-credential.js';
export {
  type AuthErrorOptions,
  createAuthError,
  createLoginRequiredError,
  createOAuthError,
  describeEndpoint,
  OAuthError,
  type OAuthErrorFields,
  ProfileFieldError,
} from './auth-error.js';
export { AuthManager, type AuthManagerOptions } from './auth-manager.js';
export { type AuthAnswer, AuthSession, type AuthSessionOptions } from './auth-session.js';
export {
  type AuthorizationResponse,
  type AuthorizationUrlOptions,
  buildAuthorizationUrl,
  processAuthorizationResponse,
} from './authorization-request.js';
export { type BrowserLoginOptions, loginWithBrowser } from './browser-login.js';
export { computeCacheKey } from './cache-key.js';
export { registerCredentialHeader, registerCredentialHeaders } from './credential-headers.js';
export {
  attachCustomToken,
  buildCustomTokenRequest,
  type CustomTokenResponseOptions,
  computeCustomTokenKey,
  processCustomTokenResponse,
  registerCustomTokenSecrets,
} from './custom-token.js';
export {
  type DeviceAuthorization,
  type DeviceAuthorizationPrompt,
  type DeviceFlowOptions,
  processDeviceAuthorizationResponse,
  runDeviceFlow,
} from './device-flow.js';
export { type ExchangeTokenOptions, exchangeToken } from './exchange-token.js';
export { JWT_BEARER_GRANT_TYPE, type JwtBearerGrantOptions, jwtBearerGrantRequest, obtainWithJwtBearer } from './jwt-bearer-grant.js';
export { type LoginOptions, type LoginResult, listCachedTokens, loginProfile, removeCachedTokens } from './login-profile.js';
export { type LoopbackListener, type LoopbackListenerOptions, startLoopbackListener } from './loopback-listener.js';
export { type AuthConnection, authorizeNtlm, type BoundRequest } from './ntlm-handshake.js';
export { type ObtainTokensOptions, obtainTokens, UNATTENDED_GRANTS } from './obtain-tokens.js';
export { type OpenBrowserOptions, openBrowser, selectBrowserCommand } from './open-browser.js';
export { calculateCodeChallenge, generateCodeVerifier, generateState, type PkceMethod } from './pkce.js';
export {
  type AuthResponseContext,
  checkOAuthErrorBody,
  type ProcessTokenResponseOptions,
  parseResponseBody,
  processTokenResponse,
} from './process-token-response.js';
export { registerProfileSecrets, registerTokenSecrets } from './profile-secrets.js';
export { findAuthProfile, listAuthProfiles, resolveAuthProfile } from './resolve-profile.js';
export { type AuthScope, readAuthChoice, type SelectedProfile, selectAuthProfile } from './select-profile.js';
export { type SendRequest, sendAuthRequest, sendUntilAborted } from './send-auth-request.js';
export { SHARED_GRANTS, type SharedTokenStore, sharedLockTtlMs } from './shared-token-store.js';
export * from './signing/index.js';
export { type CachedTokenInfo, TokenCache, type TokenCacheOptions } from './token-cache.js';
export {
  authorizationCodeGrantRequest,
  buildFormRequest,
  clientCredentialsGrantRequest,
  DEFAULT_TOKEN_TIMEOUT_MS,
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  encodeClientCredentials,
  passwordGrantRequest,
  refreshTokenGrantRequest,
  TOKEN_EXCHANGE_GRANT_TYPE,
  type TokenRequestOptions,
  tokenExchangeGrantRequest,
} from './token-request.js';
export { computeExpiresAt, type TokenSet } from './token-set.js';
