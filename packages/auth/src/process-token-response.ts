/**
 * Interpreting token endpoint responses: JSON (RFC 6749 §5.1), or a form / query string body (some legacy providers),
 * OAuth error responses (§5.2), and `tokenPath` for non-standard JSON.
 */
import type { HttpResponse } from '@sortie/core';
import { ErrorCode, getHeader } from '@sortie/core';
import { createAuthError, createOAuthError, describeEndpoint, type OAuthErrorFields } from './auth-error.js';
import { excerptBody } from './body-excerpt.js';
import { readTokenPath } from './token-path.js';
import { computeExpiresAt, type TokenSet } from './token-set.js';

export interface ProcessTokenResponseOptions {
  /** Profile name, for messages. */
  profile: string;
  /** The endpoint the request went to, for messages. */
  endpoint: string;
  /** What was asked, for messages, e.g. "token request (client_credentials)". */
  what: string;
  now: number;
  /** JSON path of the access token in a non-standard response. */
  tokenPath?: string;
}

/** Parses a response body as JSON or, failing that, as `a=b&c=d`. Returns undefined for anything else. */
export function parseResponseBody(response: HttpResponse): Record<string, unknown> | undefined {
  const text = Buffer.from(response.body).toString('utf8').trim();
  if (text === '') return undefined;
  const contentType = getHeader(response.headers, 'content-type') ?? '';
  if (text.startsWith('{') || contentType.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  if (/^[\w.~%+-]+=/.test(text) && !/\s/.test(text)) return Object.fromEntries(new URLSearchParams(text));
  return undefined;
}

/**
 * Why `response` holds no token object, for the error: the status, the content type and what the body is instead
 * (invalid JSON and where it breaks, a JSON value that is no object, something else). Never the body's text: a
 * token in a body that could not be parsed was never registered with the redactor.
 */
export function describeUnreadableBody(response: HttpResponse): string {
  const text = Buffer.from(response.body).toString('utf8').trim();
  const contentType = getHeader(response.headers, 'content-type');
  const answered = `HTTP ${response.status}${contentType === undefined ? ' without a content type' : ` with ${contentType}`}`;
  if (text === '') return `${answered} and an empty body, not a token response`;
  if (text.startsWith('{') || text.startsWith('[') || (contentType ?? '').includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // V8's message quotes the text around the fault; only the position is kept.
      const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
      const at = position === undefined ? undefined : Number(position);
      const where =
        at === undefined && !/end of JSON/i.test(String(error))
          ? ''
          : at === undefined || at >= text.length
            ? ' (it ends early)'
            : ` at character ${at + 1} of ${text.length}`;
      return `${answered}: invalid JSON${where}`;
    }
    const kind = Array.isArray(parsed) ? 'a JSON array' : parsed === null ? 'JSON null' : `a JSON ${typeof parsed}`;
    return `${answered}: ${kind}, not an object`;
  }
  return `${answered}, not a JSON object nor a form body`;
}

/** Reads the OAuth error fields of a parsed body, if it has an `error` string. */
export function readOAuthErrorFields(body: Record<string, unknown> | undefined): OAuthErrorFields | undefined {
  if (body === undefined || typeof body.error !== 'string') return undefined;
  const fields: OAuthErrorFields = { error: body.error };
  if (typeof body.error_description === 'string') fields.error_description = body.error_description;
  if (typeof body.error_uri === 'string') fields.error_uri = body.error_uri;
  return fields;
}

/** What a response check names in its error: the profile, what was asked and where it went. */
export interface AuthResponseContext {
  profile: string;
  what: string;
  endpoint: string;
}

