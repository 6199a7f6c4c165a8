import type { OAuth2Auth } from '@sortie/core';
import { type ExchangeTokenOptions, exchangeToken } from './exchange-token.js';
import {
  clientCredentialsGrantRequest,
  passwordGrantRequest,
  type TokenRequestOptions,
  tokenExchangeGrantRequest,
} from './token-request.js';
import type { TokenSet } from './token-set.js';

/**
 * The grants that need no person: client credentials (RFC 6749 §4.4), resource owner password
 * (RFC 6749 §4.3) and token exchange (RFC 8693). One token request, processed like every token response.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export function obtainUnattended(
  name: string,
  profile: OAuth2Auth,
  grant: 'client_credentials' | 'password' | 'token_exchange',
  exchange: ExchangeTokenOptions,
  requestOptions: TokenRequestOptions,
): Promise<TokenSet> {
  const build = {
    client_credentials: clientCredentialsGrantRequest,
    password: passwordGrantRequest,
    token_exchange: tokenExchangeGrantRequest,
  };
  const request = build[grant](profile, requestOptions);
  return exchangeToken(name, profile, request, `token request (${grant})`, exchange);
}
