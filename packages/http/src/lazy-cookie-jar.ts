/**
 * The client's cookie jar, loading tough-cookie (and its public-suffix list, ~240 kB of code) only when a
 * first cookie is stored: a run whose servers set no cookie never loads it, which is most of what a
 * one-request run would spend on cookies at start-up. Until then the jar is empty, so a request needs no
 * Cookie header; while it loads (after a first Set-Cookie), readers wait for it (see `settled`).
 */
import type { CookieStore } from './cookie-jar.js';
import type { CookieFileEntry } from './netscape-cookie-file.js';

export class LazyCookieJar implements CookieStore {
  #jar: CookieStore | undefined;
  #loading: Promise<CookieStore> | undefined;
  /** Set-Cookie values received while tough-cookie loads, stored in order once it is there. */
  readonly #pending: Array<{ url: string; setCookies: readonly string[] }> = [];
  /** Cookie-file entries (--cookie-jar) given before tough-cookie is there, imported first once it is. */
  readonly #pendingEntries: CookieFileEntry[] = [];

  /** The loaded jar (loading it if needed): for writers that go on reading what they wrote. */
  load(): Promise<CookieStore> {
    this.#loading ??= import('./cookie-jar.js').then(({ createCookieStore }) => {
      const jar = createCookieStore();
      jar.importEntries(this.#pendingEntries.splice(0));
      for (const { url, setCookies } of this.#pending.splice(0)) jar.storeSetCookies(url, setCookies);
      this.#jar = jar;
      return jar;
    });
    return this.#loading;
  }

  /**
   * Undefined when the jar can be read now (nothing stored yet, or loaded); otherwise a promise that
   * resolves once every cookie received so far is in the jar.
   */
  settled(): Promise<CookieStore> | undefined {
    return this.#jar === undefined ? this.#loading : undefined;
  }

  /** Only when `settled()` is undefined: a jar still loading would miss the cookies received meanwhile. */
  readCookieHeader(url: string): string {
    return this.#jar?.readCookieHeader(url) ?? '';
  }

  storeSetCookies(url: string, setCookies: readonly string[]): void {
    if (this.#jar !== undefined) {
      this.#jar.storeSetCookies(url, setCookies);
      return;
    }
    this.#pending.push({ url, setCookies: [...setCookies] });
    void this.load().catch(() => {
      // Reported to the next reader, which awaits the same promise.
    });
  }

  /** Only when `settled()` is undefined (see readCookieHeader). */
  readCookies(url: string): Record<string, string> {
    return this.#jar?.readCookies(url) ?? {};
  }

  importEntries(entries: readonly CookieFileEntry[]): void {
    if (this.#jar !== undefined) {
      this.#jar.importEntries(entries);
      return;
    }
    this.#pendingEntries.push(...entries);
    void this.load().catch(() => {
      // Reported to the next reader, which awaits the same promise.
    });
  }

  /** Only when `settled()` is undefined (see readCookieHeader). */
  exportEntries(): CookieFileEntry[] {
    return this.#jar?.exportEntries() ?? [];
  }
}