/**
 * The check every authorization server response gets first: an `error` member, or a status outside 2xx, is an
 * error response. Throws OAuthError (AUTH_OAUTH_ERROR) with `error`, `error_description`, `error_uri` and the status.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export function checkOAuthErrorBody(response: HttpResponse, body: Record<string, unknown> | undefined, context: AuthResponseContext): void {
  const errorFields = readOAuthErrorFields(body);
  if (errorFields === undefined && response.status >= 200 && response.status <= 299) return;
  throw createOAuthError(
    context.profile,
    context.what,
    context.endpoint,
    response.status,
    errorFields ?? { error: response.statusText || 'error' },
    readRedirect(response, context.endpoint),
    // Without OAuth fields the status text alone ("Internal Server Error") says little: quote what the body says.
    errorFields === undefined ? excerptErrorBody(response, body) : undefined,
  );
}

/** Members that explain an error in JSON without OAuth fields: problem details (RFC 9457 §3.1) and common gateway shapes. */
const EXPLAINING_MEMBERS = ['detail', 'title', 'message', 'error_message', 'errorMessage'] as const;

/**
 * The excerpt of an error body without OAuth fields: the text of a page that is neither JSON nor a form, or the
 * explaining members of a JSON object (never the whole object, which may hold anything).
 */
function excerptErrorBody(response: HttpResponse, body: Record<string, unknown> | undefined): string | undefined {
  if (body === undefined) return excerptBody(Buffer.from(response.body).toString('utf8'), getHeader(response.headers, 'content-type'));
  const explained = EXPLAINING_MEMBERS.map((name) => body[name]).filter((value): value is string => typeof value === 'string');
  return explained.length === 0 ? undefined : excerptBody([...new Set(explained)].join(': '), 'text/plain');
}

/** Where a 3xx answer points (an http:// endpoint moved to https://, a path with a trailing slash), if it says. */
function readRedirect(response: HttpResponse, endpoint: string): string | undefined {
  const location = response.status >= 300 && response.status <= 399 ? getHeader(response.headers, 'location') : undefined;
  if (location === undefined) return undefined;
  try {
    return new URL(location, endpoint).href;
  } catch {
    return undefined;
  }
}

/**
 * Validates a token endpoint response and returns its tokens. Throws OAuthError (AUTH_OAUTH_ERROR) for an error
 * response and AUTH_NO_TOKEN for a response without a usable token.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function processTokenResponse(response: HttpResponse, options: ProcessTokenResponseOptions): TokenSet {
  const body = parseResponseBody(response);
  checkOAuthErrorBody(response, body, options);
  if (body === undefined) {
    throw createAuthError(
      options.profile,
      'Invalid token response',
      `${options.what} to ${describeEndpoint(options.endpoint)} answered ${describeUnreadableBody(response)}`,
      { code: ErrorCode.AUTH_NO_TOKEN },
    );
  }
  // With tokenPath, standard fields are read from the object holding the token, then from the top level.
  const node = options.tokenPath === undefined ? undefined : readTokenPath(body, options.tokenPath, options.profile);
  const holder = options.tokenPath === undefined ? body : node?.parent;
  const field = (name: string): unknown => {
    const inHolder = holder !== null && typeof holder === 'object' ? (holder as Record<string, unknown>)[name] : undefined;
    return inHolder ?? body[name];
  };
  const accessToken = options.tokenPath === undefined ? body.access_token : node?.value;
  const idToken = field('id_token');
  if (typeof accessToken !== 'string' && typeof idToken !== 'string') {
    const where = options.tokenPath === undefined ? '"access_token"' : `"${options.tokenPath}"`;
    throw createAuthError(
      options.profile,
      'Invalid token response',
      `${options.what} to ${describeEndpoint(options.endpoint)} returned no token at ${where}`,
      { code: ErrorCode.AUTH_NO_TOKEN },
    );
  }
  const tokens: TokenSet = { obtainedAt: options.now };
  if (typeof accessToken === 'string') tokens.accessToken = accessToken;
  if (typeof idToken === 'string') tokens.idToken = idToken;
  const refreshToken = field('refresh_token');
  if (typeof refreshToken === 'string' && refreshToken !== '') tokens.refreshToken = refreshToken;
  const tokenType = field('token_type');
  if (typeof tokenType === 'string') tokens.tokenType = tokenType;
  const scope = field('scope');
  if (typeof scope === 'string') tokens.scope = scope;
  const expiresAt = computeExpiresAt(field('expires_in'), tokens.accessToken ?? tokens.idToken, options.now);
  if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
  return tokens;
}
