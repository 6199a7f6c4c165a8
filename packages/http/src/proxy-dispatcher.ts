/**
 * The proxied base dispatcher, loaded only when a client has a proxy (it pulls in undici's ProxyAgent).
 */
import type { buildConnector, Dispatcher } from 'undici';
import connectApi from 'undici/lib/api/api-connect.js';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import ClientImpl from 'undici/lib/dispatcher/client.js';
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import { describeHostPort } from './describe-url.js';
import { MAX_RESPONSE_HEADER_BYTES } from './limits.js';
import { markProxyError } from './proxy-errors.js';
import type { ResolvedProxy } from './proxy-settings.js';
import type { TlsProfile } from './tls-connector.js';

/** Options of {@link createProxyDispatcher}. */
export interface ProxyDispatcherOptions {
  /** Connector for hosts reached directly (NO_PROXY). */
  connect: buildConnector.connector;
  /** TLS towards the target through a CONNECT tunnel (per-host profiles cannot apply there). */
  requestTls: TlsProfile;
  /** TLS towards an `https:` proxy itself. */
  proxyTls: Pick<TlsProfile, 'ca' | 'rejectUnauthorized'>;
  allowH2: boolean;
  /** Max connections per origin. */
  connections: number;
}

/**
 * ProxyAgent opens its tunnels with `Dispatcher#connect`, a method undici's index adds to every dispatcher
 * (`Object.assign(Dispatcher.prototype, api)`); the deep imports that keep our cold start cheap skip the index,
 * so add the one method ProxyAgent needs, as the index would.
 */
function installConnectApi(): void {
  const prototype = DispatcherBase.prototype as { connect?: unknown };
  if (typeof prototype.connect !== 'function') prototype.connect = connectApi;
}

/** What undici hands a dispatcher factory. */
interface FactoryOptions {
  connections?: number | null;
  connect?: buildConnector.connector | buildConnector.BuildOptions;
}

/**
 * The connections to one origin (or to the proxy, for absolute-URI requests), as undici's Agent makes
 * them, with the header limit: undici's proxy wrapper builds its client from `{ connect }` alone, so the
 * limit reaches it only through this factory.
 */
function createOriginDispatcher(origin: string | URL, options: FactoryOptions): Dispatcher {
  const withLimit = { ...options, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES };
  return options.connections === 1 ? new ClientImpl(origin, withLimit) : new PoolImpl(origin, withLimit);
}

/**
 * A connector that marks its errors as the proxy's (refused, unresolvable, unreachable, timed out, TLS with
 * an `https:` proxy), so that the message names the proxy instead of the request's host.
 */
function markingProxyErrors(connect: buildConnector.connector, proxy: URL): buildConnector.connector {
  const hostPort = describeHostPort(proxy);
  return (options, callback) =>
    connect(options, (...args) => {
      if (args[0] !== null) markProxyError(args[0], hostPort);
      callback(...args);
    });
}

/**
 * The factory of the proxy's own connections: undici hands it the proxy's connector, for tunnels (`clientFactory`)
 * and, for absolute-URI requests, with the proxy's URL as origin (`factory`); targets get their dispatcher unchanged.
 */
function createProxyAwareFactory(proxyUrls: readonly string[]) {
  const proxies = new Set(proxyUrls.filter((url) => url !== '').map((url) => new URL(url).href));
  return (origin: string | URL, options: FactoryOptions): Dispatcher => {
    const url = new URL(origin);
    if (!proxies.has(url.href) || typeof options.connect !== 'function') return createOriginDispatcher(origin, options);
    return createOriginDispatcher(origin, { ...options, connect: markingProxyErrors(options.connect, url) });
  };
}

/**
 * Creates an EnvHttpProxyAgent with every value given explicitly (so it never reads the environment again):
 * `http:` targets go to the proxy as absolute-URI requests, `https:` targets through a CONNECT tunnel, hosts
 * in `noProxy` directly.
 *
 * @see https://undici.nodejs.org/#/docs/api/EnvHttpProxyAgent
 * @see https://undici.nodejs.org/#/docs/api/ProxyAgent
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.3.6
 */
export function createProxyDispatcher(proxy: ResolvedProxy, options: ProxyDispatcherOptions): Dispatcher {
  installConnectApi();
  const proxyAware = createProxyAwareFactory([proxy.httpProxy, proxy.httpsProxy]);
  const proxied = new EnvHttpProxyAgent({
    httpProxy: proxy.httpProxy,
    httpsProxy: proxy.httpsProxy,
    noProxy: proxy.noProxy,
    connect: options.connect,
    connections: options.connections,
    allowH2: options.allowH2,
    maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
    factory: proxyAware,
    clientFactory: proxyAware,
    requestTls: { ...options.requestTls, allowH2: options.allowH2 },
    proxyTls: options.proxyTls,
    proxyTunnel: false,
  });
  if (proxy.httpsProxy !== '' || proxy.httpProxy === '') return proxied;
  // EnvHttpProxyAgent sends https through the HTTP proxy when it has no HTTPS one; curl reaches it directly.
  const direct = new AgentImpl({
    connect: options.connect,
    connections: options.connections,
    allowH2: options.allowH2,
    maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
  });
  return new SchemeRouter(proxied, direct);
}

/** Sends `https:` requests to one dispatcher (direct) and the rest to another (the HTTP proxy). */
class SchemeRouter extends DispatcherBase {
  readonly #http: Dispatcher;
  readonly #https: Dispatcher;

  constructor(http: Dispatcher, https: Dispatcher) {
    super();
    this.#http = http;
    this.#https = https;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return (String(options.origin).startsWith('https:') ? this.#https : this.#http).dispatch(options, handler);
  }

  override async close(): Promise<void> {
    await Promise.all([this.#http.close(), this.#https.close()]);
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.#http.destroy(), this.#https.destroy()]);
  }
}
