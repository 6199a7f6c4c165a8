/**
 * `pm.request`: the request as Postman's collection SDK shapes it — a `Url` object with
 * `toString()`, a header `PropertyList` (add / upsert / remove / get …) and a raw body. Mutations
 * in a pre-request script are read back into the ScriptRequest that is sent.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-request/
 */

/** Guest source: `PropertyList`, `Url`, `RequestBody`, `createRequest(data)`, `serializeRequest(req)`. */
export const PM_REQUEST_SOURCE = String.raw`
function toKeyValue(item) {
  if (typeof item === 'string') {
    const colon = item.indexOf(':');
    return colon < 0 ? { key: item.trim(), value: '' } : { key: item.slice(0, colon).trim(), value: item.slice(colon + 1).trim() };
  }
  if (item && typeof item === 'object') {
    const out = { key: String(item.key === undefined ? item.name : item.key), value: item.value == null ? item.value : String(item.value) };
    if (item.disabled) out.disabled = true;
    return out;
  }
  throw new TypeError('expected a { key, value } object or a "key: value" string');
}
class PropertyList {
  constructor(items, caseSensitive) {
    Object.defineProperty(this, '_items', { value: items.map(toKeyValue), writable: true });
    Object.defineProperty(this, '_caseSensitive', { value: caseSensitive });
  }
  _match(item, key) {
    return this._caseSensitive ? item.key === key : item.key.toLowerCase() === String(key).toLowerCase();
  }
  _find(key) {
    for (const item of this._items) if (!item.disabled && this._match(item, key)) return item;
    return undefined;
  }
  get(key) { const item = this._find(key); return item ? item.value : undefined; }
  one(key) { const item = this._find(key); return item ? Object.assign({}, item) : undefined; }
  has(key, value) {
    const item = this._find(key);
    return item !== undefined && (value === undefined || item.value === value);
  }
  add(item) { this._items.push(toKeyValue(item)); }
  append(item) { this.add(item); }
  upsert(item) {
    const next = toKeyValue(item);
    const found = this._find(next.key);
    if (found) found.value = next.value;
    else this._items.push(next);
  }
  remove(predicate) {
    const test = typeof predicate === 'function' ? predicate
      : (item) => this._match(item, predicate && typeof predicate === 'object' ? predicate.key : predicate);
    this._items = this._items.filter((item) => !test(item));
  }
  clear() { this._items = []; }
  all() { return this._items.map((item) => Object.assign({}, item)); }
  count() { return this._items.length; }
  idx(index) { const item = this._items[index]; return item ? Object.assign({}, item) : undefined; }
  each(fn) { this.all().forEach(fn); }
  filter(fn) { return this.all().filter(fn); }
  map(fn) { return this.all().map(fn); }
  find(fn) { return this.all().find(fn); }
  toObject() {
    const out = {};
    for (const item of this._items) if (!item.disabled && !(item.key in out)) out[item.key] = item.value;
    return out;
  }
  toJSON() { return this.all(); }
  toString() { return this._items.filter((i) => !i.disabled).map((i) => i.key + ': ' + i.value).join('\n'); }
  get members() { return this.all(); }
}
function parseQuery(text) {
  if (!text) return [];
  return text.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? { key: part, value: null } : { key: part.slice(0, eq), value: part.slice(eq + 1) };
  });
}
const URL_PATTERN = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(?:([^@/?#]*)@)?([^/?#:]*)(?::(\d*|\{\{[^}]*\}\}))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
class Url {
  constructor(text) {
    const m = URL_PATTERN.exec(String(text)) || [];
    this.protocol = m[1];
    this.auth = m[2];
    this.host = m[3] ? m[3].split('.') : [];
    this.port = m[4];
    this.path = m[5] ? m[5].replace(/^\//, '').split('/') : [];
    this.query = new PropertyList(parseQuery(m[6]), true);
    this.hash = m[7];
  }
  getHost() { return this.host.join('.'); }
  getRemote() { return this.getHost() + (this.port ? ':' + this.port : ''); }
  getPath() { return '/' + this.path.join('/'); }
  getQueryString() {
    return this.query._items.filter((i) => !i.disabled).map((i) => (i.value === null || i.value === undefined ? i.key : i.key + '=' + i.value)).join('&');
  }
  getPathWithQuery() { const q = this.getQueryString(); return this.getPath() + (q ? '?' + q : ''); }
  addQueryParams(params) { (Array.isArray(params) ? params : parseQuery(String(params))).forEach((p) => this.query.add(p)); }
  removeQueryParams(keys) { (Array.isArray(keys) ? keys : [keys]).forEach((k) => this.query.remove(typeof k === 'object' ? k.key : k)); }
  update(text) { Object.assign(this, new Url(text)); }
  toString() {
    const q = this.getQueryString();
    return (this.protocol ? this.protocol + '://' : '') + (this.auth ? this.auth + '@' : '') + this.getRemote()
      + (this.path.length ? this.getPath() : '') + (q ? '?' + q : '') + (this.hash ? '#' + this.hash : '');
  }
  toJSON() { return this.toString(); }
}
class RequestBody {
  constructor(raw) {
    this.mode = 'raw';
    this.raw = raw === undefined || raw === null ? '' : String(raw);
  }
  update(value) {
    if (typeof value === 'string') this.raw = value;
    else if (value && typeof value === 'object') {
      if (value.mode === 'urlencoded' && Array.isArray(value.urlencoded)) {
        this.raw = value.urlencoded.map((p) => encodeURIComponent(p.key) + '=' + encodeURIComponent(p.value == null ? '' : p.value)).join('&');
      } else this.raw = value.raw === undefined ? '' : String(value.raw);
    }
  }
  isEmpty() { return this.raw === ''; }
  toString() { return this.raw; }
  toJSON() { return { mode: this.mode, raw: this.raw }; }
}
function createRequest(data) {
  let url = new Url(data.url);
  let body = data.body === undefined ? undefined : new RequestBody(data.body);
  const request = {
    method: data.method,
    headers: new PropertyList(data.headers.map((pair) => ({ key: pair[0], value: pair[1] })), false),
    addHeader(h) { this.headers.add(h); },
    upsertHeader(h) { this.headers.upsert(h); },
    removeHeader(name) { this.headers.remove(name); },
    getHeaders() { return this.headers.toObject(); },
    toJSON() { return { method: this.method, url: url.toString(), header: this.headers.all(), body: body && body.toJSON() }; },
  };
  Object.defineProperty(request, 'url', {
    enumerable: true,
    get: () => url,
    set: (value) => { url = value instanceof Url ? value : new Url(value); },
  });
  Object.defineProperty(request, 'body', {
    enumerable: true,
    get: () => body,
    set: (value) => {
      if (value === undefined || value === null) body = undefined;
      else if (value instanceof RequestBody) body = value;
      else { body = new RequestBody(''); body.update(value); }
    },
  });
  return request;
}
function serializeRequest(request) {
  const out = {
    method: String(request.method),
    url: String(request.url),
    headers: request.headers._items.filter((i) => !i.disabled).map((i) => [i.key, i.value == null ? '' : String(i.value)]),
  };
  if (request.body !== undefined) out.body = String(request.body);
  return out;
}
`;
