/**
 * The HTTP client: a keep-alive undici Agent (or a proxy agent) with a per-host TLS connector, and
 * Sortie's interceptors composed over it in one place.
 */
import { type HttpResponse, type PreparedRequest, VERSION } from '@sortie/core';
import type { Dispatcher } from 'undici';
import { closeConnectionProbe, openConnectionProbe } from './connection-probe.js';
import { createCookieInterceptor } from './cookie-interceptor.js';
import type { CookieStoredListener } from './cookie-jar.js';
import { createDedicatedConnection, type DedicatedConnection } from './dedicated-connection.js';
import { createHeaderFoldInterceptor } from './fold-headers.js';
import { checkHeaderField, unsendableHeaderError } from './header-field.js';
import { LazyCookieStore } from './lazy-cookie-store.js';
import { MAX_RESPONSE_HEADER_BYTES } from './limits.js';
import type { CookieFileEntry } from './netscape-cookie-file.js';
import { parseHttpUrl } from './parse-http-url.js';
import { type ProxySetting, type ResolvedProxy, resolveProxy } from './proxy-settings.js';
import type { FlatHeaders, RedirectDispatchOptions, ResignHop } from './redirect-handler.js';
import { createRedirectInterceptor } from './redirect-interceptor.js';
import { type CollectResponseOptions, collectResponse } from './response-collector.js';
import { buildTlsConnector, type ClientCertificateOptions, type HostCaOptions, TlsProfiles } from './tls-connector.js';
import { Agent } from './undici-core.js';

/** Options of {@link createHttpClient}. Certificates and keys are file *contents*: the caller reads the files. */
export interface HttpClientOptions {
  /** Skip TLS certificate verification (default false). */
  insecure?: boolean;
  /** Extra CA certificates (PEM text) for every host, added to Node's default roots (default none). */
  ca?: string[];
  /** Extra CA certificates (PEM text) for one host (`host` or `host:port`) each (default none). */
  hostCa?: HostCaOptions[];
  /**
   * Client certificates for mutual TLS, PEM `cert` + `key` or PKCS#12 `pfx`, each with an optional `passphrase`
   * and `host` (default none). Validated when the client is created: a bad entry is an INVALID_INPUT SortieError.
   */
  clientCertificates?: ClientCertificateOptions[];
  /** Max connections per origin (default 64). */
  connections?: number;
  /**
   * Offer HTTP/2 (ALPN `h2`) on TLS connections by default (default false); a request's `http2` overrides it.
   * Plain `http:` always uses HTTP/1.1.
   */
  http2?: boolean;
  /**
   * Proxy: a URL, `{ url, noProxy }`, or `false` for none. Default (undefined): `HTTP_PROXY`, `HTTPS_PROXY` and
   * `NO_PROXY` of `env` (lower-case names first), never for localhost / 127.0.0.1 / [::1]. `http:` goes to the
   * proxy as absolute-URI requests, `https:` through CONNECT. Through a proxy, only the client-wide `ca` and a
   * client certificate without `host` apply to the target's TLS.
   */
  proxy?: ProxySetting;
  /** Environment the proxy variables are read from (default `process.env`, read once when the client is created). */
  env?: NodeJS.ProcessEnv;
  /** Keep a cookie jar: store every response's Set-Cookie and send matching cookies (default true). */
  cookies?: boolean;
  /** Cookies the jar starts with (from a Netscape cookie file, see parseCookieFile); ignored with cookies off. */
  initialCookies?: readonly CookieFileEntry[];
  /** Told of each cookie the jar stores from a response, as it stores it (e.g. to register session cookies as secrets). */
  onCookieStored?: CookieStoredListener;
  /**
   * Keep-alive connections shared with other clients (see {@link createConnectionPool}): the client sends over
   * the pool's connections instead of opening its own, and leaves them open when it closes. Only what is
   * per connection is shared: each client keeps its own cookie jar, redirects and dedicated connections.
   * Used only when the client has no CA, client certificate or proxy of its own (its connections would
   * differ); otherwise the client has connections of its own as without a pool. Default: none.
   */
  pool?: ConnectionPool;
}

/**
 * Keep-alive connections that many clients use one after the other, as a runner agent's runs do: a
 * client per run (its own cookie jar), without a new TCP (and TLS) connection per run. Opening and
 * closing a run's connection was about a tenth of an agent's CPU for a one-request run (BENCHMARKS.md,
 * issue 13). A run's first request may so go over a connection an earlier run opened: its timings
 * then have no dns/connect/tls, as any request on a reused connection.
 */
