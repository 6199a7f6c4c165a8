/**
 * One round trip to a token endpoint: send the built request, validate the response, register the tokens with the
 * redactor.
 */
import type { OAuth2Auth, PreparedRequest, Redactor } from '@sortie/core';
import { processTokenResponse } from './process-token-response.js';
import { registerTokenSecrets } from './profile-secrets.js';
import { type SendRequest, sendAuthRequest } from './send-auth-request.js';
import type { TokenSet } from './token-set.js';

export interface ExchangeTokenOptions {
  send: SendRequest;
  redactor: Redactor;
  now: () => number;
}

/** Sends a token request built by one of the `*GrantRequest()` builders and returns the validated tokens. */
export async function exchangeToken(
  name: string,
  profile: OAuth2Auth,
  request: PreparedRequest,
  what: string,
  options: ExchangeTokenOptions,
): Promise<TokenSet> {
  const response = await sendAuthRequest(options.send, request, name, what);
  const tokens = processTokenResponse(response, {
    profile: name,
    endpoint: request.url,
    what,
    now: options.now(),
    ...(profile.tokenPath === undefined ? {} : { tokenPath: profile.tokenPath }),
  });
  registerTokenSecrets(tokens, options.redactor);
  return tokens;
}
