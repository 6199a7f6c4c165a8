/**
 * The proxied base dispatcher, loaded only when a client has a proxy (it pulls in undici's ProxyAgent).
 */
import type { buildConnector, Dispatcher } from 'undici';
import connectApi from 'undici/lib/api/api-connect.js';
import ClientImpl from 'undici/lib/dispatcher/client.js';
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import { MAX_RESPONSE_HEADER_BYTES } from './limits.js';
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

/**
 * The connections to one origin (or to the proxy, for absolute-URI requests), as undici's Agent makes
 * them, with the header limit: undici's proxy wrapper builds its client from `{ connect }` alone, so the
 * limit reaches it only through this factory.
 */
function createOriginDispatcher(origin: string | URL, options: { connections?: number | null }): Dispatcher {
  const withLimit = { ...options, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES };
  return options.connections === 1 ? new ClientImpl(origin, withLimit) : new PoolImpl(origin, withLimit);
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
  return new EnvHttpProxyAgent({
    httpProxy: proxy.httpProxy,
    httpsProxy: proxy.httpsProxy,
    noProxy: proxy.noProxy,
    connect: options.connect,
    connections: options.connections,
    allowH2: options.allowH2,
    maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
    factory: createOriginDispatcher,
    requestTls: { ...options.requestTls, allowH2: options.allowH2 },
    proxyTls: options.proxyTls,
    proxyTunnel: false,
  });
}
