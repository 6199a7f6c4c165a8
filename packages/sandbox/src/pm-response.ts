/**
 * `pm.response` (and the responses `pm.sendRequest` yields): code, status, headers, cookies,
 * timings, sizes, `text()` / `json()` and the chai-style `to` chain. The body crosses into the guest only
 * when a script asks for it.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-response/
 */
import { decodeBodyText, getHeader, type HttpResponse } from '@sortie/core';
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
  if (withBody) meta.body = decodeBodyText(response.body, getHeader(response.headers, 'content-type'));
  return meta;
}

/** Host functions giving the guest the body of `pm.response` (decoded once) and its header pairs (as JSON), on first read. */
export function createResponseHostFunctions(currentRun: CurrentRun): HostFunctions {
  return {
    responseText: () => currentRun().responseText(),
    responseHeaders: () => JSON.stringify(currentRun().ctx.response?.headers ?? []),
  };
}
