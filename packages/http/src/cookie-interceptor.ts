/**
 * The cookie interceptor: sends the jar's cookies with every request and stores the Set-Cookie headers of
 * every response, redirect hops included (it sits below the redirect interceptor).
 */
import type { Dispatcher } from 'undici';
import type { CookieStore } from './cookie-jar.js';
import type { LazyCookieStore } from './lazy-cookie-store.js';

type ResponseHeaders = Record<string, string | string[] | undefined>;

/** The name of each `name=value` pair of a Cookie header. */
function readCookieNames(header: string): Set<string> {
  const names = new Set<string>();
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    names.add((at === -1 ? pair : pair.slice(0, at)).trim());
  }
  return names;
}

/**
 * Merges the jar's cookies into a request's Cookie header: cookies the request sets itself are kept as
 * written and win over jar cookies of the same name; jar cookies follow them.
 */
export function mergeCookieHeader(userCookie: string | undefined, jarCookie: string): string {
  if (userCookie === undefined || userCookie.trim() === '') return jarCookie;
  if (jarCookie === '') return userCookie;
  const taken = readCookieNames(userCookie);
  const extra = jarCookie.split('; ').filter((pair) => !taken.has(pair.slice(0, pair.indexOf('=')).trim()));
  return extra.length === 0 ? userCookie : `${userCookie}; ${extra.join('; ')}`;
}

/** Returns the headers (list or object form) with every Cookie field replaced by one merged field. */
function withCookieHeader(headers: Dispatcher.DispatchOptions['headers'], jarCookie: string): string[] {
  const flat: string[] = [];
  const userCookies: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (name.toLowerCase() === 'cookie') userCookies.push(String(value));
    else flat.push(name, String(value));
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) add(String(headers[i]), headers[i + 1]);
  } else if (headers !== undefined && headers !== null) {
    const entries = Symbol.iterator in headers ? [...(headers as Iterable<[string, unknown]>)] : Object.entries(headers);
    for (const [name, value] of entries) {
      if (Array.isArray(value)) for (const item of value) add(name, item);
      else add(name, value);
    }
  }
  flat.push('cookie', mergeCookieHeader(userCookies.length === 0 ? undefined : userCookies.join('; '), jarCookie));
  return flat;
}

/** Passes a response through, storing its Set-Cookie headers first. */
class CookieHandler implements Dispatcher.DispatchHandler {
  readonly #store: CookieStore;
  readonly #url: string;
  readonly #handler: Dispatcher.DispatchHandler;

  constructor(store: CookieStore, url: string, handler: Dispatcher.DispatchHandler) {
    this.#store = store;
    this.#url = url;
    this.#handler = handler;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders, socket: never): void {
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers as never, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders, statusMessage?: string): void {
    const setCookie = headers['set-cookie'];
    if (statusCode >= 200 && setCookie !== undefined) {
      this.#store.storeSetCookies(this.#url, Array.isArray(setCookie) ? setCookie : [setCookie]);
    }
    this.#handler.onResponseStart?.(controller, statusCode, headers as never, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: ResponseHeaders): void {
    this.#handler.onResponseEnd?.(controller, trailers as never);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#handler.onResponseError?.(controller, error);
  }
}

/**
 * Creates an undici interceptor that attaches the cookies `store` holds for each request's URL and stores
 * the Set-Cookie headers of each response before the handlers above see it (so a redirect hop's cookies are
 * sent on the next hop).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.3
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.4
 */
export function createCookieInterceptor(store: LazyCookieStore): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function cookieInterceptor(options, handler) {
      if (store.loading) {
        // Set-Cookie headers wait for the jar to load (see LazyCookieStore): sent once they are stored.
        // An error then comes before any request, so without a controller, as undici reports those.
        const fail = (error: unknown) => handler.onResponseError?.(undefined as never, error as Error);
        store.load().then(() => {
          try {
            cookieInterceptor(options, handler);
          } catch (error) {
            fail(error);
          }
        }, fail);
        return true;
      }
      // origin + path, not new URL(path, origin): a path starting with // is not a host.
      const url = String(options.origin).replace(/\/$/, '') + options.path;
      const jarCookie = store.readCookieHeader(url);
      const next = jarCookie === '' ? options : { ...options, headers: withCookieHeader(options.headers, jarCookie) };
      return dispatch(next, new CookieHandler(store, url, handler));
    };
}
