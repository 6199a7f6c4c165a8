/**
 * WHATWG `URL` and `URLSearchParams` in the guest: part of the lazily loaded `url` module and the
 * lazy globals of the same names. Enough of the URL Standard for what API scripts do — parse and
 * resolve, read and set the components, percent-encode, keep `searchParams` and `search` in sync.
 * Not covered: IDNA (non-ASCII host names stay as written) and IPv4 number normalisation.
 *
 * @see https://url.spec.whatwg.org/#url-class
 * @see https://url.spec.whatwg.org/#interface-urlsearchparams
 */
const SPECIAL_PORTS = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21', 'file:': '' };
const isSpecial = (protocol) => Object.hasOwn(SPECIAL_PORTS, protocol);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function toWellFormed(text) {
  return String(text).replace(LONE_SURROGATE, '\uFFFD');
}
/** Percent-encodes one code point as UTF-8 bytes (encodeURIComponent leaves some ASCII as it is). */
function percentEncode(c) {
  const code = c.charCodeAt(0);
  return code < 0x80 ? (code < 16 ? '%0' : '%') + code.toString(16).toUpperCase() : encodeURIComponent(c);
}
/** Percent-encodes the code points matching the set, leaving everything else as it is. */
function encodeSet(text, set) {
  return toWellFormed(text).replace(set, percentEncode);
}
const C0 = '\\u0000-\\u001f\\u007f-\\u{10ffff}';
const PATH_SET = new RegExp('[' + C0 + ' "#<>?\x60{}]', 'gu');
const OPAQUE_PATH_SET = new RegExp('[' + C0 + ']', 'gu');
const QUERY_SET = new RegExp('[' + C0 + ' "#<>]', 'gu');
const SPECIAL_QUERY_SET = new RegExp('[' + C0 + ' "#<>\']', 'gu');
const FRAGMENT_SET = new RegExp('[' + C0 + ' "<>\x60]', 'gu');
const USERINFO_SET = new RegExp('[' + C0 + ' "#<>?\x60{}/:;=@\\[\\\\\\]^|]', 'gu');
/** application/x-www-form-urlencoded serialisation of one name or value. */
function encodeForm(text) {
  return encodeURIComponent(toWellFormed(text))
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}
function decodePercent(text) {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch (error) {
      const bytes = new Uint8Array(
        run
          .slice(1)
          .split('%')
          .map((h) => parseInt(h, 16)),
      );
      return new (globalThis.require('util').TextDecoder)().decode(bytes);
    }
  });
}
function decodeForm(text) {
  return decodePercent(text.replace(/\+/g, ' '));
}
function parseForm(query) {
  const list = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    list.push(eq < 0 ? [decodeForm(part), ''] : [decodeForm(part.slice(0, eq)), decodeForm(part.slice(eq + 1))]);
  }
  return list;
}
function invalidUrl(input) {
  const error = /** @type {TypeError & { code?: string }} */ (new TypeError('Invalid URL: ' + input));
  error.code = 'ERR_INVALID_URL';
  return error;
}
/** Removes "." and ".." segments; keeps a trailing slash where the last segment was one of them. */
function normalizePath(segments) {
  const out = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i].toLowerCase();
    const last = i === segments.length - 1;
    if (s === '..' || s === '.%2e' || s === '%2e.' || s === '%2e%2e') {
      out.pop();
      if (last) out.push('');
    } else if (s === '.' || s === '%2e') {
      if (last) out.push('');
    } else out.push(segments[i]);
  }
  return out;
}
function parseHost(text, special, input) {
  if (text.startsWith('[')) {
    if (!/^\[[0-9A-Fa-f:.]+\]$/.test(text)) throw invalidUrl(input);
    return text.toLowerCase();
  }
  const host = special ? decodePercent(text).toLowerCase() : encodeSet(text, OPAQUE_PATH_SET);
  if (/[\u0000\t\n\r #/:<>?@[\\\]^|]/.test(host) || (special && /%/.test(host))) throw invalidUrl(input);
  return host;
}
/** Parses "user:pass@host:port" into the record. */
function parseAuthority(record, authority, input) {
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const info = authority.slice(0, at);
    const colon = info.indexOf(':');
    record.username = encodeSet(colon < 0 ? info : info.slice(0, colon), USERINFO_SET);
    record.password = colon < 0 ? '' : encodeSet(info.slice(colon + 1), USERINFO_SET);
    authority = authority.slice(at + 1);
  }
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  if (m === null) throw invalidUrl(input);
  const special = isSpecial(record.protocol);
  if (m[1] === '' && special && record.protocol !== 'file:') throw invalidUrl(input);
  record.hostname = parseHost(m[1], special, input);
  const port = m[2] === undefined ? '' : m[2];
  if (!/^\d*$/.test(port) || (port !== '' && Number(port) > 65535)) throw invalidUrl(input);
  record.port = port === '' || String(Number(port)) === SPECIAL_PORTS[record.protocol] ? '' : String(Number(port));
}
function splitTail(record, rest, special) {
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    record.hash = encodeSet(rest.slice(hash + 1), FRAGMENT_SET);
    rest = rest.slice(0, hash);
  }
  const question = rest.indexOf('?');
  if (question >= 0) {
    record.query = encodeSet(rest.slice(question + 1), special ? SPECIAL_QUERY_SET : QUERY_SET);
    rest = rest.slice(0, question);
  }
  return rest;
}
function setPath(record, path) {
  const special = isSpecial(record.protocol);
  if (special) path = path.replace(/\\/g, '/');
  if (path === '' && !special) {
    record.path = '';
    return;
  }
  const segments = normalizePath(path.replace(/^\//, '').split('/'));
  record.path = '/' + segments.map((s) => encodeSet(s, PATH_SET)).join('/');
}
const emptyRecord = (protocol) => ({
  protocol,
  username: '',
  password: '',
  hostname: null,
  port: '',
  path: '',
  opaque: false,
  query: null,
  hash: null,
});
function parseAbsolute(input, scheme, rest, base) {
  const record = emptyRecord(scheme.toLowerCase() + ':');
  const special = isSpecial(record.protocol);
  if (special && base && base.protocol === record.protocol && !/^[/\\]/.test(rest)) return parseRelative(input, rest, base);
  if (record.protocol === 'file:') return parseFile(record, rest, input);
  const authorityStart = special ? /^[/\\]*/.exec(rest)[0].length : rest.startsWith('//') ? 2 : -1;
  if (authorityStart < 0) {
    rest = splitTail(record, rest, false);
    if (rest.startsWith('/')) setPath(record, rest);
    else {
      record.opaque = true;
      record.path = encodeSet(rest, OPAQUE_PATH_SET);
    }
    return record;
  }
  rest = splitTail(record, rest.slice(authorityStart), special);
  const end = rest.search(special ? /[/\\]/ : /\//);
  parseAuthority(record, end < 0 ? rest : rest.slice(0, end), input);
  setPath(record, end < 0 ? (special ? '/' : '') : rest.slice(end));
  return record;
}
/** file: URLs — an optional host after "//", then the path. */
function parseFile(record, rest, input) {
  rest = splitTail(record, rest, true);
  record.hostname = '';
  if (/^[/\\]{2}/.test(rest)) {
    rest = rest.slice(2);
    const end = rest.search(/[/\\]/);
    record.hostname = parseHost(end < 0 ? rest : rest.slice(0, end), true, input);
    if (record.hostname === 'localhost') record.hostname = '';
    rest = end < 0 ? '' : rest.slice(end);
  }
  setPath(record, rest === '' ? '/' : rest);
  return record;
}
function parseRelative(input, rest, base) {
  if (base.opaque) {
    if (!rest.startsWith('#')) throw invalidUrl(input);
    return Object.assign({}, base, { hash: encodeSet(rest.slice(1), FRAGMENT_SET) });
  }
  const special = isSpecial(base.protocol);
  if (/^[/\\]{2}/.test(rest) && (special || rest.startsWith('//')))
    return parseAbsolute(input, base.protocol.slice(0, -1), rest, undefined);
  const record = Object.assign({}, base, { query: null, hash: null });
  const path = splitTail(record, rest, special);
  if (path === '') {
    if (!/^[?#]/.test(rest) && rest !== '') return record;
    if (rest.startsWith('#') || rest === '') record.query = base.query;
    return record;
  }
  if (/^[/\\]/.test(path) && (special || path.startsWith('/'))) setPath(record, path);
  else setPath(record, base.path.slice(0, base.path.lastIndexOf('/') + 1) + path);
  return record;
}
function parseUrl(input, base) {
  const text = String(input)
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
    .replace(/[\t\n\r]/g, '');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(text);
  if (m !== null) return parseAbsolute(input, m[1], m[2], base);
  if (base === undefined) throw invalidUrl(input);
  return parseRelative(input, text, base);
}
function formatRecord(r) {
  let out = r.protocol;
  if (r.hostname !== null) {
    out += '//';
    if (r.username !== '' || r.password !== '') out += r.username + (r.password !== '' ? ':' + r.password : '') + '@';
    out += r.hostname + (r.port !== '' ? ':' + r.port : '');
  }
  out += r.path;
  if (r.query !== null) out += '?' + r.query;
  if (r.hash !== null) out += '#' + r.hash;
  return out;
}
class URLSearchParams {
  #list = [];
  #url = null;
  /** @param {any} [init] a query string, a URLSearchParams, pairs or a record */
  constructor(init = '') {
    if (init instanceof URLSearchParams) this.#list = init.#list.map((p) => [p[0], p[1]]);
    else if (init !== null && typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const items = Array.from(pair);
        if (items.length !== 2) throw new TypeError('URLSearchParams: each pair must have exactly two items');
        this.#list.push([toWellFormed(items[0]), toWellFormed(items[1])]);
      }
    } else if (init !== null && typeof init === 'object') {
      for (const key of Object.keys(init)) this.#list.push([toWellFormed(key), toWellFormed(init[key])]);
    } else {
      const text = String(init);
      this.#list = parseForm(text.startsWith('?') ? text.slice(1) : text);
    }
  }
  static #attach(params, url, query) {
    params.#url = url;
    params.#list = parseForm(query);
    return params;
  }
  static #reset(params, query) {
    params.#list = parseForm(query);
  }
  #update() {
    if (this.#url !== null) setQueryFromParams(this.#url, this.toString());
  }
  get size() {
    return this.#list.length;
  }
  append(name, value) {
    this.#list.push([toWellFormed(name), toWellFormed(value)]);
    this.#update();
  }
  delete(name, value) {
    name = toWellFormed(name);
    this.#list = this.#list.filter((p) => p[0] !== name || (value !== undefined && p[1] !== toWellFormed(value)));
    this.#update();
  }
  get(name) {
    name = toWellFormed(name);
    const p = this.#list.find((x) => x[0] === name);
    return p === undefined ? null : p[1];
  }
  getAll(name) {
    name = toWellFormed(name);
    return this.#list.filter((p) => p[0] === name).map((p) => p[1]);
  }
  has(name, value) {
    name = toWellFormed(name);
    return this.#list.some((p) => p[0] === name && (value === undefined || p[1] === toWellFormed(value)));
  }
  set(name, value) {
    name = toWellFormed(name);
    value = toWellFormed(value);
    const index = this.#list.findIndex((p) => p[0] === name);
    if (index < 0) this.#list.push([name, value]);
    else this.#list = this.#list.filter((p, i) => i <= index || p[0] !== name).map((p, i) => (i === index ? [name, value] : p));
    this.#update();
  }
  sort() {
    this.#list = this.#list
      .map((p, i) => [p, i])
      .sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]))
      .map((x) => x[0]);
    this.#update();
  }
  forEach(callback, thisArg) {
    for (const p of this.#list.slice()) callback.call(thisArg, p[1], p[0], this);
  }
  keys() {
    return this.#list.map((p) => p[0])[Symbol.iterator]();
  }
  values() {
    return this.#list.map((p) => p[1])[Symbol.iterator]();
  }
  entries() {
    return this.#list.map((p) => [p[0], p[1]])[Symbol.iterator]();
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  toString() {
    return this.#list.map((p) => encodeForm(p[0]) + '=' + encodeForm(p[1])).join('&');
  }
  get [Symbol.toStringTag]() {
    return 'URLSearchParams';
  }
  static attach(url, query) {
    return URLSearchParams.#attach(new URLSearchParams(), url, query);
  }
  static reset(params, query) {
    URLSearchParams.#reset(params, query);
  }
}
const attachParams = URLSearchParams.attach;
const resetParams = URLSearchParams.reset;
delete URLSearchParams.attach;
delete URLSearchParams.reset;
class URL {
  #r;
  #params;
  constructor(input, base) {
    const baseRecord = base === undefined ? undefined : base instanceof URL ? base.#r : parseUrl(String(base), undefined);
    this.#r = parseUrl(String(input), baseRecord);
    this.#params = attachParams(this, this.#r.query || '');
  }
  static canParse(input, base) {
    try {
      new URL(input, base);
      return true;
    } catch (error) {
      return false;
    }
  }
  static setQueryFromParams(url, query) {
    url.#r.query = query === '' ? null : query;
  }
  #reparse(text) {
    this.#r = parseUrl(text, undefined);
    resetParams(this.#params, this.#r.query || '');
  }
  get href() {
    return formatRecord(this.#r);
  }
  set href(value) {
    this.#reparse(String(value));
  }
  get origin() {
    const r = this.#r;
    if (r.protocol === 'blob:') {
      try {
        return new URL(r.path).origin;
      } catch (error) {
        return 'null';
      }
    }
    return isSpecial(r.protocol) && r.protocol !== 'file:' ? r.protocol + '//' + r.hostname + (r.port ? ':' + r.port : '') : 'null';
  }
  get protocol() {
    return this.#r.protocol;
  }
  set protocol(value) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*)/.exec(String(value));
    if (m === null) return;
    const next = m[1].toLowerCase() + ':';
    if (isSpecial(next) !== isSpecial(this.#r.protocol)) return;
    this.#r.protocol = next;
    if (this.#r.port === SPECIAL_PORTS[next]) this.#r.port = '';
  }
  get username() {
    return this.#r.username;
  }
  set username(value) {
    if (this.#r.hostname) this.#r.username = encodeSet(value, USERINFO_SET);
  }
  get password() {
    return this.#r.password;
  }
  set password(value) {
    if (this.#r.hostname) this.#r.password = encodeSet(value, USERINFO_SET);
  }
  get host() {
    const r = this.#r;
    return r.hostname === null ? '' : r.hostname + (r.port ? ':' + r.port : '');
  }
  set host(value) {
    if (this.#r.opaque) return;
    const copy = Object.assign({}, this.#r);
    try {
      parseAuthority(copy, String(value).split(/[/?#\\]/)[0], value);
      this.#r = copy;
    } catch (error) {
      /* ignored, as in browsers */
    }
  }
  get hostname() {
    return this.#r.hostname === null ? '' : this.#r.hostname;
  }
  set hostname(value) {
    if (this.#r.opaque) return;
    try {
      this.#r.hostname = parseHost(String(value).split(/[/?#:\\]/)[0], isSpecial(this.#r.protocol), value);
    } catch (error) {
      /* ignored */
    }
  }
  get port() {
    return this.#r.port;
  }
  set port(value) {
    const text = String(value);
    if (text === '') {
      this.#r.port = '';
      return;
    }
    const m = /^\d+/.exec(text);
    if (m === null || Number(m[0]) > 65535) return;
    this.#r.port = String(Number(m[0])) === SPECIAL_PORTS[this.#r.protocol] ? '' : String(Number(m[0]));
  }
  get pathname() {
    return this.#r.path;
  }
  set pathname(value) {
    if (!this.#r.opaque) setPath(this.#r, String(value).startsWith('/') ? String(value) : '/' + value);
  }
  get search() {
    const q = this.#r.query;
    return q === null || q === '' ? '' : '?' + q;
  }
  set search(value) {
    const text = String(value).replace(/^\?/, '');
    this.#r.query = text === '' ? null : encodeSet(text, isSpecial(this.#r.protocol) ? SPECIAL_QUERY_SET : QUERY_SET);
    resetParams(this.#params, this.#r.query || '');
  }
  get searchParams() {
    return this.#params;
  }
  get hash() {
    const h = this.#r.hash;
    return h === null || h === '' ? '' : '#' + h;
  }
  set hash(value) {
    const text = String(value).replace(/^#/, '');
    this.#r.hash = text === '' ? null : encodeSet(text, FRAGMENT_SET);
  }
  toString() {
    return this.href;
  }
  toJSON() {
    return this.href;
  }
  get [Symbol.toStringTag]() {
    return 'URL';
  }
}
const setQueryFromParams = URL.setQueryFromParams;
delete URL.setQueryFromParams;
