import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { goldenIn } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { rawTarGz } from './hostile-tar.js';
import { startTestServer, type TestServer } from './test-server.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden', 'api'));

let running: TestServer;
let server: RunningServer;
let read = '';
let submit = '';

interface Stream {
  request: ClientRequest;
  response: IncomingMessage;
  /** Everything received so far. */
  text: () => string;
  ended: Promise<void>;
}

/** Opens GET /api/runs/:id/events and resolves once the answer's head has arrived (the body keeps coming). */
function openStream(runId: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(`/api/runs/${runId}/events`, server.url), {
      headers: { authorization: `Bearer ${read}`, accept: 'text/event-stream' },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      const ended = new Promise<void>((done) => {
        response.on('end', done);
        response.on('close', done);
      });
      resolve({ request, response, text: () => text, ended });
    });
    request.on('error', reject);
    request.end();
  });
}

async function submitRun(): Promise<string> {
  const form = new FormData();
  form.set(
    'bundle',
    new Blob([
      rawTarGz([
        { name: 'sortie-bundle.json', data: '{"version":1,"files":["a.json"]}' },
        { name: 'a.json', data: '{}' },
      ]),
    ]),
    'b.tgz',
  );
  form.set('pool', 'nobody');
  const response = await fetch(new URL('/api/runs', server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${submit}` },
    body: form,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Opens a stream until one is let in: a place is freed when the server has seen the other end go. */
async function openWhenFree(runId: string): Promise<Stream> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const stream = await openStream(runId);
    if (stream.response.statusCode === 200) return stream;
    stream.response.resume();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no place was freed');
}

beforeAll(async () => {
  running = await startTestServer({ maxEventStreams: 2 });
  server = running.server;
  read = await running.token('read');
  submit = await running.token('submit');
}, 60_000);

afterAll(async () => {
  await running?.close();
});

describe('the cap on open event streams', { timeout: 60_000 }, () => {
  it('answers 503 with Retry-After past the cap, and lets a stream in again once one ends', async () => {
    const runId = await submitRun();
    const first = await openStream(runId);
    const second = await openStream(runId);
    expect([first.response.statusCode, second.response.statusCode]).toEqual([200, 200]);

    const refused = await openStream(runId);
    expect(refused.response.statusCode).toBe(503);
    expect(refused.response.headers['retry-after']).toBe('5');
    await refused.ended;
    expectGolden('events-cap.txt', `${refused.response.statusCode} ${refused.text()}\n`);

    // The client leaving frees its place.
    first.request.destroy();
    const third = await openWhenFree(runId);

    // The run ending ends its streams, and frees their places: two new ones are let in.
    const otherRun = await submitRun();
    const cancelled = await fetch(new URL(`/api/runs/${runId}/cancel`, server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${submit}` },
    });
    expect(cancelled.status).toBe(200);
    await Promise.all([second.ended, third.ended]);
    expect(second.text()).toContain('event: end');
    const fourth = await openWhenFree(otherRun);
    const fifth = await openWhenFree(otherRun);
    const over = await openStream(otherRun);
    expect(over.response.statusCode).toBe(503);
    over.response.resume();

    // The dashboard's live view holds a Redis connection too: it counts toward the same cap.
    const login = await fetch(new URL('/login', server.url), {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token: read }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const live = () => {
      const controller = new AbortController();
      const pending = fetch(new URL(`/runs/${otherRun}/live`, server.url), {
        headers: { cookie, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      return { pending, controller };
    };
    const full = await live().pending;
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('5');
    expect(await full.text()).toBe('Too many live views are open on this server; reload the page in a few seconds.');
    fourth.request.destroy();
    let view: ReturnType<typeof live> | undefined;
    for (let attempt = 0; attempt < 100 && view === undefined; attempt++) {
      const next = live();
      const response = await next.pending;
      if (response.status === 200) view = next;
      else await response.text();
      if (view === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(view).toBeDefined();
    expect((await openStream(otherRun)).response.statusCode).toBe(503);
    view?.controller.abort();
    fifth.request.destroy();
  });
});