export interface ConnectionPool {
  /** Closes the pool's connections once their requests are done. */
  close(): Promise<void>;
}

/** The pool's connections by what tells them apart (TLS verification, HTTP/2 offered, connections per origin). */
class SharedConnections implements ConnectionPool {
  readonly #bases = new Map<string, Dispatcher>();
  #closed = false;

  /**
   * The pool holds the connection probe open while it lives: its clients come and go (one per run in
   * an agent), and each first subscription and last unsubscription of a diagnostics channel changes
   * the channel object's shape, which undici's hot path reads (`hasSubscribers`) on every request.
   */
  constructor() {
    openConnectionProbe();
  }

  base(key: string, create: () => Dispatcher): Dispatcher | undefined {
    if (this.#closed) return undefined;
    let base = this.#bases.get(key);
    if (base === undefined) {
      base = create();
      this.#bases.set(key, base);
    }
    return base;
  }

  async close(): Promise<void> {
    if (!this.#closed) closeConnectionProbe();
    this.#closed = true;
    const bases = [...this.#bases.values()];
    this.#bases.clear();
    await Promise.all(bases.map((base) => base.close()));
  }
}

/** A pool of keep-alive connections for {@link HttpClientOptions.pool}. Close it when no client uses it any more. */
export function createConnectionPool(): ConnectionPool {
  return new SharedConnections();
}

/** A request for {@link HttpClient.send}: a PreparedRequest and the per-request HTTP/2 switch. */
export interface HttpRequest extends PreparedRequest {
  /** Offer HTTP/2 for this request (overrides the client's `http2`). */
  http2?: boolean;
  /**
   * Send on this dedicated connection instead of the pool (e.g. the last request of an NTLM handshake, which
   * the auth layer attaches so the engine's ordinary send goes on the connection the handshake authenticated).
   */
  connection?: DedicatedConnection;
}

/** Sends prepared requests over pooled keep-alive connections. */
export interface HttpClient {
  /**
   * Sends one request (following redirects as it asks) and resolves with the complete response. `signal`
   * cuts it on its way (an interrupted run): it then fails as `Interrupted` instead of being waited for.
   * The signal is an argument, not a field of the request: a copy of the request per send to carry it
   * (`{ ...request, signal }`) kept each copy past young-generation collections, and a 100,000-row run
   * peaked 14 MB higher (BENCHMARKS.md, session 21).
   */
  send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
  /**
   * A connection of its own to `origin` (any URL of it) for requests that must share one TCP connection, such
   * as a connection-bound handshake (NTLM). HTTP/1.1 only, one request at a time, opened on the first send.
   * It keeps the client's TLS settings (verification, CAs per host, client certificates), connection timings,
   * cookie jar and per-request redirects (hops to another origin go over the pooled connections). It differs:
   * never through a proxy, never HTTP/2, and a request to another origin is refused. Close it when done.
   */
  sendOnDedicatedConnection(origin: string): DedicatedConnection;
  /** Name → value of the cookies the jar would send to `url` (empty when cookies are off). */
  cookiesFor(url: string): Promise<Record<string, string>>;
  /**
   * Changes the jar as a script's `pm.cookies.jar()` asked: set (name and value), unset (name only)
   * or clear (neither: every cookie a request to `url` would send). Cookies are set with Path=/;
   * unset and clear remove the cookies a request to `url` would send, whatever their Path and Domain
   * (an expired cookie of Path=/ left a cookie of `Path=/api` in place). Nothing happens with cookies off.
   */
  writeCookies(writes: ReadonlyArray<{ url: string; name?: string; value?: string }>): Promise<void>;
  /** Every unexpired cookie of the jar, for a cookie file (see formatCookieFile); empty with cookies off. */
  exportCookies(): Promise<CookieFileEntry[]>;
  /** Closes every connection once in-flight requests are done. */
  close(): Promise<void>;
}

/** Sent unless the request sets its own Accept-Encoding. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
/**
 * Sent unless the request sets its own User-Agent (RFC 9110 §10.1.5), as curl, Hurl and Newman send
 * theirs: some APIs refuse a request without one (GitHub's answers 403).
 */
const USER_AGENT = `sortie/${VERSION}`;

/**
 * The interceptors every request passes through, outermost first. Redirects sit on top so that the
 * per-hop features below it see every hop: cookies, then (through a proxy) folding repeated headers.
 */
function composeInterceptors(base: Dispatcher, cookies: LazyCookieStore | undefined, proxied: boolean): Dispatcher {
  const interceptors: Dispatcher.DispatcherComposeInterceptor[] = [createRedirectInterceptor()];
  if (cookies !== undefined) interceptors.push(createCookieInterceptor(cookies));
  if (proxied) interceptors.push(createHeaderFoldInterceptor());
  // compose() wraps in array order, so the last one given is the outermost.
  return base.compose(interceptors.reverse());
}

/** Most bytes of a response body, as received and once decompressed, unless a request says otherwise (100 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

/**
 * Headers about the connection itself, which undici sets or refuses ("invalid keep-alive header"): what a
 * request gets instead of undici's words, and what to do. `Transfer-Encoding: chunked` is not among them: it
 * is honoured (see {@link chunkedBody}).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.1.1
 */
const CONNECTION_HEADERS: ReadonlyMap<string, { what: string; hint: string }> = new Map([
  [
    'expect',
    {
      what: 'an Expect header',
      hint: 'remove the header: the body is sent at once, without waiting for 100 Continue (RFC 9110 §10.1.1 lets a client do so)',
    },
  ],
  ['keep-alive', { what: 'a Keep-Alive header', hint: 'remove the header: the client keeps its connections alive itself' }],
  ['upgrade', { what: 'an Upgrade header', hint: 'remove the header: protocol upgrades (WebSocket, h2c) are not supported' }],
  [
    'transfer-encoding',
    { what: 'a Transfer-Encoding header other than chunked', hint: 'remove the header, or set it to chunked to send the body chunked' },
  ],
]);

/** The request headers as undici's flat list and whether the body goes chunked, with User-Agent and Accept-Encoding added when the request has none. */
function buildHeaders(request: PreparedRequest, method: string, url: URL): { headers: FlatHeaders; chunked: boolean } {
  const flat: FlatHeaders = [];
  let hasAcceptEncoding = false;
  let hasUserAgent = false;
  let hasAuthorization = false;
  let chunked = false;
  for (const [name, value] of request.headers) {
    checkHeaderField(name, value, method, request.url);
    if (!hasAcceptEncoding && name.length === 15 && name.toLowerCase() === 'accept-encoding') hasAcceptEncoding = true;
    else if (!hasUserAgent && name.length === 10 && name.toLowerCase() === 'user-agent') hasUserAgent = true;
    else if (!hasAuthorization && name.length === 13 && name.toLowerCase() === 'authorization') hasAuthorization = true;
    else if (name.length >= 6 && name.length <= 17 && CONNECTION_HEADERS.has(name.toLowerCase())) {
      // As curl: `Transfer-Encoding: chunked` sends the body chunked (undici frames it; RFC 9112 §7.1).
      if (name.toLowerCase() === 'transfer-encoding' && value.trim().toLowerCase() === 'chunked') {
        chunked = true;
        continue;
      }
      const { what, hint } = CONNECTION_HEADERS.get(name.toLowerCase())!;
      throw unsendableHeaderError(name, what, hint, method, request.url);
    }
    flat.push(name, value);
  }
  if (!hasUserAgent) flat.push('user-agent', USER_AGENT);
  if (!hasAcceptEncoding) flat.push('accept-encoding', ACCEPT_ENCODING);
  if (!hasAuthorization && (url.username !== '' || url.password !== '')) flat.push('authorization', basicFromUserinfo(url));
  return { headers: flat, chunked };
}

/**
 * The Basic credentials a URL's userinfo stands for, as curl, Postman and Hurl send them (RFC 9110 §4.2.4
 * deprecates userinfo in http URIs, but test collections use it): user and password percent-decoded, joined
 * with `:`, UTF-8, base64 (RFC 7617 §2). undici itself drops the userinfo.
 */
function basicFromUserinfo(url: URL): string {
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return `Basic ${Buffer.from(`${decode(url.username)}:${decode(url.password)}`, 'utf8').toString('base64')}`;
}

/**
 * The body as an iterable of unknown length, which undici sends with `Transfer-Encoding: chunked` over
 * HTTP/1.1 (as DATA frames over HTTP/2). An object, not a generator: each hop of a 307/308 redirect iterates
 * it anew.
 */
function chunkedBody(body: PreparedRequest['body']): Iterable<Uint8Array> {
  const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  return {
    *[Symbol.iterator]() {
      if (bytes !== undefined && bytes.length > 0) yield bytes;
    },
  };
}

/**
 * Sends one request through `dispatcher`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9
 */
async function sendRequest(dispatcher: Dispatcher, request: PreparedRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
  const url = parseHttpUrl(request.url);
  const method = request.method.toUpperCase();
  const hasTimeout = request.timeout > 0 && Number.isFinite(request.timeout);
  const { headers, chunked } = buildHeaders(request, method, url);
  const options: RedirectDispatchOptions = {
    origin: url.origin,
    path: url.pathname + url.search,
    method,
    headers,
    // undici sends any iterable body (lib/dispatcher/client-h1.js writeIterable); its types name only streams.
    body: chunked ? (chunkedBody(request.body) as unknown as Dispatcher.DispatchOptions['body']) : (request.body ?? null),
    maxRedirects: request.followRedirects ? request.maxRedirects : undefined,
  };
  if (request.credentialHeaders !== undefined) options.credentialHeaders = request.credentialHeaders;
  if (request.resignHop !== undefined && request.followRedirects) options.resignHop = resignHopOf(request, request.resignHop);
  // The whole-exchange timer of the collector replaces undici's per-phase ones.
  if (hasTimeout) {
    options.headersTimeout = 0;
    options.bodyTimeout = 0;
  }
  const maxResponseBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const collect: CollectResponseOptions = { method, url: request.url, timeout: request.timeout, maxResponseBytes };
  if (signal !== undefined) collect.signal = signal;
  return collectResponse(dispatcher, options, collect);
}

/** The redirect handler's {@link ResignHop} for `request`: the hop as a PreparedRequest for the auth layer to sign. */
function resignHopOf(request: HttpRequest, resign: NonNullable<PreparedRequest['resignHop']>): ResignHop {
  const { resignHop: _resign, credentialHeaders: _marked, connection: _connection, ...rest } = request;
  return async ({ method, url, headers, keepsBody }) => {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i]!, headers[i + 1]!]);
    const hop: PreparedRequest = { ...rest, method, url, headers: pairs };
    if (!keepsBody) delete hop.body;
    const signed = await resign(hop);
    return { url: signed.url, headers: signed.headers.flat() };
  };
}

