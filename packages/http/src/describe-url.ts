/** URL text for messages. The userinfo of a URL is hidden by `redactUserinfo` of @sortie/core. */

/** The host and port a URL connects to, e.g. `example.com:443`. */
export function describeHostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}
