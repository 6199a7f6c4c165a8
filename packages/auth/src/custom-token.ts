/**
 * The `customToken` profile: a token request the user describes (method, URL, headers, one body), where the
 * token is in the response (JSON path, regular expression or header), when it expires, and where it goes on
 * requests. The auth-state manager caches and renews it like an OAuth token; renewing means asking again.
 */
import { createHash } from 'node:crypto';
import {
  type CustomTokenAuth,
  decodeBodyText,
  ErrorCode,
  getHeader,
  type HttpResponse,
  type PreparedRequest,
  type Redactor,
  SECRET_NAME_PATTERN,
  SENSITIVE_HEADERS,
} from '@sortie/core';
import { execPattern } from '@sortie/extract';
import { setQueryParam } from './attach-credential.js';
import { createAuthError, describeEndpoint } from './auth-error.js';
import { registerCredentialHeader } from './credential-headers.js';
import { setHeader } from './signing/request-parts.js';
import { readTokenPath } from './token-path.js';
import { DEFAULT_TOKEN_TIMEOUT_MS, type TokenRequestOptions } from './token-request.js';
import { computeExpiresAt, readNonNegativeNumber, type TokenSet } from './token-set.js';

/** Returns `custom:<name>#<16 hex digits>` from the request's method and URL (no secret goes into the hash). */
export function computeCustomTokenKey(name: string, profile: CustomTokenAuth): string {
  const identity = [profile.request.method.toUpperCase(), profile.request.url, profile.tokenPath, profile.tokenRegex, profile.tokenHeader];
  return `custom:${name}#${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16)}`;
}

/**
 * Builds the token request of the profile: `json` is sent as application/json, `form` as
 * application/x-www-form-urlencoded, `body` as given; a content-type in `headers` wins.
 */
export function buildCustomTokenRequest(profile: CustomTokenAuth, options: TokenRequestOptions = {}): PreparedRequest {
  const spec = profile.request;
  const headers: [string, string][] = Object.entries(spec.headers ?? {});
  const hasContentType = headers.some(([name]) => name.toLowerCase() === 'content-type');
  let body: string | undefined;
  let contentType: string | undefined;
  if (spec.json !== undefined) {
    body = JSON.stringify(spec.json);
    contentType = 'application/json';
  } else if (spec.form !== undefined) {
    body = new URLSearchParams(spec.form).toString();
    contentType = 'application/x-www-form-urlencoded';
  } else if (spec.body !== undefined) {
    body = spec.body;
  }
  if (contentType !== undefined && !hasContentType) headers.push(['content-type', contentType]);
  if (!headers.some(([name]) => name.toLowerCase() === 'accept')) headers.push(['accept', 'application/json, */*']);
  return {
    method: spec.method.toUpperCase(),
    url: spec.url,
    headers,
    body,
    timeout: options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
    followRedirects: false,
    maxRedirects: 0,
  };
}

/** Options of {@link processCustomTokenResponse}. */
export interface CustomTokenResponseOptions {
  /** Profile name, for messages. */
  profile: string;
  /** Epoch ms. */
  now: number;
}

/**
 * Reads the token and its expiry from the response of the token request. A non-2xx status, or no token where
 * the profile says it is, is an AUTH error (naming the place, never the body).
 */
export function processCustomTokenResponse(
  response: HttpResponse,
  profile: CustomTokenAuth,
  options: CustomTokenResponseOptions,
): TokenSet {
  const endpoint = describeEndpoint(profile.request.url);
  // A form login answers 302 (to the home page) with its session in Set-Cookie: the redirect is not followed (the
  // login's credentials would go along), and the answer is read like a 2xx one.
  if (response.status < 200 || response.status > 399) {
    throw createAuthError(options.profile, 'Token request failed', `the token request to ${endpoint} answered HTTP ${response.status}`, {
      code: ErrorCode.AUTH_OAUTH_ERROR,
      hint: 'check the request of the customToken profile (URL, credentials in its body or headers)',
    });
  }
  const text = decodeBodyText(response.body, getHeader(response.headers, 'content-type'));
  const json = parseJson(text);
  const token = readToken(response, text, json, profile, options.profile);
  if (token === undefined || token === '') {
    const location = response.status >= 300 ? getHeader(response.headers, 'location') : undefined;
    // A refused form login redirects back to its form: say where, so the user sees it was refused.
    const redirect =
      location === undefined ? '' : ` (it answered HTTP ${response.status}, a redirect to ${describeRedirect(location, profile)})`;
    throw createAuthError(
      options.profile,
      'No token',
      `the response of ${endpoint} has no token at ${describeTokenPlace(profile)}${redirect}`,
      {
        code: ErrorCode.AUTH_NO_TOKEN,
      },
    );
  }
  const tokens: TokenSet = { accessToken: token, obtainedAt: options.now };
  const expiresAt = readExpiry(json, token, profile, options);
  if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
  return tokens;
}

