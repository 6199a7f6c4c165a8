/**
 * A dedicated connection: one keep-alive HTTP/1.1 connection to one origin, used by a sequence of
 * requests that must share it (NTLM and other connection-bound handshakes authenticate the TCP
 * connection, not the request).
 */
import type { HttpResponse, PreparedRequest } from '@sortie/core';
import { ErrorCode, redactUserinfo, SortieError } from '@sortie/core';
import type { buildConnector, Dispatcher } from 'undici';
import ClientImpl from 'undici/lib/dispatcher/client.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import { MAX_RESPONSE_HEADER_BYTES } from './limits.js';
import { parseHttpUrl } from './parse-http-url.js';

/** Requests sent one after the other on one connection; see HttpClient.sendOnDedicatedConnection. */
export interface DedicatedConnection {
  /** The origin (`scheme://host:port`) the connection goes to. */
  readonly origin: string;
  /**
   * Sends a request to the connection's origin on the connection and resolves with the complete response.
   * Rejects (NETWORK) once the server closed the connection after a first exchange: a handshake bound to it
   * cannot go on over a new one. A redirect to another origin is followed over the client's pooled connections.
   */
  send(request: PreparedRequest, signal?: AbortSignal): Promise<HttpResponse>;
  /** Closes the connection once the request in flight is done. Idempotent. */
  close(): Promise<void>;
}

/** What the HttpClient gives a dedicated connection. */
export interface DedicatedConnectionParts {
  origin: string;
  /** The client's connector (TLS profile of the host, extra CAs, client certificates, connection timings). */
  connect: buildConnector.connector;
  /** The pooled dispatcher other origins go to (redirect hops), without interceptors. */
  fallback(): Dispatcher;
  /** Wraps the routing dispatcher in the client's interceptors (redirects, cookies). */
  compose(base: Dispatcher): Dispatcher;
  /** Sends one request through a dispatcher (the client's own send logic: timeout, body, headers). */
  send(dispatcher: Dispatcher, request: PreparedRequest, signal?: AbortSignal): Promise<HttpResponse>;
}

/** Routes requests for one origin to a single-connection Client and the rest to the pooled dispatcher. */
class OriginRouter extends DispatcherImpl {
  readonly #origin: string;
  readonly #client: Dispatcher;
  readonly #fallback: () => Dispatcher;

  constructor(origin: string, client: Dispatcher, fallback: () => Dispatcher) {
    super();
    this.#origin = origin;
    this.#client = client;
    this.#fallback = fallback;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = options.origin === undefined ? this.#origin : new URL(String(options.origin)).origin;
    return (origin === this.#origin ? this.#client : this.#fallback()).dispatch(options, handler);
  }

  override close(): Promise<void> {
    return this.#client.close();
  }

  override destroy(): Promise<void> {
    return this.#client.destroy();
  }
}

/** Parses `origin` (any URL of it) into `scheme://host:port`; http and https only. */
export function parseOrigin(origin: string): string {
  return parseHttpUrl(origin).origin;
}

/**
 * Opens (lazily, on the first send) one HTTP/1.1 connection to `parts.origin` through an undici Client with
 * `pipelining: 1`, so requests go one after the other on the same socket.
 *
 * @see https://undici.nodejs.org/#/docs/api/Client
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-9.3 (persistent connections)
 */
export function createDedicatedConnection(parts: DedicatedConnectionParts): DedicatedConnection {
  const origin = parseOrigin(parts.origin);
  let connections = 0;
  let lost = false;
  let closed = false;
  let dispatcher: Dispatcher | undefined;
  let client: InstanceType<typeof ClientImpl> | undefined;
  const lostError = () =>
    new SortieError(
      ErrorCode.NETWORK,
      'Connection lost',
      `the server closed the dedicated connection to ${origin}; what was bound to it (an NTLM handshake) is lost`,
      { hint: 'the server must keep the connection alive between the requests of a handshake' },
    );
  // The connector opens the first connection only: a request after the server closed it fails instead of
  // silently going over a new connection the handshake never saw.
  const connectOnce: buildConnector.connector = (options, callback) => {
    if (connections > 0) return callback(lostError(), null);
    connections += 1;
    return parts.connect(options, callback);
  };
  const open = (): Dispatcher => {
    if (dispatcher !== undefined) return dispatcher;
    client = new ClientImpl(origin, { connect: connectOnce, pipelining: 1, allowH2: false, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES });
    client.on('disconnect', () => {
      lost = true;
    });
    dispatcher = parts.compose(new OriginRouter(origin, client, parts.fallback));
    return dispatcher;
  };
  return {
    origin,
    async send(request, signal) {
      if (closed) throw new SortieError(ErrorCode.NETWORK, 'Connection closed', `the dedicated connection to ${origin} was closed`);
      if (parseOrigin(request.url) !== origin) {
        throw new SortieError(
          ErrorCode.INVALID_INPUT,
          'Wrong origin',
          `a dedicated connection to ${origin} cannot send a request to ${redactUserinfo(request.url)}`,
        );
      }
      if (lost) throw lostError();
      return parts.send(open(), request, signal);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client?.close();
    },
  };
}
