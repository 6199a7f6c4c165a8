/**
 * @sortie/http — the HTTP layer on undici: one keep-alive Agent, interceptors composed over it,
 * body encoding and URL building.
 */
export { buildUrl, type QueryParams, type QueryValue } from './build-url.js';
export { type EncodeBodyOptions, type EncodedBody, encodeBody } from './encode-body.js';
export { createHttpClient, type HttpClient, type HttpClientOptions } from './http-client.js';
export type { RedirectContext, RedirectDispatchOptions } from './redirect-handler.js';
export { createRedirectInterceptor } from './redirect-interceptor.js';
