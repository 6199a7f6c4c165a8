/**
 * Building token endpoint requests, one builder per grant (the response side is processTokenResponse()).
 * Builders never send: the auth-state manager sends through Sortie's HTTP stack.
 */

import { ACCESS_TOKEN_TYPE, type OAuth2Auth, type OAuth2Param, type PreparedRequest } from '@sortie/core';
import { replaceQueryParams } from './attach-credential.js';

/** Options shared by the request builders. */
export interface TokenRequestOptions {
  /** Request timeout in ms (default {@link DEFAULT_TOKEN_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/**
 * Timeout of a token request when nobody says otherwise. In a run the profile's `timeout`, else the timeout of
 * the request that needs the token, is always given; this default is for library callers and `sortie auth login`.
 */
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;

/**
 * Encodes a client credential for HTTP Basic: each part is form-urlencoded first.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function encodeClientCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64');
}

/**
 * Builds a POST with an `application/x-www-form-urlencoded` body to `url`, with client authentication and the
 * profile's extra parameters in their placement. Without a client secret the client only identifies itself:
 * `client_id` in the body (RFC 6749 §2.3.1 for public clients; RFC 7521 §4.2 lets an assertion grant send it too).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc7521#section-4.2
 */
export function buildFormRequest(
  url: string,
  params: Record<string, string | undefined>,
  profile: OAuth2Auth,
  extra: readonly OAuth2Param[] | undefined,
  options: TokenRequestOptions = {},
): PreparedRequest {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) body.set(name, value);
  const headers: [string, string][] = [
    ['content-type', 'application/x-www-form-urlencoded'],
    ['accept', 'application/json'],
  ];
  // RFC 6749 §2.3.1: Basic is the one every server must support; body credentials are the alternative.
  if (profile.clientAuth === 'basic' && profile.clientSecret !== undefined) {
    headers.push(['authorization', `Basic ${encodeClientCredentials(profile.clientId, profile.clientSecret)}`]);
  } else {
    body.set('client_id', profile.clientId);
    if (profile.clientSecret !== undefined) body.set('client_secret', profile.clientSecret);
  }
  const target = placeExtraParams(extra, url, headers, body);
  return {
    method: 'POST',
    url: target,
    headers,
    body: body.toString(),
    timeout: options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
    followRedirects: false,
    maxRedirects: 0,
  };
}

/** scope, audience and resource of the profile, as token request parameters. */
function readScopeParams(profile: OAuth2Auth): Record<string, string | undefined> {
  return { scope: profile.scope, audience: profile.audience, resource: profile.resource };
}

/**
 * Client credentials grant request.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export function clientCredentialsGrantRequest(profile: OAuth2Auth, options?: TokenRequestOptions): PreparedRequest {
  return buildFormRequest(
    profile.tokenUrl!,
    { grant_type: 'client_credentials', ...readScopeParams(profile) },
    profile,
    profile.params?.token,
    options,
  );
}

/**
 * Resource owner password credentials grant request.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3.2
 */
export function passwordGrantRequest(profile: OAuth2Auth, options?: TokenRequestOptions): PreparedRequest {
  const params = { grant_type: 'password', username: profile.username, password: profile.password, ...readScopeParams(profile) };
  return buildFormRequest(profile.tokenUrl!, params, profile, profile.params?.token, options);
}

/**
 * Refresh token grant request, sent to `refreshUrl` (default `tokenUrl`) with the refresh parameters.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokenGrantRequest(profile: OAuth2Auth, refreshToken: string, options?: TokenRequestOptions): PreparedRequest {
  const url = profile.refreshUrl ?? profile.tokenUrl!;
  const params = { grant_type: 'refresh_token', refresh_token: refreshToken, scope: profile.scope };
  return buildFormRequest(url, params, profile, profile.params?.refresh, options);
}

/**
 * Authorization code grant: the access token request, with the PKCE code verifier when one was used.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export function authorizationCodeGrantRequest(
  profile: OAuth2Auth,
  code: string,
  redirectUri: string,
  codeVerifier: string | undefined,
  options?: TokenRequestOptions,
): PreparedRequest {
  const params = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: codeVerifier,
    resource: profile.resource,
  };
  return buildFormRequest(profile.tokenUrl!, params, profile, profile.params?.token, options);
}

/** grant_type of OAuth 2.0 Token Exchange. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * Token exchange request: the subject token (and for delegation the actor token) traded for another token.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export function tokenExchangeGrantRequest(profile: OAuth2Auth, options?: TokenRequestOptions): PreparedRequest {
  const params = {
    grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
    subject_token: profile.subjectToken,
    subject_token_type: profile.subjectTokenType ?? ACCESS_TOKEN_TYPE,
    actor_token: profile.actorToken,
    // §2.1: actor_token_type is REQUIRED when actor_token is present and must not be there otherwise.
    actor_token_type: profile.actorToken === undefined ? undefined : (profile.actorTokenType ?? ACCESS_TOKEN_TYPE),
    requested_token_type: profile.requestedTokenType,
    ...readScopeParams(profile),
  };
  return buildFormRequest(profile.tokenUrl!, params, profile, profile.params?.token, options);
}

/**
 * Device authorization request.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1
 */
export function deviceAuthorizationRequest(profile: OAuth2Auth, options?: TokenRequestOptions): PreparedRequest {
  return buildFormRequest(profile.deviceAuthorizationUrl!, readScopeParams(profile), profile, profile.params?.token, options);
}

/**
 * Device access token request (polled).
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4
 */
export function deviceCodeGrantRequest(profile: OAuth2Auth, deviceCode: string, options?: TokenRequestOptions): PreparedRequest {
  const params = { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode };
  return buildFormRequest(profile.tokenUrl!, params, profile, profile.params?.token, options);
}

/**
 * A profile's custom parameters of a token request, each where it says: body (default), query or header. One named
 * like a parameter (or header) the request already has replaces it, as a parameter must not be sent twice (RFC 6749
 * §3.2; servers refuse it): `grant_type` then sends a provider's own grant (Auth0's password-realm), `scope` another
 * scope. Custom parameters of one name are all sent (RFC 8707 lets `resource` repeat). Returns the URL with the query ones.
 */
export function placeExtraParams(
  params: readonly OAuth2Param[] | undefined,
  url: string,
  headers: [string, string][],
  body: URLSearchParams,
): string {
  const custom = new Set<string>();
  const query: Array<[string, string]> = [];
  for (const param of params ?? []) {
    if (param.in === 'query') query.push([param.name, param.value]);
    else if (param.in === 'header') {
      const name = param.name.toLowerCase();
      if (!custom.has(`header ${name}`)) removeHeader(headers, name);
      custom.add(`header ${name}`);
      headers.push([param.name, param.value]);
    } else {
      if (!custom.has(`body ${param.name}`)) body.delete(param.name);
      custom.add(`body ${param.name}`);
      body.append(param.name, param.value);
    }
  }
  // The token URL's own query is kept byte for byte: new URL().searchParams re-serialised all of it (`a%20b` → `a+b`).
  return query.length === 0 ? url : replaceQueryParams(url, query, true);
}

function removeHeader(headers: [string, string][], lowerName: string): void {
  for (let i = headers.length - 1; i >= 0; i -= 1) if (headers[i]![0].toLowerCase() === lowerName) headers.splice(i, 1);
}