/** Puts the token where the profile says: a header with its prefix (default `Authorization: Bearer …`) or a query parameter. */
export function attachCustomToken(profile: CustomTokenAuth, token: string, request: PreparedRequest): PreparedRequest {
  const placement = profile.placement;
  if (placement.in === 'query') return setQueryParam(request, placement.name, token);
  return setHeader(request, placement.name, placement.prefix === '' ? token : `${placement.prefix} ${token}`);
}

/**
 * Registers the secrets of the token request: values of credential headers and of headers, form fields and JSON
 * members named like a secret (password, token, API key…), and a raw body as a whole.
 */
export function registerCustomTokenSecrets(profile: CustomTokenAuth, redactor: Redactor): void {
  for (const [name, value] of Object.entries(profile.request.headers ?? {})) {
    if (SENSITIVE_HEADERS.has(name.toLowerCase()) || SECRET_NAME_PATTERN.test(name)) registerCredentialHeader(value, redactor);
  }
  for (const [name, value] of Object.entries(profile.request.form ?? {})) if (SECRET_NAME_PATTERN.test(name)) redactor.add(value);
  registerJsonSecrets(profile.request.json, redactor);
  redactor.add(profile.request.body);
}

function registerJsonSecrets(value: unknown, redactor: Redactor): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, member] of Object.entries(value)) {
    if (typeof member === 'string' && SECRET_NAME_PATTERN.test(key)) redactor.add(member);
    else registerJsonSecrets(member, redactor);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readToken(response: HttpResponse, text: string, json: unknown, profile: CustomTokenAuth, name: string): string | undefined {
  const source = profile.tokenHeader === undefined ? text : getHeader(response.headers, profile.tokenHeader);
  if (source === undefined) return undefined;
  if (profile.tokenRegex !== undefined) {
    const match = execPattern(new RegExp(profile.tokenRegex), source);
    return match === null ? undefined : (match[1] ?? match[0]);
  }
  if (profile.tokenPath !== undefined) {
    const value = readTokenPath(json, profile.tokenPath, name)?.value;
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  }
  return source.trim();
}

/** expiresInPath (seconds), else expiresAtPath (epoch seconds or a date), else expiresInSeconds, else a JWT's exp. */
function readExpiry(json: unknown, token: string, profile: CustomTokenAuth, options: CustomTokenResponseOptions): number | undefined {
  const { profile: name, now } = options;
  if (profile.expiresInPath !== undefined) {
    const seconds = readNonNegativeNumber(readTokenPath(json, profile.expiresInPath, name)?.value);
    if (seconds !== undefined) return now + seconds * 1000;
  }
  if (profile.expiresAtPath !== undefined) {
    const value = readTokenPath(json, profile.expiresAtPath, name)?.value;
    const epoch = readNonNegativeNumber(value);
    if (epoch !== undefined) return epoch > 1e12 ? epoch : epoch * 1000;
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  }
  return computeExpiresAt(profile.expiresInSeconds, token, now);
}

function describeTokenPlace(profile: CustomTokenAuth): string {
  const where = profile.tokenHeader === undefined ? 'the body' : `header ${profile.tokenHeader}`;
  if (profile.tokenRegex !== undefined) return `/${profile.tokenRegex}/ in ${where}`;
  if (profile.tokenPath !== undefined) return `"${profile.tokenPath}"`;
  return where;
}

/** Where a redirect of the token request points, origin and path only (a query may carry secrets). */
function describeRedirect(location: string, profile: CustomTokenAuth): string {
  try {
    return describeEndpoint(new URL(location, profile.request.url).href);
  } catch {
    return 'an invalid URL';
  }
}