/** What a client builds on its first request: the cookie jar and the base dispatchers (loaded lazily). */
interface ClientRuntime {
  cookies: LazyCookieStore | undefined;
  dispatcherFor(http2: boolean): Dispatcher;
  /** The pooled HTTP/1.1 dispatcher without interceptors. */
  baseFor(http2: boolean): Dispatcher;
  close(): Promise<void>;
}

async function loadRuntime(options: HttpClientOptions, profiles: TlsProfiles, proxy: ResolvedProxy | undefined): Promise<ClientRuntime> {
  const cookies = options.cookies === false ? undefined : new LazyCookieStore(options.onCookieStored);
  if (cookies !== undefined && options.initialCookies !== undefined) {
    await cookies.load();
    cookies.importEntries(options.initialCookies);
  }
  const proxyModule = proxy === undefined ? undefined : await import('./proxy-dispatcher.js');
  const connections = options.connections ?? 64;
  const bases = new Map<boolean, { base: Dispatcher; composed: Dispatcher; own: boolean }>();
  // A pool's connections only for a client whose connections would be like any other's: no CA, client
  // certificate or proxy of its own (TLS verification on or off is part of the pool's key).
  const pool =
    options.pool instanceof SharedConnections &&
    proxy === undefined &&
    (options.ca ?? []).length === 0 &&
    (options.hostCa ?? []).length === 0 &&
    (options.clientCertificates ?? []).length === 0
      ? options.pool
      : undefined;
  const createBase = (allowH2: boolean): Dispatcher => {
    const connect = buildTlsConnector(profiles, allowH2);
    if (proxy === undefined || proxyModule === undefined)
      return new Agent({ connections, connect, allowH2, maxHeaderSize: MAX_RESPONSE_HEADER_BYTES });
    const { profile } = profiles.selectDefault();
    const proxyTls =
      profile.ca === undefined
        ? { rejectUnauthorized: profile.rejectUnauthorized }
        : { rejectUnauthorized: profile.rejectUnauthorized, ca: profile.ca };
    return proxyModule.createProxyDispatcher(proxy, { connect, requestTls: profile, proxyTls, allowH2, connections });
  };
  const entryFor = (http2: boolean) => {
    let entry = bases.get(http2);
    if (entry === undefined) {
      const shared = pool?.base(`${options.insecure === true}|${http2}|${connections}`, () => createBase(http2));
      const base = shared ?? createBase(http2);
      entry = { base, composed: composeInterceptors(base, cookies, proxy !== undefined), own: shared === undefined };
      bases.set(http2, entry);
    }
    return entry;
  };
  return {
    cookies,
    dispatcherFor: (http2) => entryFor(http2).composed,
    baseFor: (http2) => entryFor(http2).base,
    async close() {
      // The pool's connections stay open for the next client.
      await Promise.all([...bases.values()].filter(({ own }) => own).map(({ base }) => base.close()));
    },
  };
}

