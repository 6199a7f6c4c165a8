import { type AuthProfile, AuthProfileSchema } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../../fixtures/src/oauth/index.js';
import { createHarness, readAuthorization, readJson } from './harness.js';

let server: ScriptedServer;

beforeAll(async () => {
  // Echoes what it received, so the test checks what went over the wire.
  server = await startScriptedServer((request) => ({
    status:
      request.headers.authorization === undefined && request.headers['x-api-key'] === undefined && !request.query.has('api_key')
        ? 401
        : 200,
    body: { authorization: request.headers.authorization ?? null, apiKey: request.headers['x-api-key'] ?? request.query.get('api_key') },
  }));
});

afterAll(async () => {
  await server.close();
});

describe('static schemes', () => {
  it('sends a bearer token with the default and a custom prefix', async () => {
    const harness = createHarness();
    const bearer = AuthProfileSchema.parse({ type: 'bearer', token: 'static-token-1' });
    expect(readJson((await harness.call('b', bearer, server.url)).response)).toMatchObject({ authorization: 'Bearer static-token-1' });
    const custom = AuthProfileSchema.parse({ type: 'bearer', token: 'static-token-1', prefix: 'Token' });
    expect(readJson((await harness.call('b', custom, server.url)).response)).toMatchObject({ authorization: 'Token static-token-1' });
  });

  it('sends basic credentials as base64 of user:password (RFC 7617)', async () => {
    const harness = createHarness();
    const basic = AuthProfileSchema.parse({ type: 'basic', username: 'Aladdin', password: 'open sesame' });
    expect(readJson((await harness.call('b', basic, server.url)).response)).toMatchObject({
      authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    });
  });

  it('sends a password with ":" and non-ASCII characters as UTF-8 (RFC 7617 §2.1)', async () => {
    const harness = createHarness();
    const basic = AuthProfileSchema.parse({ type: 'basic', username: 'Zoë', password: 'pä:ss wörd' });
    const { authorization } = readJson((await harness.call('b', basic, server.url)).response) as { authorization: string };
    expect(Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe('Zoë:pä:ss wörd');
  });

  it('refuses a username with ":" before sending: the server would split the credentials there (RFC 7617 §2)', async () => {
    const harness = createHarness();
    const before = server.requests.length;
    const basic = AuthProfileSchema.parse({ type: 'basic', username: 'domain:user', password: 'colon-pass-1' });
    await expect(harness.call('b', basic, server.url)).rejects.toMatchObject({
      code: 'SORTIE_AUTH',
      title: 'Invalid basic credentials',
      message:
        'profile "b": the username contains ":", which Basic authentication cannot send (RFC 7617 §2): the server would take the text before it as the username and the rest as part of the password',
    });
    expect(server.requests.length).toBe(before);
  });

  // A token with a stray newline or a pasted "€" made the HTTP client refuse the request with "invalid Authorization
  // header", naming neither the profile nor the field; now the step says which field, without quoting the secret.
  it.each([
    ['a bearer token with a line break', { type: 'bearer', token: 'tok-1\nx' }, 'the token contains a line break'],
    ['a bearer token with a character outside ISO-8859-1', { type: 'bearer', token: 'tok-€-1' }, 'the token contains a line break'],
    [
      'an API key header value with a character outside ISO-8859-1',
      { type: 'apiKey', name: 'X-Api-Key', value: 'käy€-1' },
      'the value contains',
    ],
    [
      'an API key header name with a space',
      { type: 'apiKey', name: 'Api Key', value: 'key-1' },
      'name "Api Key" is not a valid header name',
    ],
  ])('refuses %s before sending, naming the profile and the field', async (_case, raw, expected) => {
    const harness = createHarness();
    const before = server.requests.length;
    // The values as templates render them: an API key header name with a space written so in the file is refused by the schema.
    const rendered = { ...AuthProfileSchema.parse({ ...raw, ...('name' in raw ? { name: '{{name}}' } : {}) }), ...raw };
    const error = await harness.call('k', rendered as AuthProfile, server.url).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SORTIE_AUTH', title: 'Invalid auth profile' });
    expect((error as Error).message).toContain(`profile "k": ${expected}`);
    expect((error as Error).message).not.toMatch(/tok-|key-1|käy/);
    expect(server.requests.length).toBe(before);
  });

  it('sends a Latin-1 API key and an API key with a line break in the query, which encodes it', async () => {
    const harness = createHarness();
    const header = AuthProfileSchema.parse({ type: 'apiKey', name: 'X-Api-Key', value: 'caf\u00e9' });
    expect((await harness.call('k', header, server.url)).response.status).toBe(200);
    const query = AuthProfileSchema.parse({ type: 'apiKey', name: 'api_key', value: 'a\nb€', in: 'query' });
    expect(readJson((await harness.call('k', query, server.url)).response)).toMatchObject({ apiKey: 'a\nb€' });
  });

  it('sends an API key in a header or in the query', async () => {
    const harness = createHarness();
    const header = AuthProfileSchema.parse({ type: 'apiKey', name: 'X-API-Key', value: 'key-in-header-1' });
    expect(readJson((await harness.call('k', header, server.url)).response)).toMatchObject({ apiKey: 'key-in-header-1' });
    const query = AuthProfileSchema.parse({ type: 'apiKey', name: 'api_key', value: 'key in query/2', in: 'query' });
    const { response, request } = await harness.call('k', query, `${server.url}/x?a=1`);
    expect(readJson(response)).toMatchObject({ apiKey: 'key in query/2' });
    expect(new URL(request.url).searchParams.get('a')).toBe('1');
  });

  it('replaces an Authorization header the request already had', async () => {
    const harness = createHarness();
    const bearer = AuthProfileSchema.parse({ type: 'bearer', token: 'new-token-22' });
    const request = await harness.manager.apply('b', bearer, {
      method: 'GET',
      url: server.url,
      headers: [['Authorization', 'Bearer old']],
      timeout: 1000,
      followRedirects: false,
      maxRedirects: 0,
    });
    expect(request.headers.filter(([n]) => n.toLowerCase() === 'authorization')).toEqual([['Authorization', 'Bearer new-token-22']]);
    expect(readAuthorization(request)).toBe('Bearer new-token-22');
  });

  it('registers static secrets and never reports a static credential as rejected', async () => {
    const harness = createHarness();
    const profile = AuthProfileSchema.parse({ type: 'apiKey', name: 'X-API-Key', value: 'static-key-333' });
    const { response } = await harness.call('k', profile, server.url);
    expect(harness.redactor.redact('key static-key-333')).toBe('key [REDACTED]');
    expect(harness.manager.isRejected('k', profile, { ...response, status: 401 })).toBe(false);
  });
});
