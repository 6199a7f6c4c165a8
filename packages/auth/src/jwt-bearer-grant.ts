/**
 * The OAuth 2.0 JWT-bearer authorization grant (RFC 7523 §2.1), as Google service accounts use it: the client
 * signs an assertion (iss, sub, aud, scope, iat, exp) with its private key and trades it for an access token.
 * There is no refresh token: the next token comes from a newly signed assertion.
 */

import type { OAuth2Auth, PreparedRequest, Redactor } from '@sortie/core';
import { createAuthError } from './auth-error.js';
import { type ExchangeTokenOptions, exchangeToken } from './exchange-token.js';
import { buildJwtBearerAssertion, type JwtBearerAssertionOptions } from './signing/jwt.js';
import { buildFormRequest, type TokenRequestOptions } from './token-request.js';
import type { TokenSet } from './token-set.js';

export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Options of {@link jwtBearerGrantRequest}. */
export interface JwtBearerGrantOptions extends TokenRequestOptions {
  /** Clock in epoch ms for iat/exp; default Date.now(). */
  now?: number;
}

/**
 * Signs the profile's assertion and builds the token request: `grant_type` and `assertion` in a form body.
 * The client authenticates (Basic or body, as `clientAuth` says) only when the profile has a clientSecret:
 * the assertion is the credential. Without one, `client_id` still goes in the body (RFC 7521 §4.2: servers may
 * need it to identify the client).
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7521#section-4.2
 * @see https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 */
export async function jwtBearerGrantRequest(profile: OAuth2Auth, options: JwtBearerGrantOptions = {}): Promise<PreparedRequest> {
  const spec = profile.assertion;
  if (spec === undefined || profile.tokenUrl === undefined) {
    throw createAuthError('jwt_bearer', 'Incomplete profile', 'the jwt_bearer grant needs tokenUrl and assertion.privateKey');
  }
  const assertionOptions: JwtBearerAssertionOptions = {
    issuer: spec.issuer ?? profile.clientId,
    audience: spec.audience ?? profile.tokenUrl,
    privateKey: spec.privateKey,
    algorithm: spec.algorithm,
    expiresInSeconds: spec.expiresInSeconds,
  };
  if (spec.subject !== undefined) assertionOptions.subject = spec.subject;
  if (profile.scope !== undefined) assertionOptions.scope = profile.scope;
  if (spec.keyId !== undefined) assertionOptions.keyId = spec.keyId;
  if (spec.claims !== undefined) assertionOptions.claims = spec.claims;
  if (options.now !== undefined) assertionOptions.now = options.now;
  const assertion = await buildJwtBearerAssertion(assertionOptions);
  return buildFormRequest(profile.tokenUrl, { grant_type: JWT_BEARER_GRANT_TYPE, assertion }, profile, profile.params?.token, options);
}

/** Signs a new assertion, exchanges it and returns the tokens; the assertion is registered as a secret first. */
export async function obtainWithJwtBearer(
  name: string,
  profile: OAuth2Auth,
  exchange: ExchangeTokenOptions & TokenRequestOptions,
): Promise<TokenSet> {
  const options: JwtBearerGrantOptions = { now: exchange.now() };
  if (exchange.timeoutMs !== undefined) options.timeoutMs = exchange.timeoutMs;
  const request = await jwtBearerGrantRequest(profile, options);
  registerAssertion(request, exchange.redactor);
  return exchangeToken(name, profile, request, 'token request (jwt_bearer)', exchange);
}

function registerAssertion(request: PreparedRequest, redactor: Redactor): void {
  redactor.add(new URLSearchParams(String(request.body)).get('assertion'));
}
