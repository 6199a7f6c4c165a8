/**
 * Where a request written down or recorded elsewhere (a HAR entry, a curl command, a Postman
 * collection) holds a credential: the names of headers, query parameters and cookies that do, and
 * the parts of an Authorization header. The importers write such values as declared secrets, never
 * as text; one set of names, so that every import finds the same credentials.
 */
import { SECRET_NAME_PATTERN } from './assertion-schema.js';

/** Header names whose value is a credential: `X-API-Key`, `Api-Key`, `X-Auth-Token`, `X-Access-Token`, `Token`, `…-Secret`, `X-Session-Id`. */
const CREDENTIAL_HEADER =
  /^(x-)?(api[-_]?key|auth[-_]?token|access[-_]?token|token|secret)$|(^|-)(api[-_]?key|token|secret|session|session[-_]?id)$/i;
/** Query parameter names whose value is a credential (besides those {@link SECRET_NAME_PATTERN} finds); `X-Amz-Signature` too. */
const CREDENTIAL_PARAMETER =
  /^(api[-_]?key|apikey|key|access[-_]?token|token|secret|client[-_]?secret|sig|signature|password)$|[-_](sig|signature)$/i;
/** Cookie names of sessions and tokens. */
const SESSION_COOKIE = /sess|sid|auth|jwt|csrf|xsrf|token|secret|login/i;

/** Whether a header of this name (other than Authorization and Cookie) carries a credential. */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/** Whether a query parameter of this name carries a credential (`api_key`, `token`, `sig`, `client_secret`…). */
export function isCredentialQueryParameter(name: string): boolean {
  return CREDENTIAL_PARAMETER.test(name) || SECRET_NAME_PATTERN.test(name);
}

/** Whether a cookie of this name is a session or token cookie. */
export function isSessionCookie(name: string): boolean {
  return SESSION_COOKIE.test(name);
}

/**
 * An Authorization (or Proxy-Authorization) header value as its scheme and credentials:
 * `Bearer abc` → `Bearer`, `abc`. A value of one word is all credentials (`scheme` empty).
 */
export function splitAuthorization(value: string): { scheme: string; credentials: string } {
  const words = value.trim().split(/\s+/);
  if (words.length < 2) return { scheme: '', credentials: words[0] ?? '' };
  return { scheme: words[0]!, credentials: words.slice(1).join(' ') };
}

/** Authorization schemes whose credentials follow in the same value (RFC 9110 §11.4, and the common ones). */
const CREDENTIAL_VALUE = /^(bearer|basic|digest|token|negotiate|ntlm|hawk|aws4-hmac-sha256)\s+\S{8,}/i;
/** A JSON Web Token (RFC 7519 §3: base64url header `{"…` , payload and signature, dot-separated). */
const JWT_VALUE = /^eyJ[\w-]{8,}\.[\w-]+\.[\w-]*$/;

/**
 * Whether a value is a credential whatever the name it is kept under: an Authorization header value
 * (`Bearer …`, `Basic …`) or a JWT. A script that stores `'Bearer ' + token` in `auth` stores a secret.
 */
export function isCredentialValue(value: string): boolean {
  const trimmed = value.trim();
  return CREDENTIAL_VALUE.test(trimmed) || JWT_VALUE.test(trimmed);
}
