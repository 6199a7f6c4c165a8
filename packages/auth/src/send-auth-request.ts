/**
 * Sending a request to an authorization server and converting transport failures into AUTH errors.
 */
import type { HttpResponse, PreparedRequest } from '@sortie/core';
import { isSortieError } from '@sortie/core';
import { createAuthError, describeEndpoint } from './auth-error.js';

/** Sends a request through Sortie's HTTP stack. */
export type SendRequest = (request: PreparedRequest) => Promise<HttpResponse>;

/** Sends `request`; a network error, timeout or anything else thrown becomes an AUTH error naming profile and endpoint. */
export async function sendAuthRequest(send: SendRequest, request: PreparedRequest, profile: string, what: string): Promise<HttpResponse> {
  try {
    return await send(request);
  } catch (error) {
    const reason = isSortieError(error) ? `${error.title}: ${error.message}` : error instanceof Error ? error.message : String(error);
    throw createAuthError(profile, 'Authorization server unreachable', `${what} to ${describeEndpoint(request.url)} failed: ${reason}`, {
      hint: 'check that the token endpoint URL is right and the server is up',
    });
  }
}
