/**
 * The front-channel part of the authorization code and implicit grants: building the authorization URL and
 * validating what comes back on the redirect URI.
 */
import type { OAuth2Auth } from '@sortie/core';
import { replaceQueryParams } from './attach-credential.js';
import { createAuthError, OAuthError } from './auth-error.js';

export interface AuthorizationUrlOptions {
  redirectUri: string;
  state: string;
  /** "code" (authorization_code) or "token" (implicit). */
  responseType: 'code' | 'token';
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

/**
 * Builds the authorization request URL: the profile's authUrl with response_type, client_id, redirect_uri, scope,
 * state, the PKCE challenge, audience/resource and the extra authorization parameters.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export function buildAuthorizationUrl(profile: OAuth2Auth, options: AuthorizationUrlOptions): string {
  const standard: Array<[string, string | undefined]> = [
    ['response_type', options.responseType],
    ['client_id', profile.clientId],
    ['redirect_uri', options.redirectUri],
    ['scope', profile.scope],
    ['state', options.state],
    ['code_challenge', options.codeChallenge],
    ['code_challenge_method', options.codeChallenge === undefined ? undefined : options.codeChallengeMethod],
    ['audience', profile.audience],
    ['resource', profile.resource],
  ];
  // A custom parameter replaces the one of its name (sent once, RFC 6749 §3.1); several of one name all go.
  const custom = (profile.params?.authorization ?? []).map((param): [string, string] => [param.name, param.value]);
  const customNames = new Set(custom.map(([name]) => name));
  const params: Array<[string, string]> = [];
  for (const [name, value] of standard) if (value !== undefined && !customNames.has(name)) params.push([name, value]);
  // The authUrl's own parameters are kept byte for byte (URLSearchParams re-serialised them: `a%20b` → `a+b`).
  return replaceQueryParams(new URL(profile.authUrl!).href, [...params, ...custom], true);
}

/** What the authorization server sent back to the redirect URI. */
export interface AuthorizationResponse {
  /** authorization_code: the code. */
  code?: string;
  /** implicit: the token parameters of the fragment. */
  params: URLSearchParams;
}

/**
 * Validates the redirect: `state` must equal the one sent (CSRF, RFC 6749 §10.12), an `error` becomes an OAuthError,
 * and the code (or the implicit token) must be present.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.2.2
 */
export function processAuthorizationResponse(
  params: URLSearchParams,
  expectedState: string,
  profileName: string,
  responseType: 'code' | 'token',
): AuthorizationResponse {
  if (params.get('state') !== expectedState) {
    throw createAuthError(
      profileName,
      'State mismatch',
      'the authorization response does not carry the state that was sent (possible CSRF)',
    );
  }
  const error = params.get('error');
  if (error !== null) {
    let message = `profile "${profileName}": the authorization server refused: ${error}`;
    const description = params.get('error_description');
    const uri = params.get('error_uri');
    if (description !== null) message += ` (${description})`;
    if (uri !== null) message += `, see ${uri}`;
    const fields = {
      error,
      ...(description === null ? {} : { error_description: description }),
      ...(uri === null ? {} : { error_uri: uri }),
    };
    throw new OAuthError('Authorization refused', message, 0, fields);
  }
  if (responseType === 'code') {
    const code = params.get('code');
    if (code === null || code === '') throw createAuthError(profileName, 'No authorization code', 'the redirect carried no "code"');
    return { code, params };
  }
  if (!params.has('access_token') && !params.has('id_token')) {
    throw createAuthError(profileName, 'No token', 'the implicit grant redirect carried no access_token');
  }
  return { params };
}
