/**
 * Sending a request to an authorization server: transport failures become AUTH_UNREACHABLE errors, and the run's
 * cancellation ends a pending request at once.
 */
import type { HttpResponse, PreparedRequest } from '@sortie/core';
import { ErrorCode, isSortieError, SortieError } from '@sortie/core';
import { createAuthError, describeEndpoint } from './auth-error.js';

/** Sends a request through Sortie's HTTP stack. */
export type SendRequest = (request: PreparedRequest) => Promise<HttpResponse>;

/**
 * Sends `request`; a network error or a timeout (the request's own `timeout`) becomes an AUTH_UNREACHABLE error
 * naming profile and endpoint. An interruption of the run stays INTERRUPTED.
 */
export async function sendAuthRequest(send: SendRequest, request: PreparedRequest, profile: string, what: string): Promise<HttpResponse> {
  try {
    return await send(request);
  } catch (error) {
    if (isSortieError(error) && error.code === ErrorCode.INTERRUPTED) throw error;
    const cause = isSortieError(error) ? `${error.title}: ${error.message}` : error instanceof Error ? error.message : String(error);
    const reason = withoutQuery(cause, request.url);
    // The HTTP client's own hint is the precise one (call it with https://, use --ca, the proxy wants credentials).
    const transportHint = isSortieError(error) && error.hint !== undefined ? withoutQuery(error.hint, request.url) : undefined;
    throw createAuthError(profile, 'Authorization server unreachable', `${what} to ${describeEndpoint(request.url)} failed: ${reason}`, {
      code: ErrorCode.AUTH_UNREACHABLE,
      hint:
        transportHint ??
        'check that the token endpoint URL is right and the server is up; a slow one needs a longer `timeout` in the profile',
    });
  }
}

/**
 * `text` with the query and fragment of `url` taken out: the HTTP client names the whole URL in its errors
 * (`(POST http://host/token?sig=…)`), and a token request's query may carry a secret the redactor does not know
 * (a `params` entry placed `in: "query"`). Auth errors name an endpoint by origin and path only.
 */
function withoutQuery(text: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text.split(url).join(describeEndpoint(url));
  }
  let out = text.split(url).join(describeEndpoint(url));
  for (const part of [parsed.search, parsed.hash]) if (part.length > 1) out = out.split(part).join('');
  return out;
}

/**
 * `send`, stopped when `signal` aborts: the pending token request is given up (the step sees INTERRUPTED at once;
 * the HTTP client ends the exchange at its timeout).
 */
export function sendUntilAborted(send: SendRequest, signal: AbortSignal | undefined): SendRequest {
  if (signal === undefined) return send;
  return (request) => {
    if (signal.aborted) return Promise.reject(interrupted());
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = () => reject(interrupted());
      signal.addEventListener('abort', onAbort, { once: true });
      send(request)
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
}

/** What a step waiting for a token sees when the run is interrupted. */
export function interrupted(): SortieError {
  return new SortieError(ErrorCode.INTERRUPTED, 'Interrupted', 'the run was interrupted while waiting for the authorization server');
}
