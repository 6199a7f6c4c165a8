/**
 * Session cookies are credentials like the Authorization header: Set-Cookie and Cookie are hidden in
 * records, and what the cookie jar sends becomes a secret once a response has set it, as a Cookie
 * header a scenario writes does when it is sent (`registerCredentialHeader`). Without this, a server
 * that echoed the Cookie header it got (`{"cookie":"sid=…"}`) showed the session in every report.
 * Registered: each `name=value` pair the jar holds for the request's URLs (what the Cookie header
 * carries, RFC 6265 §5.4) and the whole header, so an ordinary cookie (`lang=en`) hides only as that pair.
 * A cookie is also registered as the jar stores it ({@link registerStoredCookie}), whatever its Path: a
 * session cookie for `/app` set by a response from `/login` was a secret only once a request sent it.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.4
 */
import type { HttpResponse, Redactor } from '@sortie/core';
import type { HttpClient, StoredCookie } from '@sortie/http';

/** Names of cookies that hold a session or a credential. */
const CREDENTIAL_NAME = /sess|sid|token|auth|jwt|login|remember|secret|key|csrf|xsrf|saml|oidc/i;
/** A value this long is an identifier, not a setting such as `en-GB` or `dark`. */
const CREDENTIAL_LENGTH = 16;

/**
 * Registers a cookie the jar has just stored: its `name=value` pair always, and its bare value when the cookie
 * looks like a credential (a session-like name, a long value), so an assertion that quotes the value
 * (`expected 'sess-…' to equal …`) hides it. An ordinary cookie (`lang=en-GB`, `theme=dark`) hides only as its
 * pair, so `en-GB` and `dark` elsewhere stay readable — also when HttpOnly or Secure (RFC 6265 §4.1.2.5-6),
 * which frameworks set on settings cookies too. One or two entries per cookie: the redactor's cost per secret
 * stays flat.
 */
export function registerStoredCookie(cookie: StoredCookie, redactor: Redactor): void {
  redactor.add(`${cookie.name}=${cookie.value}`);
  if (CREDENTIAL_NAME.test(cookie.name) || cookie.value.length >= CREDENTIAL_LENGTH) {
    redactor.add(cookie.value);
  }
}

/** Registers the cookies the jar would send to the request's URL and to each URL the response was redirected to. */
export async function registerJarCookies(http: HttpClient, requestUrl: string, response: HttpResponse, redactor: Redactor): Promise<void> {
  const urls = new Set([requestUrl, ...response.redirects, response.url]);
  for (const url of urls) {
    const pairs = Object.entries(await http.cookiesFor(url)).map(([name, value]) => `${name}=${value}`);
    for (const pair of pairs) redactor.add(pair);
    if (pairs.length > 1) redactor.add(pairs.join('; '));
  }
}
