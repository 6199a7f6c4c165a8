/**
 * The cookies the responses of a HAR log set, so that an import leaves them to the run's cookie jar:
 * a request that sends a cookie an earlier response of the log set for its host gets it from the
 * replayed response, fresh, instead of a secret the user would have to supply (an expired session).
 * Matching is by name and domain (RFC 6265 §5.1.3 domain-match, §5.2.3 the Domain attribute; the
 * response's host when there is none); paths are not compared, as the recorded request did send it.
 */
export class RecordedCookies {
  /** Cookie name → the domains responses set it for. */
  readonly #set = new Map<string, Set<string>>();

  /** Takes the cookies a response to `url` set: its Set-Cookie headers and HAR's `response.cookies`. */
  record(url: string, headers: unknown, cookies: unknown): void {
    const host = new URL(url).hostname.toLowerCase();
    for (const item of Array.isArray(headers) ? headers : []) {
      const header = item as { name?: unknown; value?: unknown } | null;
      if (typeof header?.name !== 'string' || header.name.toLowerCase() !== 'set-cookie' || typeof header.value !== 'string') continue;
      // Some tools join several Set-Cookie headers with newlines into one value.
      for (const line of header.value.split('\n')) this.#add(line, host);
    }
    for (const item of Array.isArray(cookies) ? cookies : []) {
      const cookie = item as { name?: unknown; domain?: unknown } | null;
      if (typeof cookie?.name !== 'string' || cookie.name === '') continue;
      this.#remember(cookie.name, typeof cookie.domain === 'string' && cookie.domain !== '' ? cookie.domain : host);
    }
  }

  /** Whether a response before set the cookie `name` for the host of `url`. */
  has(url: string, name: string): boolean {
    const domains = this.#set.get(name);
    if (domains === undefined) return false;
    const host = new URL(url).hostname.toLowerCase();
    for (const domain of domains) if (host === domain || host.endsWith(`.${domain}`)) return true;
    return false;
  }

  #add(line: string, host: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    const name = (at === -1 ? '' : pair.slice(0, at)).trim();
    if (name === '') return;
    const domain = attributes
      .map((attribute) => attribute.trim())
      .find((attribute) => /^domain=/i.test(attribute))
      ?.slice('domain='.length);
    this.#remember(name, domain === undefined || domain === '' ? host : domain);
  }

  #remember(name: string, domain: string): void {
    const normal = domain.replace(/^\./, '').toLowerCase();
    let domains = this.#set.get(name);
    if (domains === undefined) {
      domains = new Set();
      this.#set.set(name, domains);
    }
    domains.add(normal);
  }
}
