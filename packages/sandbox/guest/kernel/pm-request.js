/**
 * `pm.request`: the request as Postman's collection SDK shapes it — a `Url` object with
 * `toString()`, a header `PropertyList` (add / upsert / remove / get …) and a raw body. Mutations
 * in a pre-request script are read back into the ScriptRequest that is sent.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-request/
 */
/**
 * An item of a header list (a string is `"key: value"`) or of a query or form list (`caseSensitive`:
 * a string is `"key=value"`, as postman-collection's QueryParam reads it; without `=` the value is null).
 */
function toKeyValue(item, caseSensitive) {
  if (typeof item === 'string') {
    if (caseSensitive) {
      const eq = item.indexOf('=');
      return eq < 0 ? { key: item, value: null } : { key: item.slice(0, eq), value: item.slice(eq + 1) };
    }
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
/**
 * Headers, query parameters and form fields: `{ key, value, disabled? }` items, keys matched
 * case-insensitively for headers; the last enabled item of a key is the one read (and upserted).
 * @extends {PropertyList<KeyValue>}
 */
class KeyValueList extends PropertyList {
  /**
   * @param {unknown[]} items
   * @param {boolean} caseSensitive
   */
  constructor(items, caseSensitive) {
    super([], true);
    /** @type {boolean} */
    this._caseSensitive;
    Object.defineProperty(this, '_caseSensitive', { value: caseSensitive });
    this._items = items.map((item) => this._toItem(item));
  }
  /** @param {unknown} item */
  _toItem(item) {
    return toKeyValue(item, this._caseSensitive);
  }
  /**
   * @param {KeyValue} item
   * @param {unknown} key
   */
  _match(item, key) {
    return this._caseSensitive ? item.key === key : item.key.toLowerCase() === String(key).toLowerCase();
  }
  /**
   * The last item of the key: postman-collection's `get`/`one` read the last of a repeated key, a
   * disabled one too (its index holds every member; only sending and `toString` leave them out).
   */
  _find(key) {
    for (let i = this._items.length - 1; i >= 0; i--) {
      const item = this._items[i];
      if (this._match(item, key)) return item;
    }
    return undefined;
  }
  /**
   * Whether an item has the key (and, given one, that value: any item of a repeated key), a disabled
   * one too, as postman-collection's `PropertyList#has`.
   * @param {unknown} key
   * @param {unknown} [value]
   */
  has(key, value) {
    return this._items.some((item) => this._match(item, key) && (value === undefined || item.value === value));
  }
  /** @param {unknown} item */
  add(item) {
    this._items.push(this._toItem(item));
  }
  /** @param {unknown} item */
  append(item) {
    this.add(item);
  }
  /** @param {unknown} item */
  upsert(item) {
    const next = this._toItem(item);
    const found = this._find(next.key);
    if (found) {
      // The value (and a form field's type, src, content type); the key keeps its spelling. As
      // postman-collection's `update`, a disabled item stays disabled unless `disabled` is given.
      const { key: _key, ...rest } = next;
      Object.assign(found, rest);
      if (item && typeof item === 'object' && Object.hasOwn(item, 'disabled') && !(/** @type {{ disabled?: unknown }} */ (item).disabled))
        delete found.disabled;
    } else this._items.push(next);
  }
  /** @param {unknown} predicate a key, a `{ key }` or a function of the item */
  remove(predicate) {
    const test =
      typeof predicate === 'function'
        ? predicate
        : (/** @type {KeyValue} */ item) =>
            this._match(item, predicate && typeof predicate === 'object' ? /** @type {{ key?: unknown }} */ (predicate).key : predicate);
    this._items = this._items.filter((item) => !test(item));
  }
  clear() {
    this._items = [];
  }
  /**
   * As postman-collection's `PropertyList#toObject`: every item (a disabled one too, unless
   * `excludeDisabled`), a header's name in lower case (unless `caseSensitive`), the values of a
   * repeated key in an array, in order.
   * @param {unknown} [excludeDisabled]
   * @param {unknown} [caseSensitive]
   */
  toObject(excludeDisabled, caseSensitive) {
    /** @type {Record<string, string | null | undefined | Array<string | null | undefined>>} */
    const out = {};
    const sensitive = this._caseSensitive || caseSensitive === true;
    for (const item of this._items) {
      if (excludeDisabled && item.disabled) continue;
      const key = sensitive ? item.key : item.key.toLowerCase();
      const value = Object.hasOwn(out, key) ? [].concat(out[key], [item.value]) : item.value;
      // Defined, not assigned: a key "__proto__" is a key like any other.
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    }
    return out;
  }
  toString() {
    return this._items
      .filter((i) => !i.disabled)
      .map((i) => i.key + ': ' + i.value)
      .join('\n');
  }
  get members() {
    return this.all();
  }
}
/**
 * The fields of a `urlencoded` or `formdata` body (postman-collection's QueryParam / FormParam lists):
 * keys case-sensitive; a formdata field keeps its `type` (`text` or `file`), a file's `src` and a `contentType`.
 */
class FormList extends KeyValueList {
  /** @param {unknown[]} items */
  constructor(items) {
    super(items, true);
  }
  /** @param {unknown} item */
  _toItem(item) {
    const out = toKeyValue(item, true);
    if (item && typeof item === 'object') {
      const given = /** @type {{ type?: unknown, src?: unknown, contentType?: unknown }} */ (item);
      if (given.type === 'file' || given.type === 'text') out.type = given.type;
      if (given.src !== undefined && given.src !== null) out.src = String(given.src);
      if (given.contentType !== undefined && given.contentType !== null) out.contentType = String(given.contentType);
    }
    return out;
  }
  /** The enabled fields as the host reads them back. */
  toFields() {
    return this._items
      .filter((item) => !item.disabled)
      .map((item) => {
        const field = { key: item.key };
        if (item.type === 'file') {
          // postman-runtime has no file to send either; the converter refuses such a field too.
          if (item.src === undefined || item.src === '') throw new TypeError('form-data file field "' + item.key + '" names no file (src)');
          field.type = 'file';
          field.src = item.src;
        } else {
          field.value = item.value == null ? '' : String(item.value);
          if (item.type === 'text') field.type = 'text';
        }
        if (item.contentType !== undefined) field.contentType = item.contentType;
        return field;
      });
  }
}
function parseQuery(text) {
  if (!text) return [];
  return text.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? { key: part, value: null } : { key: part.slice(0, eq), value: part.slice(eq + 1) };
  });
}
const URL_PATTERN =
  /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(?:([^@/?#]*)@)?([^/?#:]*)(?::(\d*|\{\{[^}]*\}\}))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
class Url {
  constructor(text) {
    const m = URL_PATTERN.exec(String(text)) || [];
    this.protocol = m[1];
    this.auth = m[2];
    this.host = m[3] ? m[3].split('.') : [];
    this.port = m[4];
    this.path = m[5] ? m[5].replace(/^\//, '').split('/') : [];
    this.query = new KeyValueList(parseQuery(m[6]), true);
    this.hash = m[7];
    // postman-collection's Url.variables: a `:name` path segment is a path variable; its value, once
    // set (upsert), takes the segment's place in getPath and toString. Newman's test scripts see the
    // resolved URL, so no variables there; a converted request's pre-request URL has its values in place too.
    this.variables = new KeyValueList(
      this.path
        .filter((segment) => segment.length > 1 && segment[0] === ':')
        .map((segment) => ({ key: segment.slice(1), value: undefined })),
      true,
    );
  }
  getHost() {
    return this.host.join('.');
  }
  getRemote() {
    return this.getHost() + (this.port ? ':' + this.port : '');
  }
  getPath() {
    return (
      '/' +
      this.path
        .map((segment) => {
          if (segment.length < 2 || segment[0] !== ':') return segment;
          const value = this.variables.get(segment.slice(1));
          return value === undefined || value === null ? segment : String(value);
        })
        .join('/')
    );
  }
  getQueryString() {
    return this.query._items
      .filter((i) => !i.disabled)
      .map((i) => (i.value === null || i.value === undefined ? i.key : i.key + '=' + i.value))
      .join('&');
  }
  getPathWithQuery() {
    const q = this.getQueryString();
    return this.getPath() + (q ? '?' + q : '');
  }
  addQueryParams(params) {
    (Array.isArray(params) ? params : parseQuery(String(params))).forEach((p) => {
      this.query.add(p);
    });
  }
  removeQueryParams(keys) {
    (Array.isArray(keys) ? keys : [keys]).forEach((k) => {
      this.query.remove(typeof k === 'object' ? k.key : k);
    });
  }
  update(text) {
    Object.assign(this, new Url(text));
  }
  toString() {
    const q = this.getQueryString();
    return (
      (this.protocol ? this.protocol + '://' : '') +
      (this.auth ? this.auth + '@' : '') +
      this.getRemote() +
      (this.path.length ? this.getPath() : '') +
      (q ? '?' + q : '') +
      (this.hash ? '#' + this.hash : '')
    );
  }
  toJSON() {
    return this.toString();
  }
}
/**
 * `application/x-www-form-urlencoded` text of form fields, encoded as postman-runtime sends them (the qs
 * package's RFC 3986 encoding: everything but letters, digits and `-._~` percent-encoded, `!'()*` too).
 */
function encodeFormComponent(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
function encodeForm(items, resolve) {
  return items
    .filter((p) => !p.disabled)
    .map((p) => encodeFormComponent(resolve(p.key)) + '=' + encodeFormComponent(p.value == null ? '' : resolve(String(p.value))))
    .join('&');
}
/**
 * postman-collection's `QueryParam.unparse` (what `body.toString()` of a urlencoded body gives): not
 * percent-encoded, only `&` and `#` (and `=` in a key) escaped outside `{{variables}}`, a null value without `=`.
 */
function unparseForm(items) {
  const reserved = (text, equals) => text.replace(equals ? /[&#=]/g : /[&#]/g, (c) => (c === '&' ? '%26' : c === '#' ? '%23' : '%3D'));
  const normalize = (text, equals) => {
    let out = '';
    let from = 0;
    const variables = /{{[^{}]*[&#=][^{}]*}}/g;
    for (let m = variables.exec(text); m !== null; m = variables.exec(text)) {
      out += reserved(text.slice(from, m.index), equals) + m[0];
      from = m.index + m[0].length;
    }
    return out + reserved(text.slice(from), equals);
  };
  return items
    .filter((p) => !p.disabled)
    .map((p) => normalize(String(p.key), true) + (typeof p.value === 'string' ? '=' + normalize(p.value, false) : ''))
    .join('&');
}
const FORM_MODES = ['urlencoded', 'formdata'];
class RequestBody {
  /**
   * @param {unknown} raw the text of a raw body
   * @param {{ mode: string, fields: unknown[] }} [form] a form body instead
   * @param {{ query: string, variables?: unknown, operationName?: string }} [graphql] a GraphQL body instead
   * @param {string} [language] a raw body's language (`json`, `xml`, `text`…): `options.raw.language`, as a
   *   Postman collection's `options` gives it to postman-collection's RequestBody
   */
  constructor(raw, form, graphql, language) {
    /** @type {{ raw: { language: string } } | undefined} */
    this.options = undefined;
    /** @type {string | undefined} */
    this.raw = undefined;
    /** @type {{ query: string, variables?: unknown, operationName?: string } | undefined} */
    this.graphql = undefined;
    /** @type {FormList | undefined} */
    this.urlencoded = undefined;
    /** @type {FormList | undefined} */
    this.formdata = undefined;
    if (graphql && typeof graphql === 'object') {
      this.mode = 'graphql';
      this.graphql = graphql;
    } else if (form && FORM_MODES.includes(form.mode)) {
      this.mode = form.mode;
      this[form.mode] = new FormList(Array.isArray(form.fields) ? form.fields : []);
    } else {
      this.mode = 'raw';
      this.raw = raw === undefined || raw === null ? '' : String(raw);
      if (typeof language === 'string') this.options = { raw: { language } };
    }
  }
  /**
   * A string replaces the raw text; `{ mode: 'raw', raw }` too; `{ mode: 'urlencoded', urlencoded }`
   * or `{ mode: 'formdata', formdata }` makes a form (`body.urlencoded` / `body.formdata` is then its
   * field list). Other modes cannot be sent from here.
   */
  update(value) {
    if (typeof value === 'string') {
      this._set('raw', value);
    } else if (value && typeof value === 'object') {
      if (value.mode === 'urlencoded') {
        this._set('urlencoded', new FormList(Array.isArray(value.urlencoded) ? value.urlencoded : parseQuery(value.urlencoded)));
      } else if (value.mode === 'formdata') {
        this._set('formdata', new FormList(Array.isArray(value.formdata) ? value.formdata : []));
      } else if (value.mode === 'graphql' && value.graphql && typeof value.graphql === 'object') {
        this._set('graphql', value.graphql);
      } else if (value.mode === undefined || value.mode === 'raw') {
        this._set('raw', value.raw === undefined ? '' : String(value.raw));
        if (value.options !== undefined) this.options = value.options;
      } else {
        throw new TypeError(
          'pm.request.body: body mode "' +
            String(value.mode) +
            '" is not supported in a pre-request script (use raw, urlencoded, formdata or graphql)',
        );
      }
    }
  }
  /** One mode's data; the other modes' are cleared. */
  _set(mode, data) {
    this.mode = mode;
    for (const other of ['raw', 'graphql', ...FORM_MODES]) this[other] = other === mode ? data : undefined;
  }
  /** As postman-collection's: no data for the mode, or an empty text or field list. */
  isEmpty() {
    const data = this[this.mode];
    if (!data) return true;
    if (this.mode === 'graphql') return !data.query;
    return typeof data === 'string' ? data.length === 0 : data.count() === 0;
  }
  /** As postman-collection's: a raw body's text, a urlencoded body unparsed (see unparseForm), '' for formdata. */
  toString() {
    if (this.mode === 'urlencoded') return unparseForm(this.urlencoded._items);
    if (this.mode === 'raw') return this.raw;
    return '';
  }
  /** The text to send: a form's keys and values have their variables resolved before they are encoded. */
  toSend() {
    return this.mode === 'urlencoded' ? encodeForm(this.urlencoded._items, (text) => pmPrototype.variables.replaceIn(text)) : this.raw;
  }
  toJSON() {
    if (this.mode === 'graphql') return { mode: 'graphql', graphql: this.graphql };
    if (FORM_MODES.includes(this.mode)) return { mode: this.mode, [this.mode]: this[this.mode].all() };
    return this.options === undefined ? { mode: this.mode, raw: this.raw } : { mode: this.mode, raw: this.raw, options: this.options };
  }
}
/** The requests createRequest made (pm.request, a pm.sendRequest request): what chai-postman's `postmanRequest` checks. */
const postmanRequests = new WeakSet();
function isPostmanRequest(value) {
  return value !== null && typeof value === 'object' && postmanRequests.has(value);
}
function createRequest(data) {
  let url = new Url(data.url);
  let body =
    data.graphql !== undefined
      ? new RequestBody(undefined, undefined, data.graphql)
      : data.form !== undefined
        ? new RequestBody(undefined, data.form)
        : data.body === undefined
          ? undefined
          : new RequestBody(data.body, undefined, undefined, data.bodyLanguage);
  const request = {
    method: data.method,
    headers: new KeyValueList(
      data.headers.map((pair) => ({ key: pair[0], value: pair[1] })),
      false,
    ),
    addHeader(h) {
      this.headers.add(h);
    },
    upsertHeader(h) {
      this.headers.upsert(h);
    },
    removeHeader(name) {
      this.headers.remove(name);
    },
    /** postman-collection's `Request#forEachHeader`: the callback gets each header (disabled ones too) and the request. */
    forEachHeader(callback) {
      for (const header of this.headers.all()) callback(header, this);
    },
    /** postman-collection's `Request#addQueryParams`: a list of `{ key, value }` or a `"a=1&b=2"` string, added to the URL. */
    addQueryParams(params) {
      this.url.addQueryParams(params);
    },
    /** postman-collection's `Request#removeQueryParams`: a key, or a list of keys or `{ key }` objects. */
    removeQueryParams(params) {
      this.url.removeQueryParams(params);
    },
    /** postman-collection's `Request#getHeaders`: names as written unless `ignoreCase`, disabled ones left out with `enabled`. */
    getHeaders(options) {
      const given = options && typeof options === 'object' ? options : {};
      return this.headers.toObject(given.enabled, !given.ignoreCase);
    },
    toJSON() {
      // biome-ignore lint/complexity/useOptionalChain: a null body stays null
      return { method: this.method, url: url.toString(), header: this.headers.all(), body: body && body.toJSON() };
    },
  };
  Object.defineProperty(request, 'url', {
    enumerable: true,
    get: () => url,
    set: (value) => {
      url = value instanceof Url ? value : new Url(value);
    },
  });
  // `pm.request.to.have.header(…)`: chai-postman's assertions on a request (not enumerable: toJSON and console skip them).
  Object.defineProperty(request, 'to', { get: () => loadChai().expect(request).to });
  Object.defineProperty(request, 'not', { get: () => loadChai().expect(request).not });
  postmanRequests.add(request);
  // Whether the request had a form body: a urlencoded body is then sent back as form fields.
  Object.defineProperty(request, '_formGiven', { value: data.form !== undefined });
  Object.defineProperty(request, 'body', {
    enumerable: true,
    get: () => body,
    set: (value) => {
      if (value === undefined || value === null) body = undefined;
      else if (value instanceof RequestBody) body = value;
      else {
        body = new RequestBody('');
        body.update(value);
      }
    },
  });
  return request;
}
/** The request to send. Called while the run is still current: a form resolves its variables. */
function serializeRequest(request) {
  const body = request.body;
  const out = {
    method: String(request.method),
    url: String(request.url),
    headers: request.headers._items.filter((i) => !i.disabled).map((i) => [i.key, i.value == null ? '' : String(i.value)]),
  };
  if (body instanceof RequestBody && body.mode === 'graphql') {
    /** @type {{ query?: unknown, variables?: unknown, operationName?: unknown }} */
    const graphql = body.graphql || {};
    out.graphql = { query: String(graphql.query === undefined ? '' : graphql.query) };
    // Postman writes the variables as JSON text: sent as the object it holds (empty text: none).
    const variables =
      typeof graphql.variables === 'string' && graphql.variables.trim() !== '' ? parseJson(graphql.variables) : graphql.variables;
    if (variables !== null && typeof variables === 'object' && !Array.isArray(variables)) out.graphql.variables = variables;
    else if (variables !== undefined && variables !== null && variables !== '')
      throw new TypeError('pm.request.body.graphql.variables must be an object or JSON text of one');
    if (graphql.operationName !== undefined) out.graphql.operationName = String(graphql.operationName);
  } else if (body instanceof RequestBody && (body.mode === 'formdata' || (body.mode === 'urlencoded' && request._formGiven === true))) {
    out.form = { mode: body.mode, fields: body[body.mode].toFields() };
  } else if (body instanceof RequestBody && body.mode === 'urlencoded') {
    out.body = body.toSend();
    if (!out.headers.some((h) => h[0].toLowerCase() === 'content-type'))
      out.headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  } else if (body !== undefined) out.body = String(body);
  return out;
}
