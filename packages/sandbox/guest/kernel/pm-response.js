class Response {
  #readHeaders;
  #readText;
  #headers;
  #text;
  #json;
  #hasJson = false;
  #cookies;
  #stream;
  constructor(code, status, responseTime, responseSize, readHeaders, readText) {
    this.code = code;
    this.status = status;
    this.responseTime = responseTime;
    this.responseSize = responseSize;
    this.#readHeaders = readHeaders;
    this.#readText = readText;
  }
  get headers() {
    if (this.#headers === undefined) {
      this.#headers = new KeyValueList(
        this.#readHeaders().map((pair) => ({ key: pair[0], value: pair[1] })),
        false,
      );
    }
    return this.#headers;
  }
  text() {
    if (this.#text === undefined) this.#text = this.#readText();
    return this.#text;
  }
  /** Postman's `stream`: the body as a Buffer (made from the body text, UTF-8), e.g. `JSON.parse(res.stream.toString())`. */
  get stream() {
    if (this.#stream === undefined) this.#stream = requireModule('buffer').Buffer.from(this.text(), 'utf8');
    return this.#stream;
  }
  json() {
    if (!this.#hasJson) {
      this.#json = JSON.parse(this.text());
      this.#hasJson = true;
    }
    return this.#json;
  }
  /** The response's Set-Cookie headers as a CookieList, parsed on first read. */
  get cookies() {
    if (this.#cookies === undefined) this.#cookies = new CookieList(parseSetCookieHeaders(this.headers._items));
    return this.#cookies;
  }
  reason() {
    return this.status;
  }
  /**
   * postman-collection's `Response#size()`: the body's bytes, and the headers measured as the
   * HTTP/1.1 message would write them (RFC 9112 §2.1: a status line `HTTP/X.X <code> <reason>`,
   * a `name: value` line per header, each ended by CRLF, then the blank line).
   */
  size() {
    let header = ('HTTP/X.X ' + this.code + ' ' + this.reason() + '\r\n\r\n').length;
    const items = this.headers._items;
    for (let i = 0; i < items.length; i++) header += (items[i].key + ': ' + items[i].value + '\r\n').length;
    return { body: this.responseSize, header, total: this.responseSize + header };
  }
  /** postman-collection's `Response#contentInfo()`: what the Content-Type and Content-Disposition headers say (see contentInfoOf). */
  contentInfo() {
    return contentInfoOf(this.headers.get('Content-Type'), this.headers.get('Content-Disposition'));
  }
  get to() {
    return createResponseAssertion(this, false);
  }
  get not() {
    return createResponseAssertion(this, true);
  }
  toJSON() {
    return {
      code: this.code,
      status: this.status,
      header: this.headers.all(),
      responseTime: this.responseTime,
      responseSize: this.responseSize,
    };
  }
}
/** A Response from a described response (`describeResponse(response, true)`, as pm.sendRequest receives it). */
function responseFromMeta(meta) {
  return new Response(
    meta.code,
    meta.status,
    meta.responseTime,
    meta.responseSize,
    () => meta.headers,
    () => meta.body,
  );
}

/** mime-format's entries that its guess (below) does not give. */
const MIME_FORMAT_EXCEPTIONS = {
  'application/x-www-form-urlencoded': ['text', 'plain'],
  'application/pdf': ['embed', 'pdf'],
  'text/css': ['text', 'stylesheet'],
  'application/jwt': ['text', 'jwt'],
  'application/ogg': ['audio', 'ogg'],
};
/** The file extension the `mime` package gives the common response types (none for the others). */
const MIME_EXTENSIONS = {
  'application/json': 'json',
  'application/ld+json': 'jsonld',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/css': 'css',
  'text/yaml': 'yaml',
  'text/markdown': 'markdown',
  'application/javascript': 'js',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/gzip': 'gz',
  'application/octet-stream': 'bin',
  'application/atom+xml': 'atom',
  'application/rss+xml': 'rss',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'application/xhtml+xml': 'xhtml',
  'font/woff': 'woff',
  'font/woff2': 'woff2',
};
/** mime-format's `lookup`: the kind of content (`text`, `image`, `audio`, `video`, `embed`, `application`…) and its format. */
function mimeFormatOf(mime) {
  if (Object.hasOwn(MIME_FORMAT_EXCEPTIONS, mime)) return MIME_FORMAT_EXCEPTIONS[mime];
  if (/\+xml$/.test(mime) && !/^(audio|video|image)\//.test(mime)) return ['text', 'xml'];
  const base = mime.split('/')[0];
  const sure = /(audio|video|image|text)/.exec(base);
  const sibling = /(jsonp|json|xml|html|yaml|vml|webml|script)/.exec(mime);
  if (sure) return [sure[1], sure[1] === 'text' ? (sibling ? sibling[1] : 'plain') : sure[1]];
  if (sibling) return ['text', sibling[1]];
  const subtype = /\/[^/]*(audio|video|image|text)/.exec(mime);
  if (subtype) return [subtype[1], subtype[1]];
  const known = /(application|message|multipart)/.exec(base);
  return [known ? known[1] : 'unknown', 'raw'];
}
/** The file name of a Content-Disposition header: `filename*` (RFC 6266 §4.3, UTF-8 or ISO-8859-1) first, then `filename`. */
function dispositionFileName(disposition) {
  if (!disposition) return undefined;
  const encoded = /;[ \t]*filename\*[ \t]*=[ \t]*([A-Za-z0-9!#$%&+\-^_`{}~]+)'.*'((?:%[0-9A-Fa-f]{2}|[A-Za-z0-9!#$&+.^_`|~-])+)/.exec(
    disposition,
  );
  if (encoded) {
    const charset = encoded[1].toLowerCase();
    try {
      if (charset === 'utf-8') return decodeURIComponent(encoded[2]);
      if (charset === 'iso-8859-1') return unescape(encoded[2]);
    } catch (error) {
      // Not valid UTF-8: the plain filename parameter is used instead.
    }
  }
  const plain = /;[ \t]*filename[ \t]*=[ \t]*("(?:[\x20!\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\x20-\x7e])*"|[!#$%&'*+.0-9A-Z^_`a-z|~-]+)/.exec(
    disposition,
  );
  if (!plain) return undefined;
  return plain[1][0] === '"' ? plain[1].slice(1, -1).replace(/\\([ -~])/g, '$1') : plain[1];
}
/**
 * postman-collection's contentInfo: `contentType` (the media type, lower case, no parameters),
 * `mimeType` and `mimeFormat` (mime-format's kind and format: `application/json` is `text` and
 * `json`), `charset` (`utf8` unless the header names another), `fileExtension` and `fileName` (the
 * Content-Disposition file name, else `response` with the extension). A response without a
 * Content-Type is `text/plain` (Postman sniffs binary files from their first bytes; Sortie does not).
 * @see https://www.rfc-editor.org/rfc/rfc6266#section-4.3
 */
function contentInfoOf(contentTypeHeader, disposition) {
  const header = contentTypeHeader ? String(contentTypeHeader) : 'text/plain';
  const mime = header
    .toLowerCase()
    .replace(/\s/g, '')
    .replace(/^([^;]+).*$/, '$1');
  // The charset package's reading: `charset=` or `encoding=`, lower case, `utf-8` written `utf8`.
  const charsetMatch = /(?:charset|encoding)\s{0,10}=\s{0,10}['"]? {0,10}([\w-]{1,100})/i.exec(header);
  const charset = charsetMatch ? charsetMatch[1].toLowerCase() : 'utf8';
  const [mimeType, mimeFormat] = mimeFormatOf(mime);
  const extension = Object.hasOwn(MIME_EXTENSIONS, mime) ? MIME_EXTENSIONS[mime] : '';
  const info = { contentType: mime, mimeType, mimeFormat, charset: charset === 'utf-8' ? 'utf8' : charset };
  if (extension) info.fileExtension = extension;
  info.fileName = dispositionFileName(disposition) || 'response' + (extension ? '.' + extension : '');
  return info;
}
