/**
 * A session cookie the jar sends is a secret, as a Cookie header the scenario writes is: a server that
 * echoes the Cookie header it got showed the session in every report, though its Set-Cookie was hidden.
 * A real HTTP server sets the cookies (also on a redirect hop) and echoes them.
 */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redactor } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from './support/run-flow.js';

const SESSION = 'sess-5f1c2a9b7e3d';
const HOP_SESSION = 'hop-8d2e4b6a0c91';
const APP_SESSION = 'app-3c7f9e1d5b28';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/login') {
      res.setHeader('set-cookie', [`sid=${SESSION}; Path=/; HttpOnly`, 'lang=en-GB; Path=/']);
      res.end('{"ok":true}');
    } else if (req.url === '/auth/login') {
      // A session for /app only: no URL of the step matches its Path, so the jar never sends it back here.
      res.setHeader('set-cookie', [`app_session=${APP_SESSION}; Path=/app; HttpOnly`, 'theme=midnight; Path=/app; HttpOnly']);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ session: APP_SESSION, theme: 'midnight' }));
    } else if (req.url === '/hop') {
      res.writeHead(302, { location: '/echo', 'set-cookie': `hop=${HOP_SESSION}; Path=/` });
      res.end();
    } else {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? '', locale: 'en-GB' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('cookies of the jar', () => {
  it('are redacted where a server echoes them, also those a redirect hop set', async () => {
    const run = await runFlow(
      {
        name: 'session cookie',
        steps: [
          { name: 'login', request: { url: `${base}/login` } },
          { name: 'echo', request: { url: `${base}/echo` } },
          { name: 'hop', request: { url: `${base}/hop` } },
        ],
      },
      { redactor: new Redactor() },
    );
    expect(run.result.status).toBe('passed');
    const events = JSON.stringify(run.events);
    expect(events).not.toContain(SESSION);
    expect(events).not.toContain(HOP_SESSION);
    const echo = JSON.parse(run.steps.find((s) => s.name === 'echo')!.response!.body!.text);
    expect(echo).toEqual({ cookie: '[REDACTED]', locale: 'en-GB' });
    const hop = JSON.parse(run.steps.find((s) => s.name === 'hop')!.response!.body!.text);
    // Each pair is its own secret, and an ordinary value ("en-GB") is left alone elsewhere.
    expect(hop).toEqual({ cookie: '[REDACTED]', locale: 'en-GB' });
  });

  it('are secrets as soon as the jar stores them, whatever their Path, also as a bare value in an assertion message', async () => {
    const run = await runFlow(
      {
        name: 'session for another path',
        steps: [
          {
            name: 'login',
            request: { url: `${base}/auth/login` },
            post: [
              { assert: { jsonpath: { path: '$.session', equals: 'expected-session' } } },
              { assert: { jsonpath: { path: '$.theme', equals: 'light' } } },
            ],
          },
        ],
      },
      { redactor: new Redactor() },
    );
    expect(run.result.status).toBe('failed');
    const events = JSON.stringify(run.events);
    // It was in the body and in the first assertion's message: registered only once a request sent it.
    expect(events).not.toContain(APP_SESSION);
    expect(events).toContain('[REDACTED]');
    // An ordinary cookie (a settings name, a short value) stays readable as a bare value, HttpOnly or not.
    expect(events).toContain('midnight');
  });
});
