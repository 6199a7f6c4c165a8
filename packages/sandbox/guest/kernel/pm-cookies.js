/**
 * `pm.cookies` (get / has / toObject / all / count) and `pm.cookies.jar()` working on the cookies
 * the engine passed for the request's URL; jar writes (set / unset / clear) are visible to the same
 * script at once and reported in the outcome (`cookieWrites`) for the engine's cookie jar.
 * `pm.response.cookies`: a `CookieList` of the response's Set-Cookie headers, parsed on first read.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-cookies/
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.2
 */
/** One Set-Cookie value (RFC 6265 §5.2) as Postman's Cookie shape; undefined when it has no name=value pair. */
function parseSetCookie(header) {
  const parts = String(header).split(';');
  const pair = parts[0];
  const eq = pair.indexOf('=');
  if (eq < 0) return undefined;
  const cookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    httpOnly: false,
    secure: false,
    hostOnly: true,
    session: true,
  };
  if (cookie.name === '') return undefined;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    const at = part.indexOf('=');
    const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : part.slice(at + 1).trim();
    if (key === 'domain' && value !== '') {
      cookie.domain = value.replace(/^\./, '').toLowerCase();
      cookie.hostOnly = false;
    } else if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'expires') {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) {
        cookie.expires = date;
        cookie.session = false;
      }
    } else if (key === 'max-age' && /^-?\d+$/.test(value)) {
      cookie.maxAge = Number(value);
      cookie.session = false;
    } else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite' && value !== '') cookie.sameSite = value;
  }
  return cookie;
}
/** Cookies of Set-Cookie headers; a header folded into one line with commas is split between cookies. */
function parseSetCookieHeaders(items) {
  const cookies = [];
  for (const item of items) {
    if (item.disabled || item.key.toLowerCase() !== 'set-cookie') continue;
    for (const line of String(item.value).split(/,(?=\s*[^;,=\s]+=)/)) {
      const cookie = parseSetCookie(line);
      if (cookie !== undefined) cookies.push(cookie);
    }
  }
  return cookies;
}
/**
 * A PropertyList of cookies keyed by name (case-sensitive); the last cookie of a name wins, as in a jar.
 * @extends {PropertyList<Cookie>}
 */
class CookieList extends PropertyList {
  /** @param {unknown} name */
  _find(name) {
    name = String(name);
    for (let i = this._items.length - 1; i >= 0; i--) if (this._items[i].name === name) return this._items[i];
    return undefined;
  }
  toObject() {
    /** @type {Record<string, string>} */
    const out = {};
    for (const cookie of this._items) out[cookie.name] = cookie.value;
    return out;
  }
  toString() {
    return this._items.map((c) => c.name + '=' + c.value).join('; ');
  }
}
function recordCookieWrite(write) {
  if (run === null) return;
  if (run.cookieWrites === undefined) run.cookieWrites = [];
  run.cookieWrites.push(write);
}
function createCookies(map) {
  const has = (name) => Object.hasOwn(map, name);
  const done = (callback, error, value) => {
    if (typeof callback === 'function') callback(error, value);
  };
  const toUrl = (url) => (url === undefined || url === null ? '' : String(url));
  const missingUrl = (callback) => done(callback, new TypeError('pm.cookies.jar: a URL is required'));
  const all = () => Object.keys(map).map((name) => ({ name, value: map[name] }));
  /**
   * The run's cookie jar for `url` (as postman-sandbox's jar reads it, whatever the request), with
   * this script's own jar writes for that URL applied; then `use(cookies)`. Without a host jar (a
   * context that has none), the cookies the script was given.
   */
  const readJar = (url, callback, use) => {
    if (toUrl(url) === '') return missingUrl(callback);
    if (run === null || run.ctx.hasCookieJar !== true) return done(callback, null, use(Object.assign({}, map)));
    const writes = run.cookieWrites === undefined ? [] : run.cookieWrites.slice();
    promiseThen.call(
      host.cookieJar(toUrl(url)),
      (json) => {
        const cookies = JSON.parse(json);
        for (const write of writes) {
          if (write.url !== toUrl(url)) continue;
          if (write.name === undefined) for (const name of Object.keys(cookies)) delete cookies[name];
          else if (write.value === undefined) delete cookies[write.name];
          else cookies[write.name] = write.value;
        }
        try {
          done(callback, null, use(cookies));
        } catch (thrown) {
          recordError(thrown);
        }
      },
      (error) => {
        try {
          done(callback, error);
        } catch (thrown) {
          recordError(thrown);
        }
      },
    );
  };
  const jar = {
    get: (url, name, callback) => readJar(url, callback, (cookies) => (Object.hasOwn(cookies, name) ? cookies[name] : undefined)),
    getAll: (url, callback) => readJar(url, callback, (cookies) => Object.keys(cookies).map((key) => ({ name: key, value: cookies[key] }))),
    set: (url, name, value, callback) => {
      if (name && typeof name === 'object') {
        callback = value;
        value = name.value;
        name = name.name;
      }
      if (typeof value === 'function' && callback === undefined) {
        callback = value;
        value = '';
      }
      if (toUrl(url) === '') return missingUrl(callback);
      const cookie = { name: String(name), value: value === undefined || value === null ? '' : String(value) };
      map[cookie.name] = cookie.value;
      recordCookieWrite({ url: toUrl(url), name: cookie.name, value: cookie.value });
      done(callback, null, cookie);
    },
    unset: (url, name, callback) => {
      if (toUrl(url) === '') return missingUrl(callback);
      delete map[name];
      recordCookieWrite({ url: toUrl(url), name: String(name) });
      done(callback, null);
    },
    clear: (url, callback) => {
      if (toUrl(url) === '') return missingUrl(callback);
      for (const name of Object.keys(map)) delete map[name];
      recordCookieWrite({ url: toUrl(url) });
      done(callback, null);
    },
  };
  const cookies = {
    get: (name) => (has(name) ? map[name] : undefined),
    has: (name, value) => has(name) && (value === undefined || map[name] === value),
    toObject: () => Object.assign({}, map),
    all,
    count: () => Object.keys(map).length,
    jar: () => jar,
  };
  // The rest of Postman's CookieList (one, idx, each, filter, map, find, toString…), over the cookies as they are now.
  for (const proto of [PropertyList.prototype, CookieList.prototype]) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key.startsWith('_') || Object.hasOwn(cookies, key)) continue;
      // The items are { name, value }: what a CookieList reads of a cookie.
      cookies[key] = (...args) => new CookieList(/** @type {Cookie[]} */ (/** @type {unknown} */ (all())))[key](...args);
    }
  }
  return cookies;
}
