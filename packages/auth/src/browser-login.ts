/**
 * Signing in with a browser: authorization code grant with PKCE, or the legacy implicit grant, received on a
 * loopback redirect.
 * @see https://www.rfc-editor.org/rfc/rfc8252
 */
import type { OAuth2Auth, Redactor } from '@sortie/core';
import { createAuthError } from './auth-error.js';
import { buildAuthorizationUrl, processAuthorizationResponse } from './authorization-request.js';
import { exchangeToken } from './exchange-token.js';
import { startLoopbackListener } from './loopback-listener.js';
import { calculateCodeChallenge, generateCodeVerifier, generateState } from './pkce.js';
import { registerTokenSecrets } from './profile-secrets.js';
import type { SendRequest } from './send-auth-request.js';
import { authorizationCodeGrantRequest } from './token-request.js';
import { computeExpiresAt, type TokenSet } from './token-set.js';

export interface BrowserLoginOptions {
  send: SendRequest;
  redactor: Redactor;
  /** Clock in epoch ms; default Date.now. */
  now?: () => number;
  /** Called with the authorization URL before the browser opens (the CLI prints it). */
  onAuthorizationUrl?(url: string): void;
  /** Opens the URL in a browser; undefined means --no-browser (the user opens the printed URL). */
  openUrl?(url: string): Promise<void>;
  /** How long to wait for the redirect in ms (default 300000). */
  waitMs?: number;
  /** Timeout of the token request in ms (default 30000). */
  timeoutMs?: number;
}

/**
 * Runs the authorization code grant (PKCE S256 unless the profile says otherwise, RFC 7636) or the implicit grant
 * through the browser, validates `state`, exchanges the code, and returns the tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export async function loginWithBrowser(name: string, profile: OAuth2Auth, options: BrowserLoginOptions): Promise<TokenSet> {
  const now = options.now ?? Date.now;
  const responseType = profile.grant === 'implicit' ? 'token' : 'code';
  // RFC 7636 §4.1: code_verifier = 43*128 unreserved characters. The schema lets a template through; its rendered
  // value is checked here, before a browser opens, and never printed (it is a secret).
  if (profile.codeVerifier !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(profile.codeVerifier)) {
    throw createAuthError(
      name,
      'Invalid PKCE code verifier',
      `codeVerifier (${profile.codeVerifier.length} characters once rendered) is not 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)`,
      { hint: 'leave codeVerifier out and Sortie draws a random one' },
    );
  }
  const listener = await startLoopbackListener(profile.callbackUrl === undefined ? {} : { callbackUrl: profile.callbackUrl });
  try {
    const state = profile.state ?? generateState();
    const method = responseType === 'code' ? (profile.pkce ?? 'S256') : false;
    const verifier = method === false ? undefined : (profile.codeVerifier ?? generateCodeVerifier());
    options.redactor.add(verifier);
    const url = buildAuthorizationUrl(profile, {
      redirectUri: listener.redirectUri,
      state,
      responseType,
      ...(verifier === undefined || method === false
        ? {}
        : { codeChallenge: calculateCodeChallenge(verifier, method), codeChallengeMethod: method }),
    });
    options.onAuthorizationUrl?.(url);
    await options.openUrl?.(url);
    const params = await listener.waitForResponse(options.waitMs ?? 300_000);
    const response = processAuthorizationResponse(params, state, name, responseType);
    if (response.code === undefined) return readImplicitTokens(response.params, profile, now(), options.redactor);
    options.redactor.add(response.code);
    const request = authorizationCodeGrantRequest(
      profile,
      response.code,
      listener.redirectUri,
      verifier,
      options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
    );
    return await exchangeToken(name, profile, request, 'token request (authorization_code)', {
      send: options.send,
      redactor: options.redactor,
      now,
    });
  } finally {
    await listener.close();
  }
}

/**
 * The tokens of an implicit grant redirect fragment.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 */
function readImplicitTokens(params: URLSearchParams, profile: OAuth2Auth, now: number, redactor: Redactor): TokenSet {
  const tokens: TokenSet = { obtainedAt: now };
  const read = (key: string) => params.get(key) ?? undefined;
  const accessToken = read('access_token');
  const idToken = read('id_token');
  if (accessToken !== undefined) tokens.accessToken = accessToken;
  if (idToken !== undefined) tokens.idToken = idToken;
  const tokenType = read('token_type');
  if (tokenType !== undefined) tokens.tokenType = tokenType;
  const scope = read('scope') ?? profile.scope;
  if (scope !== undefined) tokens.scope = scope;
  const expiresAt = computeExpiresAt(read('expires_in'), accessToken ?? idToken, now);
  if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
  registerTokenSecrets(tokens, redactor);
  return tokens;
}
