/**
 * A customToken login that answers as a web form login does: 302 to the home page, the session in Set-Cookie.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CustomTokenAuthSchema, ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, readJson } from './harness.js';

let server: Server;
let url = '';
const logins: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/login') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        logins.push(request.method ?? '');
        if (form.get('password') !== 'form-Login-Pw-3') {
          response.writeHead(302, { location: '/login?error=1' });
        } else {
          response.writeHead(302, { location: '/home', 'set-cookie': 'sid=form-session-42; Path=/; HttpOnly' });
        }
        response.end();
        return;
      }
      const ok = request.headers.cookie === 'sid=form-session-42';
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function createProfile(password: string) {
  return CustomTokenAuthSchema.parse({
    type: 'customToken',
    request: { url: `${url}/login`, form: { username: 'alice', password } },
    tokenHeader: 'set-cookie',
    tokenRegex: 'sid=[^;]+',
    placement: { in: 'header', name: 'Cookie', prefix: '' },
  });
}

describe('a customToken login answered with a redirect', () => {
  it('reads the session from the 302 without following it', async () => {
    const harness = createHarness();
    const { response } = await harness.call('web', createProfile('form-Login-Pw-3'), `${url}/api/orders`);
    expect(readJson(response)).toEqual({ ok: true });
    expect(logins.at(-1)).toBe('POST');
    expect(harness.sent.map((request) => request.url)).toEqual([`${url}/login`]);
  });

  it('says there is no token when the redirect carries none (a refused login)', async () => {
    const harness = createHarness();
    const error = await harness.call('web', createProfile('wrong-pw'), `${url}/api/orders`).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe(ErrorCode.AUTH_NO_TOKEN);
    expect(error?.message).toBe(
      `profile "web": the response of ${url}/login has no token at /sid=[^;]+/ in header set-cookie (it answered HTTP 302, a redirect to ${url}/login)`,
    );
  });
});
