import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PreparedRequest } from '@sortie/core';
import { createHttpClient, type HttpClient } from '@sortie/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDelay, readRetryAfter, sendWithRetry } from '../src/flow/retry.js';

/** `GET /flaky/<key>?fail=N&status=S&after=R`: answers S (with Retry-After R) N times per key, then 200. */
let server: Server;
let base: string;
let http: HttpClient;
const calls = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://retry.test');
    const key = url.pathname;
    const seen = (calls.get(key) ?? 0) + 1;
    calls.set(key, seen);
    const fail = Number(url.searchParams.get('fail') ?? '0');
    if (seen <= fail) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const after = url.searchParams.get('after');
      if (after !== null) headers['retry-after'] = after;
      res.writeHead(Number(url.searchParams.get('status') ?? '503'), headers);
      res.end(JSON.stringify({ attempt: seen }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ attempt: seen }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = createHttpClient({});
});
afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function get(url: string): PreparedRequest {
  return { method: 'GET', url, headers: [], timeout: 5000, followRedirects: true, maxRedirects: 5 };
}

/** A sleep that records the delays asked for and returns at once. */
function fakeSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('sendWithRetry', () => {
  it('retries a 503 until it succeeds and records every attempt', async () => {
    const { delays, sleep } = fakeSleep();
    const outcome = await sendWithRetry((r) => http.send(r), get(`${base}/flaky/a?fail=2`), { count: 3, delay: 100 }, undefined, { sleep });
    expect(outcome.response?.status).toBe(200);
    expect(outcome.attempts.map((a) => [a.attempt, a.status, a.delayMs])).toEqual([
      [1, 503, 0],
      [2, 503, 100],
      [3, 200, 100],
    ]);
    expect(delays).toEqual([100, 100]);
    expect(outcome.exhausted).toBe(false);
  });

  it('gives up after count retries and returns the last response', async () => {
    const { sleep } = fakeSleep();
    const outcome = await sendWithRetry((r) => http.send(r), get(`${base}/flaky/b?fail=10&status=502`), { count: 2 }, undefined, { sleep });
    expect(outcome.response?.status).toBe(502);
    expect(outcome.attempts).toHaveLength(3);
    expect(outcome.exhausted).toBe(true);
  });

  it('does not retry a status outside the list, and retries one that is listed', async () => {
    const { sleep } = fakeSleep();
    const plain = await sendWithRetry((r) => http.send(r), get(`${base}/flaky/c?fail=1&status=500`), { count: 3 }, undefined, { sleep });
    expect(plain.attempts.map((a) => a.status)).toEqual([500]);
    const listed = await sendWithRetry(
      (r) => http.send(r),
      get(`${base}/flaky/d?fail=1&status=500`),
      { count: 3, statuses: [500] },
      undefined,
      { sleep },
    );
    expect(listed.attempts.map((a) => a.status)).toEqual([500, 200]);
  });

  it('grows exponential delays, capped by maxDelay', async () => {
    const { delays, sleep } = fakeSleep();
    await sendWithRetry(
      (r) => http.send(r),
      get(`${base}/flaky/e?fail=5`),
      { count: 5, delay: 100, backoff: 'exponential', maxDelay: 500 },
      undefined,
      {
        sleep,
      },
    );
    expect(delays).toEqual([100, 200, 400, 500, 500]);
  });

  it('keeps jittered delays between half and all of the delay', () => {
    expect(computeDelay({ count: 1, delay: 1000, jitter: true }, 1, () => 0)).toBe(500);
    expect(computeDelay({ count: 1, delay: 1000, jitter: true }, 1, () => 0.999)).toBe(1000);
    expect(computeDelay({ count: 3, delay: 1000, jitter: true, backoff: 'exponential' }, 3, () => 0.5)).toBe(3000);
  });

  it('honours Retry-After seconds from a 429, within maxDelay', async () => {
    const { delays, sleep } = fakeSleep();
    const outcome = await sendWithRetry(
      (r) => http.send(r),
      get(`${base}/flaky/f?fail=2&status=429&after=2`),
      { count: 2, delay: 10, maxDelay: 60_000 },
      undefined,
      {
        sleep,
      },
    );
    expect(outcome.response?.status).toBe(200);
    expect(delays).toEqual([2000, 2000]);
    const capped = fakeSleep();
    await sendWithRetry(
      (r) => http.send(r),
      get(`${base}/flaky/g?fail=1&status=429&after=120`),
      { count: 1, delay: 10, maxDelay: 5000 },
      undefined,
      {
        sleep: capped.sleep,
      },
    );
    expect(capped.delays).toEqual([5000]);
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const response = { headers: [['Retry-After', 'Wed, 01 Jan 2025 00:00:30 GMT']] } as never;
    expect(readRetryAfter(response, () => now)).toBe(30_000);
    expect(readRetryAfter({ headers: [['retry-after', 'soon']] } as never)).toBeUndefined();
  });

  it('retries a refused connection as a network error unless networkErrors is false', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { sleep } = fakeSleep();
    const outcome = await sendWithRetry((r) => http.send(r), get(`http://127.0.0.1:${port}/`), { count: 2 }, undefined, { sleep });
    expect(outcome.response).toBeUndefined();
    expect(outcome.attempts.map((a) => a.error?.code)).toEqual(['SORTIE_NETWORK', 'SORTIE_NETWORK', 'SORTIE_NETWORK']);
    const once = await sendWithRetry((r) => http.send(r), get(`http://127.0.0.1:${port}/`), { count: 2, networkErrors: false }, undefined, {
      sleep,
    });
    expect(once.attempts).toHaveLength(1);
  });

  it('does not retry an error that is not a network error', async () => {
    const { sleep } = fakeSleep();
    const outcome = await sendWithRetry(() => Promise.reject(new Error('bug')), get(`${base}/x`), { count: 3 }, undefined, { sleep });
    expect(outcome.attempts).toHaveLength(1);
    expect(outcome.error).toBeInstanceOf(Error);
  });

  it('stops retrying when the signal aborts during a delay', async () => {
    const controller = new AbortController();
    const outcome = await sendWithRetry((r) => http.send(r), get(`${base}/flaky/h?fail=5`), { count: 5 }, controller.signal, {
      sleep: async () => controller.abort(),
    });
    expect(outcome.attempts).toHaveLength(1);
    expect(outcome.response?.status).toBe(503);
  });
});
