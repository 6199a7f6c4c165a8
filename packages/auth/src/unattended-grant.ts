import type { OAuth2Auth } from '@sortie/core';
import { type ExchangeTokenOptions, exchangeToken } from './exchange-token.js';
import { clientCredentialsGrantRequest, passwordGrantRequest, type TokenRequestOptions } from './token-request.js';
import type { TokenSet } from './token-set.js';

/**
 * The grants that need no person: client credentials (RFC 6749 §4.4) and resource owner password
 * (RFC 6749 §4.3). One token request, processed like every token response.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 */
export function obtainUnattended(
  name: string,
  profile: OAuth2Auth,
  grant: 'client_credentials' | 'password',
  exchange: ExchangeTokenOptions,
  requestOptions: TokenRequestOptions,
): Promise<TokenSet> {
  const request =
    grant === 'client_credentials' ? clientCredentialsGrantRequest(profile, requestOptions) : passwordGrantRequest(profile, requestOptions);
  return exchangeToken(name, profile, request, `token request (${grant})`, exchange);
}
