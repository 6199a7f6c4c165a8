/**
 * Credentials sent in headers are secrets from the moment they are on a request: the whole header value and the
 * part after the scheme (`Bearer <token>`) are redacted wherever they appear, e.g. echoed in a response body.
 * Kept free of heavy imports: the engine's lazy auth entry registers the headers of every request with it.
 */
import { isSensitiveHeader, type PreparedRequest, type Redactor } from '@sortie/core';

/** Registers a credential header value: the whole value, and the part after the first space. */
export function registerCredentialHeader(value: string, redactor: Redactor): void {
  redactor.add(value);
  const space = value.indexOf(' ');
  if (space > 0) redactor.add(value.slice(space + 1).trim());
}

/** Registers every credential header of `request` (Authorization, Cookie, X-Api-Key, X-Auth-Token…; see isSensitiveHeader). */
export function registerCredentialHeaders(request: PreparedRequest, redactor: Redactor): void {
  for (const [name, value] of request.headers) {
    if (isSensitiveHeader(name)) registerCredentialHeader(value, redactor);
  }
}

/**
 * The query parameters in which a profile puts a credential: a JWT with `placement: "query"` (its
 * `queryParam`, default `token`), an API key with `in: "query"`, and the `X-Amz-Signature` of an AWS
 * presigned URL (anyone holding the URL can send its request until it expires, like the Authorization
 * header of header signing). Only these are registered from a URL: other parameters a scheme adds
 * (AWS's `X-Amz-Algorithm=AWS4-HMAC-SHA256`) are not secrets, and registering such common words would
 * redact them everywhere.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
 */
export function queryCredentialNames(profile: {
  type: string;
  placement?: unknown;
  queryParam?: unknown;
  in?: unknown;
  name?: unknown;
}): string[] {
  if (profile.type === 'jwt' && profile.placement === 'query')
    return [typeof profile.queryParam === 'string' ? profile.queryParam : 'token'];
  if (profile.type === 'apiKey' && profile.in === 'query' && typeof profile.name === 'string') return [profile.name];
  if (profile.type === 'awsv4' && profile.placement === 'query') return ['X-Amz-Signature'];
  return [];
}

/** Registers the values of the named query parameters of `request` as secrets. */
export function registerQueryCredentials(request: PreparedRequest, names: readonly string[], redactor: Redactor): void {
  if (names.length === 0) return;
  let params: URLSearchParams;
  try {
    params = new URL(request.url).searchParams;
  } catch {
    return;
  }
  for (const name of names) for (const value of params.getAll(name)) if (value !== '') registerCredentialHeader(value, redactor);
}
