/**
 * Which proxy a client uses: an explicit setting, or HTTP_PROXY / HTTPS_PROXY / NO_PROXY.
 */
import { ErrorCode, redactUserinfo, SortieError } from '@sortie/core';

/** An explicit proxy. */
export interface ProxyOptions {
  /**
   * Proxy URL (`http://`, `https://` or `socks5://`; `http://` when it has no scheme), credentials as userinfo
   * (`http://user:pass@proxy:3128`, percent-encoded).
   */
  url: string;
  /** Hosts reached directly: `host`, `host:port`, `.domain` or `*.domain` (subdomains too), or `*` for every host. Default none. */
  noProxy?: string[];
}

/**
 * The proxy setting of a client: a URL, {@link ProxyOptions}, `false` for "never use a proxy (ignore the
 * environment)", or undefined for "use the environment".
 */
export type ProxySetting = string | ProxyOptions | false;

/** The proxies a client uses, resolved once when it is created. */
export interface ResolvedProxy {
  /** Proxy for `http:` URLs; empty: none. */
  httpProxy: string;
  /** Proxy for `https:` URLs; empty: none (`https:` is reached directly, as curl does, not through `httpProxy`). */
  httpsProxy: string;
  /** NO_PROXY list, comma-separated (empty: proxy every host). */
  noProxy: string;
}

const PROXY_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'socks5:', 'socks:']);

/** Proxy URL text safe for a message: any `user:password@` removed, with or without a scheme. */
function describeProxyUrl(url: string): string {
  return redactUserinfo(url).replace(/^[^/?#@]*@/, '');
}

/** Checks a proxy URL; a value without scheme (`proxy.corp:3128`, as curl accepts) means `http://`. */
function checkProxyUrl(url: string, source: string): string {
  if (!url.includes('://')) url = `http://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid proxy', `${source} "${describeProxyUrl(url)}" is not a valid URL`, {
      cause: error,
    });
  }
  if (!PROXY_PROTOCOLS.has(parsed.protocol)) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid proxy',
      `${source} "${describeProxyUrl(url)}" uses ${parsed.protocol}, expected http:, https: or socks5:`,
    );
  }
  return url;
}

/** Hosts that an environment proxy never applies to (as Go's ProxyFromEnvironment): a test against a local server stays local. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

function readEnv(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] ?? env[name] ?? '';
}

/**
 * Resolves the proxy of a client. An explicit setting wins over the environment entirely (its `noProxy`
 * replaces NO_PROXY); without one, `http_proxy`/`HTTP_PROXY` for `http:`, `https_proxy`/`HTTPS_PROXY` for
 * `https:`, `all_proxy`/`ALL_PROXY` for a scheme without its own, and `no_proxy`/`NO_PROXY` apply (lower
 * case first, as curl reads them; curl ignores upper-case HTTP_PROXY, Go and undici read it). A scheme
 * without a proxy is reached directly: HTTP_PROXY alone does not proxy `https:` (curl, Go, Python requests;
 * undici's EnvHttpProxyAgent alone would). Loopback hosts (localhost, 127.0.0.1, [::1]) are always reached
 * directly. Undefined: no proxy at all.
 * A malformed proxy URL is an INVALID_INPUT SortieError (the message never shows its credentials).
 *
 * @see https://undici.nodejs.org/#/docs/api/EnvHttpProxyAgent
 */
export function resolveProxy(setting: ProxySetting | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedProxy | undefined {
  if (setting === false) return undefined;
  if (typeof setting === 'string') {
    const url = checkProxyUrl(setting, 'proxy');
    return { httpProxy: url, httpsProxy: url, noProxy: '' };
  }
  if (setting !== undefined) {
    const url = checkProxyUrl(setting.url, 'proxy');
    return { httpProxy: url, httpsProxy: url, noProxy: (setting.noProxy ?? []).join(',') };
  }
  const allProxy = readEnv(env, 'ALL_PROXY');
  const httpProxy = readEnv(env, 'HTTP_PROXY');
  const httpsProxy = readEnv(env, 'HTTPS_PROXY');
  if (httpProxy === '' && httpsProxy === '' && allProxy === '') return undefined;
  const fromEnv = (value: string, name: string) =>
    value !== '' ? checkProxyUrl(value, name) : allProxy !== '' ? checkProxyUrl(allProxy, 'ALL_PROXY') : '';
  return {
    httpProxy: fromEnv(httpProxy, 'HTTP_PROXY'),
    httpsProxy: fromEnv(httpsProxy, 'HTTPS_PROXY'),
    noProxy: [readEnv(env, 'NO_PROXY'), ...LOOPBACK_HOSTS].filter((entry) => entry !== '').join(','),
  };
}
