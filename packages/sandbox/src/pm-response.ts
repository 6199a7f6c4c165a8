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

/** Guest source: `class Response(meta, readText)`. */
export const PM_RESPONSE_SOURCE = `
class Response {
  constructor(meta, readText) {
    this.code = meta.code;
    this.status = meta.status;
    this.headers = new PropertyList(meta.headers.map((pair) => ({ key: pair[0], value: pair[1] })), false);
    this.responseTime = meta.responseTime;
    this.responseSize = meta.responseSize;
    Object.defineProperty(this, '_readText', { value: readText });
    Object.defineProperty(this, '_cache', { value: {} });
  }
  text() {
    if (this._cache.text === undefined) this._cache.text = this._readText();
    return this._cache.text;
  }
  json() {
    if (!('json' in this._cache)) this._cache.json = JSON.parse(this.text());
    return this._cache.json;
  }
  /** The response's Set-Cookie headers as a CookieList, parsed on first read. */
  get cookies() {
    if (this._cache.cookies === undefined) this._cache.cookies = new CookieList(parseSetCookieHeaders(this.headers._items));
    return this._cache.cookies;
  }
  reason() { return this.status; }
  size() { return { body: this.responseSize, header: 0, total: this.responseSize }; }
  get to() { return createResponseAssertion(this, false); }
  get not() { return createResponseAssertion(this, true); }
  toJSON() {
    return { code: this.code, status: this.status, header: this.headers.all(), responseTime: this.responseTime, responseSize: this.responseSize };
  }
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
