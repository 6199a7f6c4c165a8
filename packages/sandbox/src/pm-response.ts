/**
 * `pm.response` (and the responses `pm.sendRequest` yields): code, status, headers, cookies,
 * timings, sizes, `text()` / `json()` and the chai-style `to` chain. The body crosses into the guest only
 * when a script asks for it.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-response/
 */
import type { HttpResponse } from '@sortie/core';
import type { CurrentRun, HostFunctions } from './host-bridge.js';

/** What the guest receives about a response (the body only for `pm.sendRequest`). */
export interface ResponseMeta {
  code: number;
  status: string;
  headers: Array<[string, string]>;
  responseTime: number;
  responseSize: number;
  url: string;
  body?: string;
}

/**
 * Guest source: `class Response(code, status, responseTime, responseSize, readHeaders, readText)`.
 * The header list and the body are built on first read (`readHeaders()` gives the header pairs,
 * `readText()` the decoded body): a script that only checks the status pays for neither.
 */
export const PM_RESPONSE_SOURCE = `
class Response {
  #readHeaders;
  #readText;
  #headers;
  #text;
  #json;
  #hasJson = false;
  #cookies;
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
      this.#headers = new PropertyList(this.#readHeaders().map((pair) => ({ key: pair[0], value: pair[1] })), false);
    }
    return this.#headers;
  }
  text() {
    if (this.#text === undefined) this.#text = this.#readText();
    return this.#text;
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
  reason() { return this.status; }
  size() { return { body: this.responseSize, header: 0, total: this.responseSize }; }
  get to() { return createResponseAssertion(this, false); }
  get not() { return createResponseAssertion(this, true); }
  toJSON() {
    return { code: this.code, status: this.status, header: this.headers.all(), responseTime: this.responseTime, responseSize: this.responseSize };
  }
}
/** A Response from a described response (\`describeResponse(response, true)\`, as pm.sendRequest receives it). */
function responseFromMeta(meta) {
  return new Response(meta.code, meta.status, meta.responseTime, meta.responseSize, () => meta.headers, () => meta.body);
}
`;

/** Describes a response for the guest. `withBody` inlines the decoded body (for `pm.sendRequest`). */
export function describeResponse(response: HttpResponse, withBody: boolean): ResponseMeta {
  const meta: ResponseMeta = {
    code: response.status,
    status: response.statusText,
    headers: response.headers,
    responseTime: response.timings.total,
    responseSize: response.body.byteLength,
    url: response.url,
  };
  if (withBody) meta.body = new TextDecoder().decode(response.body);
  return meta;
}

/** Host function giving the guest the body of `pm.response`, decoded once. */
export function createResponseHostFunctions(currentRun: CurrentRun): HostFunctions {
  return { responseText: () => currentRun().responseText() };
}
