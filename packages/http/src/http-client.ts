/**
 * The HTTP client: one keep-alive undici Agent with a timing connector, and Sortie's interceptors
 * composed over it in one place.
 */
import { rootCertificates } from 'node:tls';
import type { HttpResponse, PreparedRequest } from '@sortie/core';
import { ErrorCode, SortieError } from '@sortie/core';
import type { Dispatcher } from 'undici';
import { closeConnectionProbe, openConnectionProbe } from './connection-probe.js';
import { stripUserinfo } from './describe-url.js';
import type { FlatHeaders, RedirectDispatchOptions } from './redirect-handler.js';
import { createRedirectInterceptor } from './redirect-interceptor.js';
import { collectResponse } from './response-collector.js';
import { buildTimedConnector } from './timed-connector.js';
import { Agent } from './undici-core.js';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Skip TLS certificate verification (default false). */
  insecure?: boolean;
  /** Extra CA certificates (PEM text), added to Node's default roots. */
  ca?: string[];
  /** Max connections per origin (default 64). */
  connections?: number;
}

/** Sends prepared requests over pooled keep-alive connections. */
export interface HttpClient {
  /** Sends one request (following redirects as it asks) and resolves with the complete response. */
  send(request: PreparedRequest): Promise<HttpResponse>;
  /** Closes every connection once in-flight requests are done. */
  close(): Promise<void>;
}

/** Sent unless the request sets its own Accept-Encoding. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * The interceptors every request passes through, outermost first. Redirects sit on top so that
 * per-hop features added below it (cookies, then proxies) see every hop.
 */
function composeInterceptors(agent: Agent): Dispatcher {
  return agent.compose(createRedirectInterceptor());
}

/** The request headers as undici's flat list, with Accept-Encoding added when the request has none. */
function buildHeaders(request: PreparedRequest): FlatHeaders {
  const flat: FlatHeaders = [];
  let hasAcceptEncoding = false;
  for (const [name, value] of request.headers) {
    if (!hasAcceptEncoding && name.length === 15 && name.toLowerCase() === 'accept-encoding') hasAcceptEncoding = true;
    flat.push(name, value);
  }
  if (!hasAcceptEncoding) flat.push('accept-encoding', ACCEPT_ENCODING);
  return flat;
}

function parseRequestUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid URL', `"${stripUserinfo(url)}" is not an absolute URL`, { cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Unsupported protocol',
      `"${parsed.protocol}" is not supported, use http: or https: (${stripUserinfo(url)})`,
    );
  }
  return parsed;
}

/**
 * Sends one request through `dispatcher`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9
 */
async function sendRequest(dispatcher: Dispatcher, request: PreparedRequest): Promise<HttpResponse> {
  const url = parseRequestUrl(request.url);
  const method = request.method.toUpperCase();
  const hasTimeout = request.timeout > 0 && Number.isFinite(request.timeout);
  const options: RedirectDispatchOptions = {
    origin: url.origin,
    path: url.pathname + url.search,
    method,
    headers: buildHeaders(request),
    body: request.body ?? null,
    maxRedirects: request.followRedirects ? request.maxRedirects : undefined,
  };
  // The whole-exchange timer of the collector replaces undici's per-phase ones.
  if (hasTimeout) {
    options.headersTimeout = 0;
    options.bodyTimeout = 0;
  }
  return collectResponse(dispatcher, options, { method, url: request.url, timeout: request.timeout });
}

/**
 * Creates a client: one keep-alive Agent (HTTP/1.1, `connections` sockets per origin), TLS verification on
 * unless `insecure`, extra `ca` certificates trusted on top of Node's roots, responses decoded
 * (gzip/deflate/br), redirects followed per request.
 *
 * @see https://undici.nodejs.org/#/docs/api/Agent
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const connect = buildTimedConnector({
    rejectUnauthorized: options.insecure !== true,
    ...(options.ca !== undefined && options.ca.length > 0 ? { ca: [...rootCertificates, ...options.ca] } : {}),
    // Seam for HTTP/2: an `allowH2` option sets this and the Agent's `allowH2` together.
    allowH2: false,
  });
  const agent = new Agent({ connections: options.connections ?? 64, connect, allowH2: false });
  const dispatcher = composeInterceptors(agent);
  openConnectionProbe();
  let closed = false;
  return {
    send: (request) => sendRequest(dispatcher, request),
    async close() {
      if (closed) return;
      closed = true;
      closeConnectionProbe();
      await agent.close();
    },
  };
}
