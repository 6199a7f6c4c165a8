/**
 * Headers named as credentials (`X-Auth-Token`, `X-Session-Id`…) are secrets like Authorization: their values
 * are hidden in every event (the request record, a response body echoing them).
 *
 * A redirect that leaves the origin drops the credentials of the request (RFC 9110 §15.4: a client
 * should not forward credentials to another origin; fetch standard, HTTP-redirect fetch step 13), through
 * the engine against two real servers: an auth profile's API key under a name of its own
 * (`Ocp-Apim-Subscription-Key`, Azure API Management's) and a header named as a credential (`X-Auth-Token`)
 * do not reach the other origin; the same origin still gets them, and other headers go on.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Redactor, type RunEvent, ScenarioSchema } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

interface Recorder {
  url: string;
  seen: Map<string, IncomingHttpHeaders>;
  close(): Promise<void>;
}

/** Records the headers of each path; `/to?url=…` redirects there with 307. */
async function startRecorder(): Promise<Recorder> {
  const seen = new Map<string, IncomingHttpHeaders>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    seen.set(url.pathname, request.headers);
    request.resume();
    request.on('end', () => {
      const target = url.searchParams.get('url');
      if (url.pathname === '/to' && target !== null) response.writeHead(307, { location: target }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(request.headers));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let first: Recorder;
let second: Recorder;
beforeAll(async () => {
  [first, second] = await Promise.all([startRecorder(), startRecorder()]);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});

async function runRedirect(target: string): Promise<void> {
  const value = ScenarioSchema.parse({
    name: 'redirect credentials',
    auth: { profiles: { azure: { type: 'apiKey', name: 'Ocp-Apim-Subscription-Key', value: 'subscription-key-0001' } }, use: 'azure' },
    steps: [
      {
        name: 'redirected',
        request: {
          method: 'POST',
          url: `${first.url}/to?url=${encodeURIComponent(target)}`,
          headers: { 'X-Auth-Token': 'auth-token-0002', 'X-Trace': 'trace-1' },
          body: { json: { a: 1 } },
        },
        post: [{ assert: { status: { equals: 200 } } }],
      },
    ],
  });
  const result = await runScenarios({
    scenarios: [{ value, file: 'redirect.json', dir: process.cwd() }],
    redactor: new Redactor(),
    onEvent: () => undefined,
  });
  expect(result.status).toBe('passed');
}

describe('credentials on a redirect', () => {
  it("drops an auth profile's header of any name and credential-named headers when the redirect leaves the origin", async () => {
    await runRedirect(`${second.url}/final`);
    const sent = first.seen.get('/to');
    expect(sent?.['ocp-apim-subscription-key']).toBe('subscription-key-0001');
    expect(sent?.['x-auth-token']).toBe('auth-token-0002');
    const forwarded = second.seen.get('/final');
    expect(forwarded).toBeDefined();
    expect(forwarded?.['ocp-apim-subscription-key']).toBeUndefined();
    expect(forwarded?.['x-auth-token']).toBeUndefined();
    expect(forwarded?.['x-trace']).toBe('trace-1');
  });

  it('keeps them on the same origin', async () => {
    await runRedirect(`${first.url}/same`);
    const forwarded = first.seen.get('/same');
    expect(forwarded?.['ocp-apim-subscription-key']).toBe('subscription-key-0001');
    expect(forwarded?.['x-auth-token']).toBe('auth-token-0002');
    expect(forwarded?.['x-trace']).toBe('trace-1');
  });
});

describe('headers named as credentials', () => {
  it('hides their values in every event, as Authorization is hidden', async () => {
    const value = ScenarioSchema.parse({
      name: 'credential headers',
      steps: [
        {
          name: 'sent',
          request: {
            url: `${first.url}/echo`,
            headers: { 'X-Auth-Token': 'literal-token-0003', 'X-Session-Id': 'session-0004', 'X-Trace': 'trace-2' },
          },
          post: [{ assert: { status: { equals: 200 } } }],
        },
      ],
    });
    const events: RunEvent[] = [];
    const result = await runScenarios({
      scenarios: [{ value, file: 'headers.json', dir: process.cwd() }],
      redactor: new Redactor(),
      onEvent: (event) => events.push(event),
    });
    expect(result.status).toBe('passed');
    expect(first.seen.get('/echo')?.['x-auth-token']).toBe('literal-token-0003');
    const text = JSON.stringify(events);
    expect(text).not.toContain('literal-token-0003');
    expect(text).not.toContain('session-0004');
    expect(text).toContain('trace-2');
    expect(text).toContain('[REDACTED]');
  });
});
