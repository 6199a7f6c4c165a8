/**
 * A connector that measures how a new connection was made: DNS lookup, TCP connect and TLS handshake.
 * It wraps undici's `buildConnector`, so TLS session caching, SNI and connect timeouts stay undici's.
 */
import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';
import { buildConnector as createConnector } from './undici-core.js';

/** How long each phase of opening a connection took, in ms. */
export interface ConnectionTimings {
  /** DNS lookup; 0 when the host is an IP address. */
  dns: number;
  /** TCP connect, after the lookup. */
  connect: number;
  /** TLS handshake, after the TCP connect (https only). */
  tls?: number;
}

/** Options of {@link buildTimedConnector}: every option of undici's `buildConnector` (TLS options included). */
export type TimedConnectorOptions = buildConnector.BuildOptions;

/** Timings of connections not yet claimed by a request. Keyed weakly: a socket that dies unclaimed leaves nothing behind. */
const unclaimed = new WeakMap<object, ConnectionTimings>();

/**
 * Returns the timings of a connection the first time it is asked for a socket and `undefined` afterwards,
 * so only the request that opened the connection reports dns/connect/tls.
 */
export function claimConnectionTimings(socket: object): ConnectionTimings | undefined {
  const timings = unclaimed.get(socket);
  if (timings !== undefined) unclaimed.delete(socket);
  return timings;
}

/** Whether `value` is a socket-like event emitter (undici's connector returns the socket it creates). */
function isSocket(value: unknown): value is Socket {
  return typeof value === 'object' && value !== null && typeof (value as Socket).once === 'function';
}

const LOCALHOST_SUBDOMAIN = /\.localhost\.?$/i;

/**
 * `*.localhost` names the loopback interface (RFC 6761 §6.3): connect to `localhost` as curl and browsers
 * do, where the system resolver (glibc) finds no such name. Only the address changes: Host, SNI and the
 * certificate check keep the name of the URL (undici takes them from `host`, not `hostname`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 */
function onLoopback(options: buildConnector.Options): buildConnector.Options {
  return LOCALHOST_SUBDOMAIN.test(options.hostname) ? { ...options, hostname: 'localhost' } : options;
}

/**
 * Builds an undici connector that records {@link ConnectionTimings} for every connection it opens.
 * Phases come from socket events: `lookup` (DNS done), `connect` (TCP done) and the connector's callback
 * (connected, or TLS handshake done for https).
 *
 * @see https://undici.nodejs.org/#/docs/api/Connector
 * @see https://nodejs.org/api/net.html#event-lookup
 */
export function buildTimedConnector(options: TimedConnectorOptions): buildConnector.connector {
  const connect = createConnector(options);
  return (requested, callback) => {
    const connectOptions = onLoopback(requested);
    const secure = connectOptions.protocol === 'https:';
    const startedAt = performance.now();
    let lookedUpAt: number | undefined;
    let tcpConnectedAt: number | undefined;
    const socket: unknown = connect(connectOptions, (error, connected) => {
      if (error === null) {
        const now = performance.now();
        const connectStart = lookedUpAt ?? startedAt;
        const tcpEnd = secure ? (tcpConnectedAt ?? connectStart) : now;
        const timings: ConnectionTimings = { dns: connectStart - startedAt, connect: tcpEnd - connectStart };
        if (secure) timings.tls = now - tcpEnd;
        unclaimed.set(connected, timings);
        callback(null, connected);
      } else {
        callback(error, null);
      }
    });
    if (isSocket(socket)) {
      socket.once('lookup', () => {
        lookedUpAt = performance.now();
      });
      if (secure) {
        socket.once('connect', () => {
          tcpConnectedAt = performance.now();
        });
      }
    }
  };
}
