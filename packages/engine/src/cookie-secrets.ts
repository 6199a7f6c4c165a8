/**
 * Session cookies are credentials like the Authorization header: Set-Cookie and Cookie are hidden in
 * records, and what the cookie jar sends becomes a secret once a response has set it, as a Cookie
 * header a scenario writes does when it is sent (`registerCredentialHeader`). Without this, a server
 * that echoed the Cookie header it got (`{"cookie":"sid=…"}`) showed the session in every report.
 * Registered: each `name=value` pair the jar holds for the request's URLs (what the Cookie header
 * carries, RFC 6265 §5.4) and the whole header, so an ordinary cookie (`lang=en`) hides only as that pair.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.4
 */
import type { HttpResponse, Redactor } from '@sortie/core';
import type { HttpClient } from '@sortie/http';

/** Registers the cookies the jar would send to the request's URL and to each URL the response was redirected to. */
export async function registerJarCookies(http: HttpClient, requestUrl: string, response: HttpResponse, redactor: Redactor): Promise<void> {
  const urls = new Set([requestUrl, ...response.redirects, response.url]);
  for (const url of urls) {
    const pairs = Object.entries(await http.cookiesFor(url)).map(([name, value]) => `${name}=${value}`);
    for (const pair of pairs) redactor.add(pair);
    if (pairs.length > 1) redactor.add(pairs.join('; '));
  }
}
