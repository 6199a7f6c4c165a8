/**
 * The cookie jar of a client, on tough-cookie (loaded only when a client has a cookie to keep: lazy-cookie-store.ts).
 */
import { Cookie, CookieJar } from 'tough-cookie';
import type { CookieFileEntry } from './netscape-cookie-file.js';

/** A cookie the jar has just stored from a response's Set-Cookie (for whoever must treat it as a secret). */
export interface StoredCookie {
  name: string;
  value: string;
  httpOnly: boolean;
  secure: boolean;
}

/** Told of every cookie the jar stores from a Set-Cookie header, when it stores it (whatever its Path). */
export type CookieStoredListener = (cookie: StoredCookie) => void;

/** What the cookie interceptor and `HttpClient.cookiesFor` need from a jar. */
export interface CookieStore {
  /** The Cookie header value for a request to `url` ('' when no cookie matches). */
  readCookieHeader(url: string): string;
  /** Stores the Set-Cookie header values of a response from `url`; malformed or rejected cookies are skipped. */
  storeSetCookies(url: string, setCookies: readonly string[]): void;
  /** Name → value of the cookies a request to `url` would send (the first of equal names, as sent). */
  readCookies(url: string): Record<string, string>;
  /**
   * Removes the cookies named `name` (every cookie when absent) that a request to `url` would send, whatever their
   * Path and Domain (`pm.cookies.jar().unset/clear`).
   */
  removeCookies(url: string, name?: string): void;
  /** Adds cookies read from a cookie file; expired ones are dropped. */
  importEntries(entries: readonly CookieFileEntry[]): void;
  /** Every cookie in the jar that has not expired, in the order stored. */
  exportEntries(): CookieFileEntry[];
}

/**
 * Whether a Set-Cookie names `Domain=localhost` for a response from another host (`api.localhost`, `127.0.0.1`).
 * `localhost` is a special-use name (RFC 6761 §6.3), a public suffix to cookies: RFC 6265 §5.3 step 5 ignores such
 * a cookie unless the request host is the domain itself. tough-cookie stored it, then sent it to `localhost` but
 * never back to the host that set it; curl (with its public suffix list) and browsers refuse it. From `localhost`
 * itself it is kept, as curl keeps it (sent to `localhost`, written `.localhost` in a cookie file).
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.3
 */
function setsLocalhostFromElsewhere(header: string, url: string): boolean {
  if (!/localhost/i.test(header)) return false;
  // The last non-empty Domain attribute is the one that counts (RFC 6265 §5.2.3, §5.3 step 3); a leading dot is ignored.
  let domain = '';
  for (const [, value = ''] of header.matchAll(/;\s*domain\s*=([^;]*)/gi)) if (value.trim() !== '') domain = value.trim();
  return domain.replace(/^\./, '').toLowerCase() === 'localhost' && new URL(url).hostname.toLowerCase() !== 'localhost';
}

/**
 * Creates an in-memory jar with RFC 6265 rules: Domain and Path matching, Secure cookies only over https
 * (and to localhost/loopback, as browsers do), HttpOnly cookies sent (this is an HTTP client), expiry by
 * Expires/Max-Age, cookies for public suffixes rejected (`Domain=localhost` too, unless `localhost` set it). SameSite is not enforced: there is no "site" in a test run.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.3
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.4
 */
export function createCookieStore(onStored?: CookieStoredListener): CookieStore {
  const jar = new CookieJar(undefined, { rejectPublicSuffixes: true, looseMode: false, allowSecureOnLocal: true });
  // Until a first cookie is stored the jar is empty: reading it (tens of µs per request in
  // tough-cookie's domain and path matching) is skipped. Once set, it stays set.
  let stored = false;
  return {
    readCookieHeader: (url) => (stored ? jar.getCookieStringSync(url) : ''),
    storeSetCookies(url, setCookies) {
      for (const header of setCookies) {
        if (setsLocalhostFromElsewhere(header, url)) continue;
        const cookie = jar.setCookieSync(header, url, { ignoreError: true });
        if (cookie === undefined) continue;
        stored = true;
        onStored?.({ name: cookie.key, value: cookie.value, httpOnly: cookie.httpOnly, secure: cookie.secure });
      }
    },
    removeCookies(url, name) {
      if (!stored) return;
      for (const cookie of jar.getCookiesSync(url)) {
        if (name !== undefined && cookie.key !== name) continue;
        // The same name, Domain and Path replace the stored cookie (RFC 6265 §5.3 step 11); Max-Age=0 expires it.
        const domain = cookie.hostOnly === true ? '' : `; Domain=${cookie.domain}`;
        jar.setCookieSync(`${cookie.key}=; Path=${cookie.path}${domain}; Max-Age=0`, url, { ignoreError: true });
      }
    },
    readCookies(url) {
      const cookies: Record<string, string> = {};
      if (!stored) return cookies;
      for (const cookie of jar.getCookiesSync(url)) if (!(cookie.key in cookies)) cookies[cookie.key] = cookie.value;
      return cookies;
    },
    importEntries(entries) {
      const now = Date.now();
      for (const entry of entries) {
        if (entry.expires !== 0 && entry.expires * 1000 <= now) continue;
        const cookie = new Cookie({
          key: entry.name,
          value: entry.value,
          path: entry.path,
          secure: entry.secure,
          httpOnly: entry.httpOnly,
          expires: entry.expires === 0 ? 'Infinity' : new Date(entry.expires * 1000),
        });
        // A Domain cookie is stored as one (sent to subdomains); without Domain it is host-only.
        if (entry.includeSubdomains) cookie.domain = entry.domain;
        const url = `${entry.secure ? 'https' : 'http'}://${entry.domain.includes(':') ? `[${entry.domain}]` : entry.domain}${entry.path}`;
        if (jar.setCookieSync(cookie, url, { ignoreError: true }) !== undefined) stored = true;
      }
    },
    exportEntries() {
      const now = Date.now();
      const entries: CookieFileEntry[] = [];
      for (const cookie of jar.serializeSync()?.cookies ?? []) {
        const expires =
          cookie.expires === undefined || cookie.expires === 'Infinity' || cookie.expires === null ? 0 : Date.parse(String(cookie.expires));
        if (expires !== 0 && expires <= now) continue;
        entries.push({
          domain: String(cookie.domain ?? ''),
          includeSubdomains: cookie.hostOnly !== true,
          path: String(cookie.path ?? '/'),
          secure: cookie.secure === true,
          httpOnly: cookie.httpOnly === true,
          expires: Math.floor(expires / 1000),
          name: String(cookie.key ?? ''),
          value: String(cookie.value ?? ''),
        });
      }
      return entries;
    },
  };
}
