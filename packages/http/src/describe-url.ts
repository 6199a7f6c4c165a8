/**
 * URL text that is safe to show: no userinfo (a password in a URL must never reach a message or report).
 */

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i;

/** Removes `user:password@` from a URL string (also from strings that do not parse as URLs). */
export function stripUserinfo(url: string): string {
  return url.replace(USERINFO, '$1');
}

/** The host and port a URL connects to, e.g. `example.com:443`. */
export function describeHostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}
