/**
 * A client's cookie jar that loads tough-cookie (cookie-jar.ts, with the public suffix list: ~240 kB
 * of code, ~10 ms of a one-request run's start) only when there is a cookie to keep: a run whose
 * responses set none, and that imports none, never loads it.
 *
 * Until the jar is loaded it holds no cookie, so it sends none. A response's Set-Cookie headers wait
 * in order while the jar loads (from then on, `loading` is true), and everything that reads the jar
 * waits for `load()` first: the cookie interceptor before it sends a request or a redirect hop, the
 * client's cookie functions before they answer. So a cookie is sent on the next request or hop
 * exactly as with a jar loaded from the start.
 */
import type { CookieStore, CookieStoredListener } from './cookie-jar.js';
import type { CookieFileEntry } from './netscape-cookie-file.js';

export class LazyCookieStore implements CookieStore {
  #store: CookieStore | undefined;
  #loading: Promise<void> | undefined;
  /** Set-Cookie headers received before the jar was loaded: URL and header values, in order. */
  #waiting: Array<[string, string[]]> = [];
  readonly #onStored: CookieStoredListener | undefined;

  constructor(onStored?: CookieStoredListener) {
    this.#onStored = onStored;
  }

  /** True while Set-Cookie headers wait for the jar: nothing may read it before `load()` resolves. */
  get loading(): boolean {
    return this.#waiting.length > 0;
  }

  /** Loads the jar (once) and stores the waiting Set-Cookie headers in the order they came. */
  load(): Promise<void> {
    this.#loading ??= import('./cookie-jar.js').then(({ createCookieStore }) => {
      const store = createCookieStore(this.#onStored);
      for (const [url, setCookies] of this.#waiting) store.storeSetCookies(url, setCookies);
      this.#waiting = [];
      this.#store = store;
    });
    return this.#loading;
  }

  readCookieHeader(url: string): string {
    return this.#store?.readCookieHeader(url) ?? '';
  }

  storeSetCookies(url: string, setCookies: readonly string[]): void {
    if (this.#store !== undefined) {
      this.#store.storeSetCookies(url, setCookies);
      return;
    }
    this.#waiting.push([url, [...setCookies]]);
    // Started now, so the jar is usually ready before the next request; a failure reaches whoever awaits `load()`.
    this.load().catch(() => {});
  }

  readCookies(url: string): Record<string, string> {
    return this.#store?.readCookies(url) ?? {};
  }

  removeCookies(url: string, name?: string): void {
    this.#store?.removeCookies(url, name);
  }

  /** Adds cookies read from a cookie file: `load()` must have resolved. */
  importEntries(entries: readonly CookieFileEntry[]): void {
    if (this.#store === undefined) throw new Error('LazyCookieStore.importEntries before load()');
    this.#store.importEntries(entries);
  }

  exportEntries(): CookieFileEntry[] {
    return this.#store?.exportEntries() ?? [];
  }
}
