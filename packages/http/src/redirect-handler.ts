/**
 * Following redirects: the logic behind the redirect interceptor, one handler per request.
 *
 * Modelled on undici's RedirectHandler, with Sortie's rules: every followed URL is recorded, exceeding
 * the limit is a REDIRECT error (never a silent 3xx), and the same URL may be visited twice (APIs do
 * redirect to themselves after setting a cookie).
 */
import { ErrorCode, isSensitiveHeader, redactUserinfo, SortieError } from '@sortie/core';
import type { Dispatcher } from 'undici';

/** Dispatch options understood by the redirect interceptor. */
export interface RedirectDispatchOptions extends Dispatcher.DispatchOptions {
  /** Follow at most this many redirects; a further one is a REDIRECT error. Undefined: do not follow. */
  maxRedirects?: number;
  /** Lower-case names of the headers an auth profile set: credentials whatever their name, dropped off the origin. */
  credentialHeaders?: readonly string[];
  /** Signs a same-origin hop again (see {@link ResignHop}); without it the hop keeps the request's headers. */
  resignHop?: ResignHop;
}

/**
 * Signs a same-origin redirect hop again: receives the hop (method, absolute URL, headers without the
 * `credentialHeaders`, whether the body is kept) and resolves with the URL and headers to send.
 */
export type ResignHop = (hop: { method: string; url: string; headers: FlatHeaders; keepsBody: boolean }) => Promise<{
  url: string;
  headers: FlatHeaders;
}>;

/** What the redirect handler adds to the `onRequestStart` context of the handler it wraps. */
export interface RedirectContext {
  /** URLs followed so far, in order (the last is the URL of the current hop). Shared, grows per hop. */
  redirects: string[];
}

/** @see https://fetch.spec.whatwg.org/#redirect-status */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** @see https://fetch.spec.whatwg.org/#request-body-header-name */
const BODY_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
]);
/**
 * Whether a header is dropped when a redirect leaves the origin: every header the redactor treats as a
 * credential (Authorization, Cookie, API keys and session tokens: isSensitiveHeader), those an auth profile set
 * under any name, and Host.
 */
function leavesWithOrigin(lowerName: string, credentialHeaders: ReadonlySet<string>): boolean {
  return lowerName === 'host' || isSensitiveHeader(lowerName) || credentialHeaders.has(lowerName);
}

/** Flat `[name, value, name, value…]` header list, the form undici dispatches fastest. */
export type FlatHeaders = string[];

function filterHeaders(headers: FlatHeaders, drop: (lowerName: string) => boolean): FlatHeaders {
  const kept: FlatHeaders = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!drop(headers[i]!.toLowerCase())) kept.push(headers[i]!, headers[i + 1]!);
  }
  return kept;
}

const NON_ASCII = /[\u0080-\u00ff]/;
const NON_ASCII_ALL = /[\u0080-\u00ff]/g;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The Location field as the URL parser should read it. undici hands a field value over as Latin-1 (one
 * character per byte), but a server that puts raw non-ASCII in Location (RFC 9110 §10.2.2 wants a
 * URI-reference, so ASCII) means UTF-8: read as Latin-1, `/café` became `/caf%C3%83%C2%A9`. Bytes that are
 * UTF-8 are read as UTF-8 (as browsers do); any other byte is percent-encoded as itself (as curl does).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.5
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-2.1
 */
function readLocationBytes(location: string): string {
  if (!NON_ASCII.test(location)) return location;
  const bytes = Buffer.from(location, 'latin1');
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return location.replace(NON_ASCII_ALL, (byte) => `%${byte.charCodeAt(0).toString(16).toUpperCase()}`);
  }
}

/**
 * Wraps the handler of one request and re-dispatches it while the response is a redirect.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.4
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 */
export class RedirectHandler implements Dispatcher.DispatchHandler {
  readonly #dispatch: Dispatcher['dispatch'];
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #maxRedirects: number;
  readonly #credentialHeaders: ReadonlySet<string>;
  readonly #resignHop: ResignHop | undefined;
  readonly #redirects: string[] = [];
  #options: Dispatcher.DispatchOptions;
  #url: URL;
  /** Set while the current response is a redirect being followed: its body is skipped. */
  #following = false;
  /** Set when the next hop must be signed again before it is dispatched (same origin, signing scheme). */
  #resignNext: { keepsBody: boolean } | undefined;

