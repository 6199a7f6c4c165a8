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
  size() {
    return { body: this.responseSize, header: 0, total: this.responseSize };
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
