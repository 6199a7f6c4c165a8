import type { HeaderList, HttpResponse } from '@sortie/core';
import type { SelectionContext } from '../src/index.js';

/** Options of makeResponse. Defaults: status 200, no headers, empty body, total time 12 ms. */
export interface MakeResponseOptions {
  status?: number;
  headers?: HeaderList;
  body?: string;
  total?: number;
}

/** Builds an HttpResponse as @sortie/http would return it. */
export function makeResponse(options: MakeResponseOptions = {}): HttpResponse {
  const body = new TextEncoder().encode(options.body ?? '');
  return {
    status: options.status ?? 200,
    statusText: 'OK',
    httpVersion: '1.1',
    headers: options.headers ?? [],
    body,
    encodedBodySize: body.byteLength,
    timings: { firstByte: 3, download: 1, total: options.total ?? 12 },
    url: 'http://127.0.0.1/test',
    redirects: [],
  };
}

/** A JSON response with the given value as its body. */
export function makeJsonResponse(value: unknown, status = 200): HttpResponse {
  return makeResponse({ status, headers: [['Content-Type', 'application/json']], body: JSON.stringify(value) });
}

/** A selection context over `response` with the given variables. */
export function makeContext(
  response?: HttpResponse,
  variables: Record<string, unknown> = {},
  cookies?: Record<string, string>,
): SelectionContext {
  const ctx: SelectionContext = { getVariable: (name) => variables[name] };
  if (response !== undefined) ctx.response = response;
  if (cookies !== undefined) ctx.cookies = cookies;
  return ctx;
}
