/**
 * A response body is read by auth as assertions read it: in the charset its Content-Type names (an API whose messages
 * are in ISO-8859-1), not always as UTF-8.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CustomTokenAuthSchema } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, readAuthorization } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let server: Server;
let url = '';
let issued = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/token') {
        issued += 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: `token-${issued}-abcdef`, expires_in: 3600 }));
      } else if (request.url === '/login') {
        response.writeHead(200, { 'content-type': 'text/plain; charset=ISO-8859-1' });
        response.end(Buffer.from('Bienvenue. Clé de session : s3ss10n-Key\n', 'latin1'));
      } else {
        // An expired token is answered 200 with a French message, in Latin-1.
        const expired = request.headers.authorization === 'Bearer token-1-abcdef';
        response.writeHead(200, { 'content-type': 'application/json; charset=ISO-8859-1' });
        response.end(Buffer.from(JSON.stringify(expired ? { erreur: 'Jeton expiré' } : { ok: true }), 'latin1'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('response bodies in the charset their Content-Type names', () => {
  it('matches expiredBodyPattern against a Latin-1 body', async () => {
    const harness = createHarness();
    const profile = createOAuth2Profile({
      grant: 'client_credentials',
      tokenUrl: `${url}/token`,
      clientId: 'c',
      clientSecret: 'client-secret-1',
      expiredBodyPattern: 'Jeton expiré',
    });
    const first = await harness.call('fr', profile, `${url}/api`);
    expect(readAuthorization(first.request)).toBe('Bearer token-1-abcdef');
    expect(harness.manager.isRejected('fr', profile, first.response, first.request)).toBe(true);
    const second = await harness.call('fr', profile, `${url}/api`);
    expect(readAuthorization(second.request)).toBe('Bearer token-2-abcdef');
    expect(harness.manager.isRejected('fr', profile, second.response, second.request)).toBe(false);
  });

  it('finds a customToken tokenRegex in a Latin-1 login response', async () => {
    const harness = createHarness();
    const profile = CustomTokenAuthSchema.parse({
      type: 'customToken',
      request: { url: `${url}/login` },
      tokenRegex: 'Clé de session : (\\S+)',
    });
    const { request } = await harness.call('login', profile, `${url}/api/ok`);
    expect(readAuthorization(request)).toBe('Bearer s3ss10n-Key');
  });
});
