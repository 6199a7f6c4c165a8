/**
 * @sortie/http — the HTTP layer on undici: one keep-alive Agent, interceptors composed over it (redirects,
 * cookies), per-host TLS, proxies, HTTP/2, body encoding and URL building.
 */
export { buildUrl, type QueryParams, type QueryValue } from './build-url.js';
export { mergeCookieHeader } from './cookie-interceptor.js';
export type { CookieStoredListener, StoredCookie } from './cookie-jar.js';
export { createDedicatedConnection, type DedicatedConnection, type DedicatedConnectionParts } from './dedicated-connection.js';
export { type EncodeBodyOptions, type EncodedBody, encodeBody, writtenContentType } from './encode-body.js';
export { foldRepeatedHeaders } from './fold-headers.js';
export { invalidHeaderName } from './header-field.js';
export {
  type ConnectionPool,
  createConnectionPool,
  createHttpClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
} from './http-client.js';
export { type CookieFileEntry, formatCookieFile, parseCookieFile } from './netscape-cookie-file.js';
export { parseHttpUrl } from './parse-http-url.js';
export { type ProxyOptions, type ProxySetting, type ResolvedProxy, resolveProxy } from './proxy-settings.js';
export { unreadBodyFile } from './read-body-file.js';
export type { RedirectContext, RedirectDispatchOptions } from './redirect-handler.js';
export { createRedirectInterceptor } from './redirect-interceptor.js';
export type { ClientCertificateOptions, HostCaOptions } from './tls-connector.js';
