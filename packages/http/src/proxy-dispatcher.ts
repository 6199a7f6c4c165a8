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
import { createNoProxyMatcher, type NoProxyMatcher } from './no-proxy.js';
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
  // noProxy is decided here (no-proxy.ts: ranges and IPv6 addresses too); undici's agent proxies what it is given.
  const proxied = new EnvHttpProxyAgent({
    httpProxy: proxy.httpProxy,
    httpsProxy: proxy.httpsProxy,
    noProxy: '',
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
  const direct = new AgentImpl({
    connect: options.connect,
    connections: options.connections,
    allowH2: options.allowH2,
    maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
  });
  // EnvHttpProxyAgent sends https through the HTTP proxy when it has no HTTPS one; curl reaches it directly.
  const httpsDirect = proxy.httpsProxy === '' && proxy.httpProxy !== '';
  return new ProxyRouter(proxied, direct, createNoProxyMatcher(proxy.noProxy), httpsDirect);
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Sends a request to the proxy, or directly when its host is in noProxy (or it is https with only an HTTP proxy). */
class ProxyRouter extends DispatcherBase {
  readonly #proxied: Dispatcher;
  readonly #direct: Dispatcher;
  readonly #isDirect: NoProxyMatcher;
  readonly #httpsDirect: boolean;

  constructor(proxied: Dispatcher, direct: Dispatcher, isDirect: NoProxyMatcher, httpsDirect: boolean) {
    super();
    this.#proxied = proxied;
    this.#direct = direct;
    this.#isDirect = isDirect;
    this.#httpsDirect = httpsDirect;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = new URL(String(options.origin));
    const port = Number(origin.port) || DEFAULT_PORTS[origin.protocol] || 0;
    const direct = (this.#httpsDirect && origin.protocol === 'https:') || this.#isDirect(origin.hostname, port);
    return (direct ? this.#direct : this.#proxied).dispatch(options, handler);
  }

  override async close(): Promise<void> {
    await Promise.all([this.#proxied.close(), this.#direct.close()]);
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.#proxied.destroy(), this.#direct.destroy()]);
  }
}
