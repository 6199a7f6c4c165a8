/**
 * Which errors came from connecting to the proxy rather than to the target: the proxy dispatcher marks them,
 * so that a message names the proxy (as curl's "Failed to connect to <proxy> port <port>"), not the URL's host.
 */

/** The proxy (`host:port`) each marked error came from. Weak: errors are not kept alive by the mark. */
const proxyOfError = new WeakMap<object, string>();

/** Marks `error` as having come from connecting to the proxy at `hostPort`. */
export function markProxyError(error: unknown, hostPort: string): void {
  if (typeof error === 'object' && error !== null) proxyOfError.set(error, hostPort);
}

/** The proxy `host:port` an error (or an error it wraps, in `errors` or `cause`) came from, if it was marked. */
export function findProxyOfError(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const marked = proxyOfError.get(current);
    if (marked !== undefined) return marked;
    const { errors, cause } = current as { errors?: unknown[]; cause?: unknown };
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return undefined;
}
