/**
 * The redirect interceptor: follows redirects of requests dispatched with `maxRedirects`.
 */
import type { Dispatcher } from 'undici';
import { type RedirectDispatchOptions, RedirectHandler } from './redirect-handler.js';

/**
 * Creates an undici interceptor that follows redirects for requests whose dispatch options carry
 * `maxRedirects` (requests without it pass straight through). Every hop is dispatched again through the
 * interceptors below this one, so per-hop features (cookies, timing) see each request.
 *
 * @see https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatchercomposeinterceptors-interceptor
 */
export function createRedirectInterceptor(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function redirectInterceptor(options: RedirectDispatchOptions, handler) {
      // undici ignores options it does not know, so a request that does not follow redirects passes as is.
      if (options.maxRedirects === undefined) return dispatch(options, handler);
      const { maxRedirects, credentialHeaders, resignHop, ...rest } = options;
      return dispatch(rest, new RedirectHandler(dispatch, rest, maxRedirects, handler, credentialHeaders, resignHop));
    };
}
