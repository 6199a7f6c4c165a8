/**
 * @sortie/auth — auth profiles (bearer, basic, apiKey, OAuth 2.0, customToken, the signing schemes) and the auth-state manager.
 */
export { attachStaticCredential, attachToken } from './attach-credential.js';
export {
  createAuthError,
  createLoginRequiredError,
  createOAuthError,
  describeEndpoint,
  OAuthError,
  type OAuthErrorFields,
} from './auth-error.js';
export { AuthManager, type AuthManagerOptions } from './auth-manager.js';
export { type LoginOptions, type LoginResult, listCachedTokens, loginProfile, removeCachedTokens } from './auth-session.js';
export {
  type AuthorizationResponse,
  type AuthorizationUrlOptions,
  buildAuthorizationUrl,
  processAuthorizationResponse,
} from './authorization-request.js';
export { type BrowserLoginOptions, loginWithBrowser } from './browser-login.js';
export { computeCacheKey } from './cache-key.js';
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
export { JWT_BEARER_GRANT_TYPE, type JwtBearerGrantOptions, jwtBearerGrantRequest, obtainWithJwtBearer } from './jwt-bearer-grant.js';
export { type LoopbackListener, type LoopbackListenerOptions, startLoopbackListener } from './loopback-listener.js';
export { type OpenBrowserOptions, openBrowser, selectBrowserCommand } from './open-browser.js';
export { calculateCodeChallenge, generateCodeVerifier, generateState, type PkceMethod } from './pkce.js';
export { type ProcessTokenResponseOptions, parseResponseBody, processTokenResponse } from './process-token-response.js';
export { registerProfileSecrets, registerTokenSecrets } from './profile-secrets.js';
export { findAuthProfile, listAuthProfiles, resolveAuthProfile } from './resolve-profile.js';
export type { SendRequest } from './send-auth-request.js';
export * from './signing/index.js';
export { type CachedTokenInfo, TokenCache, type TokenCacheOptions } from './token-cache.js';
export {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  deviceAuthorizationRequest,
  deviceCodeGrantRequest,
  encodeClientCredentials,
  passwordGrantRequest,
  refreshTokenGrantRequest,
  type TokenRequestOptions,
} from './token-request.js';
export { computeExpiresAt, type TokenSet } from './token-set.js';