/**
 * Creates a client: keep-alive undici Agents (one for HTTP/1.1 and, when a request asks for it, one offering
 * HTTP/2), TLS verification on unless `insecure`, extra CAs and client certificates per host, a proxy
 * (explicit or from the environment), a cookie jar, responses decoded (gzip/deflate/br), redirects followed
 * per request. Options are validated here (bad proxy URL or client certificate: INVALID_INPUT SortieError);
 * the dispatchers are built on the first request, so an unused client loads nothing, and tough-cookie
 * only when there is a first cookie to keep.
 *
 * @see https://undici.nodejs.org/#/docs/api/Agent
 * @see https://www.rfc-editor.org/rfc/rfc9113#section-3.2
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const profiles = new TlsProfiles(options);
  const proxy = resolveProxy(options.proxy, options.env);
  const defaultHttp2 = options.http2 === true;
  let runtime: Promise<ClientRuntime> | undefined;
  const ready = () => {
    runtime ??= loadRuntime(options, profiles, proxy);
    return runtime;
  };
  openConnectionProbe();
  let closed = false;
  const dedicated = new Set<DedicatedConnection>();
  return {
    async send(request, signal) {
      if (request.connection !== undefined) return request.connection.send(request, signal);
      const { dispatcherFor } = await ready();
      return sendRequest(dispatcherFor(request.http2 ?? defaultHttp2), request, signal);
    },
    sendOnDedicatedConnection(origin) {
      let runtimeNow: ClientRuntime | undefined;
      const connection = createDedicatedConnection({
        origin,
        connect: buildTlsConnector(profiles, false),
        fallback: () => runtimeNow!.baseFor(false),
        compose: (base) => composeInterceptors(base, runtimeNow!.cookies, false),
        send: async (dispatcher, request, signal) => sendRequest(dispatcher, request, signal),
      });
      const tracked: DedicatedConnection = {
        origin: connection.origin,
        async send(request, signal) {
          runtimeNow = await ready();
          return connection.send(request, signal);
        },
        async close() {
          dedicated.delete(tracked);
          await connection.close();
        },
      };
      dedicated.add(tracked);
      return tracked;
    },
    async cookiesFor(url) {
      if (options.cookies === false) return {};
      const { cookies } = await ready();
      if (cookies?.loading === true) await cookies.load();
      return cookies?.readCookies(url) ?? {};
    },
    async writeCookies(writes) {
      if (options.cookies === false || writes.length === 0) return;
      const { cookies } = await ready();
      if (cookies === undefined) return;
      // Writing needs the cookies already stored (an unset removes each of them): the jar, loaded.
      await cookies.load();
      for (const { url, name, value } of writes) {
        if (value !== undefined && name !== undefined) cookies.storeSetCookies(url, [`${name}=${value}; Path=/`]);
        else cookies.removeCookies(url, name);
      }
    },
    async exportCookies() {
      if (options.cookies === false) return [];
      const { cookies } = await ready();
      if (cookies?.loading === true) await cookies.load();
      return cookies?.exportEntries() ?? [];
    },
    async close() {
      if (closed) return;
      closed = true;
      closeConnectionProbe();
      await Promise.all([...dedicated].map((connection) => connection.close()));
      if (runtime !== undefined) await (await runtime).close();
    },
  };
}
