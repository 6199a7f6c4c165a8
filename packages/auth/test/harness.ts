/**
 * Test helpers: a fetch-based `send` standing in for Sortie's HTTP stack, and a manager whose events, warnings and
 * token requests are recorded.
 */
import type { HttpResponse, PreparedRequest, TokenEvent } from '@sortie/core';
import { Redactor } from '@sortie/core';
import { AuthManager, type AuthManagerOptions } from '../src/index.js';

/** Sends a PreparedRequest with fetch and returns an HttpResponse. */
export async function sendWithFetch(request: PreparedRequest): Promise<HttpResponse> {
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(request.timeout),
  };
  if (request.body !== undefined) init.body = request.body;
  const response = await fetch(request.url, init);
  const body = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    statusText: response.statusText,
    httpVersion: '1.1',
    headers: [...response.headers],
    body,
    encodedBodySize: body.byteLength,
    timings: { firstByte: 0, download: 0, total: 0 },
    url: request.url,
    redirects: [],
  };
}

/** A GET request for `url`. */
export function createGet(url: string): PreparedRequest {
  return { method: 'GET', url, headers: [['accept', 'application/json']], timeout: 10_000, followRedirects: true, maxRedirects: 5 };
}

export interface Harness {
  manager: AuthManager;
  redactor: Redactor;
  events: TokenEvent[];
  warnings: string[];
  /** Requests the manager sent to authorization servers. */
  sent: PreparedRequest[];
  /** Fake clock in epoch ms; starts at the real time. */
  clock: { now: number };
  /** apply() then send; returns the response and the request that was sent. */
  call(
    name: string,
    profile: Parameters<AuthManager['apply']>[1],
    url: string,
  ): Promise<{ response: HttpResponse; request: PreparedRequest }>;
  /** Like call(), resending once when the response says the token was rejected (what the engine does). */
  callWithRetry(name: string, profile: Parameters<AuthManager['apply']>[1], url: string): Promise<HttpResponse>;
}

/** Creates a manager with recording options; `overrides` replaces any option. */
export function createHarness(overrides: Partial<AuthManagerOptions> = {}): Harness {
  const redactor = new Redactor();
  const events: TokenEvent[] = [];
  const warnings: string[] = [];
  const sent: PreparedRequest[] = [];
  const clock = { now: Date.now() };
  const manager = new AuthManager({
    send: (request) => {
      sent.push(request);
      return sendWithFetch(request);
    },
    redactor,
    emit: (event) => events.push(event),
    now: () => clock.now,
    onWarning: (message) => warnings.push(message),
    ...overrides,
  });
  const call: Harness['call'] = async (name, profile, url) => {
    const request = await manager.apply(name, profile, createGet(url));
    return { response: await sendWithFetch(request), request };
  };
  const callWithRetry: Harness['callWithRetry'] = async (name, profile, url) => {
    const first = await call(name, profile, url);
    if (!manager.isRejected(name, profile, first.response, first.request)) return first.response;
    return (await call(name, profile, url)).response;
  };
  return { manager, redactor, events, warnings, sent, clock, call, callWithRetry };
}

/** Reads a response body as JSON. */
export function readJson(response: HttpResponse): unknown {
  return JSON.parse(Buffer.from(response.body).toString('utf8'));
}

/** The value of the Authorization header of a request. */
export function readAuthorization(request: PreparedRequest): string | undefined {
  return request.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1];
}
