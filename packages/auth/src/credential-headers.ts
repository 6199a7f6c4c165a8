/**
 * Credentials sent in headers are secrets from the moment they are on a request: the whole header value and the
 * part after the scheme (`Bearer <token>`) are redacted wherever they appear, e.g. echoed in a response body.
 * Kept free of heavy imports: the engine's lazy auth entry registers the headers of every request with it.
 */
import { type PreparedRequest, type Redactor, SENSITIVE_HEADERS } from '@sortie/core';

/** Registers a credential header value: the whole value, and the part after the first space. */
export function registerCredentialHeader(value: string, redactor: Redactor): void {
  redactor.add(value);
  const space = value.indexOf(' ');
  if (space > 0) redactor.add(value.slice(space + 1).trim());
}

/** Registers every credential header of `request` (Authorization, Cookie, X-Api-Key…; see SENSITIVE_HEADERS). */
export function registerCredentialHeaders(request: PreparedRequest, redactor: Redactor): void {
  for (const [name, value] of request.headers) {
    if (SENSITIVE_HEADERS.has(name.toLowerCase())) registerCredentialHeader(value, redactor);
  }
}
