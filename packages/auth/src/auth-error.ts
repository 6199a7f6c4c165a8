/**
 * Errors of the auth-state manager. Every one is a SortieError whose message names the profile and the endpoint
 * (origin and path only: a query string may carry secrets) and never a secret value. The code says what went
 * wrong, so tests and tools can tell the cases apart: AUTH_UNKNOWN_PROFILE, AUTH_REJECTED, AUTH_LOGIN_REQUIRED,
 * AUTH_OAUTH_ERROR, AUTH_UNREACHABLE, AUTH_NO_TOKEN, and AUTH for an unusable profile or anything else.
 */
import { ErrorCode, SortieError, type SortieErrorOptions } from '@sortie/core';

/** The error fields of an OAuth 2.0 error response. @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 */
export interface OAuthErrorFields {
  error: string;
  error_description?: string;
  error_uri?: string;
}

/** An error response of an authorization server (code AUTH_OAUTH_ERROR): keeps `status`, `error`, `error_description`, `error_uri`. */
export class OAuthError extends SortieError {
  readonly status: number;
  readonly error: string;
  readonly errorDescription?: string;
  readonly errorUri?: string;

  constructor(title: string, message: string, status: number, fields: OAuthErrorFields, options: SortieErrorOptions = {}) {
    super(ErrorCode.AUTH_OAUTH_ERROR, title, message, options);
    this.name = 'OAuthError';
    this.status = status;
    this.error = fields.error;
    if (fields.error_description !== undefined) this.errorDescription = fields.error_description;
    if (fields.error_uri !== undefined) this.errorUri = fields.error_uri;
  }
}

/** Where a request went, without query string or credentials: safe for a message. */
export function describeEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Creates the error for an OAuth error response (or an HTTP error without OAuth fields). */
export function createOAuthError(
  profile: string,
  what: string,
  endpoint: string,
  status: number,
  fields: OAuthErrorFields,
  redirectedTo?: string,
  bodyExcerpt?: string,
): OAuthError {
  let message = `profile "${profile}": ${what} to ${describeEndpoint(endpoint)} failed with HTTP ${status}: ${fields.error}`;
  if (fields.error_description !== undefined) message += ` (${fields.error_description})`;
  if (fields.error_uri !== undefined) message += `, see ${fields.error_uri}`;
  if (bodyExcerpt !== undefined) message += `; the body reads: ${JSON.stringify(bodyExcerpt)}`;
  if (redirectedTo === undefined) return new OAuthError('OAuth error', message, status, fields);
  // Not followed: the client's credentials would go along to wherever it points (as curl does without -L).
  const target = describeEndpoint(redirectedTo);
  message += `: it redirects to ${target}, and requests to an authorization server do not follow redirects`;
  return new OAuthError('OAuth error', message, status, fields, { hint: `if ${target} is the right endpoint, write it in the profile` });
}

/** Options of {@link createAuthError}: the error code (default AUTH) and SortieError's options. */
export interface AuthErrorOptions extends SortieErrorOptions {
  code?: ErrorCode;
}

/** Creates an auth error that names the profile. */
export function createAuthError(profile: string, title: string, detail: string, options: AuthErrorOptions = {}): SortieError {
  const { code = ErrorCode.AUTH, ...rest } = options;
  return new SortieError(code, title, `profile "${profile}": ${detail}`, rest);
}

/**
 * An unusable value of one field of a profile (an endpoint that is not an http(s) URL once rendered, a header name
 * with a space): `profile` and `field` (e.g. `['request', 'url']`) let the engine point at the field where the
 * profile is written, in the scenario, the environment or the project file, not at the request that used it.
 */
export class ProfileFieldError extends SortieError {
  readonly profile: string;
  readonly field: readonly string[];

  constructor(profile: string, field: readonly string[], title: string, detail: string, options: SortieErrorOptions = {}) {
    super(ErrorCode.AUTH, title, `profile "${profile}": ${detail}`, options);
    this.name = 'ProfileFieldError';
    this.profile = profile;
    this.field = field;
  }
}

/** The error for a grant that needs a person (a browser or a device) and has no usable token. */
export function createLoginRequiredError(profile: string, reason: string): SortieError {
  return createAuthError(profile, 'Login required', `${reason}; run \`sortie auth login ${profile}\` to sign in`, {
    code: ErrorCode.AUTH_LOGIN_REQUIRED,
    hint: `sortie auth login ${profile}`,
  });
}