  constructor(
    dispatch: Dispatcher['dispatch'],
    options: Dispatcher.DispatchOptions,
    maxRedirects: number,
    handler: Dispatcher.DispatchHandler,
    credentialHeaders: readonly string[] = [],
    resignHop?: ResignHop,
  ) {
    this.#resignHop = resignHop;
    this.#dispatch = dispatch;
    this.#options = options;
    this.#maxRedirects = maxRedirects;
    this.#credentialHeaders = new Set(credentialHeaders.map((name) => name.toLowerCase()));
    this.#handler = handler;
    this.#url = new URL(options.path, options.origin);
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    const redirectContext: RedirectContext = { redirects: this.#redirects };
    this.#handler.onRequestStart?.(controller, context === undefined ? redirectContext : { ...(context as object), ...redirectContext });
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    const next = this.#findRedirectTarget(statusCode, headers.location);
    if (next === undefined) {
      this.#following = false;
      this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
      return;
    }
    // 1. Too many redirects is an error, not the last 3xx.
    if (this.#redirects.length >= this.#maxRedirects) {
      controller.abort(
        new SortieError(
          ErrorCode.REDIRECT,
          'Too many redirects',
          `more than ${this.#maxRedirects} redirect${this.#maxRedirects === 1 ? '' : 's'} (${this.#options.method} ${redactUserinfo(this.#url.href)} → ${statusCode})`,
          { hint: 'raise maxRedirects or set followRedirects to false' },
        ),
      );
      return;
    }
    this.#options = this.#buildNextOptions(statusCode, next);
    this.#url = next;
    this.#redirects.push(redactUserinfo(next.href));
    this.#following = true;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#following) this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    if (!this.#following) {
      this.#handler.onResponseEnd?.(controller, trailers);
      return;
    }
    const resign = this.#resignNext;
    this.#resignNext = undefined;
    if (resign === undefined || this.#resignHop === undefined) {
      this.#dispatchNext(controller);
      return;
    }
    const options = this.#options;
    this.#resignHop({
      method: options.method,
      url: this.#url.href,
      headers: (options.headers as FlatHeaders | undefined) ?? [],
      ...resign,
    }).then(
      ({ url, headers }) => {
        const signed = new URL(url);
        this.#options = { ...options, path: signed.pathname + signed.search, headers };
        this.#dispatchNext(controller);
      },
      (error: unknown) => this.#handler.onResponseError?.(controller, error as Error),
    );
  }

  #dispatchNext(controller: Dispatcher.DispatchController): void {
    try {
      this.#dispatch(this.#options, this);
    } catch (error) {
      this.#handler.onResponseError?.(controller, error as Error);
    }
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#handler.onResponseError?.(controller, error);
  }

  /** The URL to follow, or undefined when this response is final (not a redirect, no usable Location). */
  #findRedirectTarget(statusCode: number, location: string | string[] | undefined): URL | undefined {
    if (!REDIRECT_STATUSES.has(statusCode) || typeof location !== 'string' || location === '') return undefined;
    let target: URL;
    try {
      target = new URL(readLocationBytes(location), this.#url);
    } catch {
      return undefined;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
    target.hash = '';
    return target;
  }

  /** The next hop's request (fetch spec "HTTP-redirect fetch", steps 11–14). */
  #buildNextOptions(statusCode: number, next: URL): Dispatcher.DispatchOptions {
    const current = this.#options;
    let { method, body } = current;
    let headers = (current.headers as FlatHeaders | undefined) ?? [];
    // 12. 301/302 turn POST into GET; 303 turns everything but HEAD into GET. The body and its headers go.
    if (
      ((statusCode === 301 || statusCode === 302) && method === 'POST') ||
      (statusCode === 303 && method !== 'GET' && method !== 'HEAD')
    ) {
      method = 'GET';
      body = null;
      headers = filterHeaders(headers, (name) => BODY_HEADERS.has(name));
    }
    // 13. Leaving the origin drops credentials (Authorization, Cookie, API keys, the auth's headers) and the Host override.
    if (next.origin !== this.#url.origin) headers = filterHeaders(headers, (name) => leavesWithOrigin(name, this.#credentialHeaders));
    else if (this.#resignHop !== undefined) {
      // A signature (SigV4, Hawk, OAuth 1.0a, Digest, EdgeGrid) covers the method, URL and often the body of the
      // request it signed: replayed to the new URL it is refused (Hawk sees a replayed nonce). Its headers go and
      // the hop is signed again, as curl does per hop.
      headers = filterHeaders(headers, (name) => this.#credentialHeaders.has(name));
      this.#resignNext = { keepsBody: body !== null && body !== undefined };
    }
    return { ...current, origin: next.origin, path: next.pathname + next.search, method, body, headers };
  }
}
