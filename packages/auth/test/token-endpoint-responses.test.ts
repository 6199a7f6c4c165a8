import { ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../../fixtures/src/oauth/index.js';
import { OAuthError } from '../src/index.js';
import { createHarness, readAuthorization } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer(() => ({ status: 500 }));
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  (server.requests as unknown[]).length = 0;
});

function createProfile(overrides: Record<string, unknown> = {}) {
  return createOAuth2Profile({
    grant: 'client_credentials',
    tokenUrl: `${server.url}/token`,
    clientId: 'client one',
    clientSecret: 'secret/with:odd+chars',
    ...overrides,
  });
}

async function applyTo(profile: ReturnType<typeof createProfile>, harness = createHarness()) {
  return harness.manager.apply('svc', profile, {
    method: 'GET',
    url: `${server.url}/api`,
    headers: [],
    timeout: 5000,
    followRedirects: false,
    maxRedirects: 0,
  });
}

describe('token endpoint responses', () => {
  it('says where a token endpoint that redirects points, without following it or showing its query', async () => {
    server.handle(() => ({ status: 308, headers: { location: '/oauth2/v2/token?sig=redirect-sig-secret' } }));
    const error = (await applyTo(createProfile()).then(
      () => undefined,
      (e: unknown) => e,
    )) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.message).toBe(
      `profile "svc": token request (client_credentials) to ${server.url}/token failed with HTTP 308: Permanent Redirect: ` +
        `it redirects to ${server.url}/oauth2/v2/token, and requests to an authorization server do not follow redirects`,
    );
    expect(error.hint).toBe(`if ${server.url}/oauth2/v2/token is the right endpoint, write it in the profile`);
    expect(server.requests.map((r) => r.path)).toEqual(['/token']);
  });

  it('accepts a token response sent as a form body', async () => {
    server.handle(() => ({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'access_token=form-token-123&token_type=bearer&expires_in=60',
    }));
    const request = await applyTo(createProfile());
    expect(readAuthorization(request)).toBe('Bearer form-token-123');
  });

  it('accepts a token response sent as a query string in text/plain', async () => {
    server.handle(() => ({ headers: { 'content-type': 'text/plain' }, body: 'access_token=text-token-456&expires_in=60' }));
    const request = await applyTo(createProfile());
    expect(readAuthorization(request)).toBe('Bearer text-token-456');
  });

  it('reads the token and its expiry at tokenPath in a non-standard response', async () => {
    server.handle(() => ({ body: { data: { token: 'nested-token-789', expires_in: 120 }, ok: true } }));
    const harness = createHarness();
    const request = await applyTo(createProfile({ tokenPath: '$.data.token' }), harness);
    expect(readAuthorization(request)).toBe('Bearer nested-token-789');
    expect(harness.events[0]!.expiresAt).toBe(harness.clock.now + 120_000);
  });

  it('sends the id_token when tokenType is id_token', async () => {
    server.handle(() => ({ body: { access_token: 'access-aaa', id_token: 'id-token-bbb', token_type: 'Bearer', expires_in: 60 } }));
    const request = await applyTo(createProfile({ tokenType: 'id_token' }));
    expect(readAuthorization(request)).toBe('Bearer id-token-bbb');
  });

  it('takes the expiry from the JWT exp claim when expires_in is missing', async () => {
    const exp = Math.floor(Date.now() / 1000) + 300;
    const jwt = `${[{ alg: 'none' }, { exp }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.')}.sig`;
    server.handle(() => ({ body: { access_token: jwt, token_type: 'Bearer' } }));
    const harness = createHarness();
    await applyTo(createProfile(), harness);
    expect(harness.events[0]!.expiresAt).toBe(exp * 1000);
  });

  it.each([
    ['a decimal string', '60.0', 60_000],
    ['a fractional number', 60.5, 60_500],
    ['a fractional string in a form body', '90.25', 90_250],
  ])('reads expires_in given as %s (RFC 6749 §5.1: seconds)', async (_what, expiresIn, ms) => {
    server.handle(() =>
      typeof expiresIn === 'string' && expiresIn === '90.25'
        ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=tok-dec&expires_in=${expiresIn}` }
        : { body: { access_token: 'tok-dec', expires_in: expiresIn } },
    );
    const harness = createHarness();
    await applyTo(createProfile(), harness);
    expect(harness.events[0]!.expiresAt).toBe(harness.clock.now + ms);
  });

  it.each([['soon'], ['-5'], [-5], ['1e999'], ['']])('ignores an expires_in of %j it cannot read as seconds', async (expiresIn) => {
    server.handle(() => ({ body: { access_token: 'tok-junk', expires_in: expiresIn } }));
    const harness = createHarness();
    await applyTo(createProfile(), harness);
    expect(harness.events[0]!.expiresAt).toBeUndefined();
  });

  it('puts extra token parameters in body, query and header, and authenticates with form-encoded Basic credentials', async () => {
    server.handle(() => ({ body: { access_token: 'tok-extra-1', expires_in: 60 } }));
    const params = {
      token: [
        { name: 'tenant', value: 'acme', in: 'body' },
        { name: 'region', value: 'eu', in: 'query' },
        { name: 'X-Trace', value: 'abc', in: 'header' },
      ],
    };
    await applyTo(createProfile({ params, scope: 'read write', audience: 'https://api.example' }));
    const received = server.requests[0]!;
    expect(received.form.get('grant_type')).toBe('client_credentials');
    expect(received.form.get('tenant')).toBe('acme');
    expect(received.form.get('scope')).toBe('read write');
    expect(received.form.get('audience')).toBe('https://api.example');
    expect(received.query.get('region')).toBe('eu');
    expect(received.headers['x-trace']).toBe('abc');
    // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
    const basic = Buffer.from(String(received.headers.authorization).slice(6), 'base64').toString();
    expect(basic).toBe('client+one:secret%2Fwith%3Aodd%2Bchars');
    expect(received.form.get('client_secret')).toBeNull();
  });

  it('sends refresh parameters and uses refreshUrl for refresh_token requests', async () => {
    server.handle((request) => ({ body: { access_token: `tok-${request.path}`, refresh_token: 'rt-next-000', expires_in: 60 } }));
    const profile = createOAuth2Profile({
      grant: 'refresh_token',
      tokenUrl: `${server.url}/token`,
      refreshUrl: `${server.url}/refresh`,
      clientId: 'ci',
      refreshToken: 'rt-initial-111',
      params: { refresh: [{ name: 'tenant', value: 'acme' }] },
    });
    const request = await applyTo(profile);
    expect(readAuthorization(request)).toBe('Bearer tok-/refresh');
    const received = server.requests[0]!;
    expect(received.form.get('grant_type')).toBe('refresh_token');
    expect(received.form.get('refresh_token')).toBe('rt-initial-111');
    expect(received.form.get('tenant')).toBe('acme');
    expect(received.form.get('client_id')).toBe('ci');
  });

  it('puts error, error_description, error_uri and the status in the error', async () => {
    server.handle(() => ({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'scope "admin" is not allowed', error_uri: 'https://docs.example/errors#scope' },
    }));
    const error = await applyTo(createProfile()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: ErrorCode.AUTH_OAUTH_ERROR,
      status: 400,
      error: 'invalid_scope',
      errorUri: 'https://docs.example/errors#scope',
    });
    const message = (error as Error).message;
    expect(message).toContain('profile "svc"');
    expect(message).toContain(`${server.url}/token`);
    expect(message).toContain('HTTP 400: invalid_scope (scope "admin" is not allowed), see https://docs.example/errors#scope');
  });

  it('quotes the <title> of an HTML error page in one line, not only "Internal Server Error", with secrets redacted', async () => {
    server.handle((request) => ({
      status: 500,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<!DOCTYPE html>\n<html><head><title>\n  Whitelabel Error Page &amp; ${String(request.headers.authorization)}\n</title></head><body><h1>Oops</h1><pre>java.lang.NullPointerException</pre></body></html>`,
    }));
    const error = (await applyTo(createProfile()).catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.message).toBe(
      `profile "svc": token request (client_credentials) to ${server.url}/token failed with HTTP 500: Internal Server Error; the body reads: "Whitelabel Error Page & Basic […]"`,
    );
    // The echoed Basic credentials are masked as a token-like run (the redactor would catch them too).
    expect(error.message).not.toContain(String(server.requests[0]?.headers.authorization).slice(6));
  });

  it('quotes the text of an HTML page without a title, or a plain-text body, cut at 200 characters, token-like runs masked', async () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${'a'.repeat(40)}.sig`;
    server.handle(() => ({
      status: 502,
      headers: { 'content-type': 'text/plain' },
      body: `Bad gateway: upstream said\r\n\tno (token ${jwt}) ${'x '.repeat(150)}`,
    }));
    const error = (await applyTo(createProfile()).catch((e: unknown) => e)) as OAuthError;
    const excerpt = JSON.parse(/the body reads: (".*")$/.exec(error.message)?.[1] ?? '""') as string;
    expect(excerpt.startsWith('Bad gateway: upstream said no (token […]) x x')).toBe(true);
    expect(excerpt).toHaveLength(200);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(error.message).not.toContain(jwt);

    server.handle(() => ({
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><script>x()</script><h1>Service  Unavailable</h1></body></html>',
    }));
    const untitled = (await applyTo(createProfile()).catch((e: unknown) => e)) as OAuthError;
    expect(untitled.message).toMatch(/HTTP 503: Service Unavailable; the body reads: "Service Unavailable"$/);
  });

  it('quotes the detail of a JSON error without OAuth fields (RFC 9457 problem details), never the whole object', async () => {
    server.handle(() => ({
      status: 500,
      headers: { 'content-type': 'application/problem+json' },
      body: { type: 'about:blank', title: 'Upstream failure', detail: 'the user store timed out', trace: 'internal-trace-id' },
    }));
    const error = (await applyTo(createProfile()).catch((e: unknown) => e)) as OAuthError;
    expect(error.message).toMatch(/HTTP 500: Internal Server Error; the body reads: "the user store timed out: Upstream failure"$/);
    expect(error.message).not.toContain('internal-trace-id');
  });

  it('gives every concurrent caller the same error when the token request fails', async () => {
    server.handle(() => ({ status: 503, body: 'down for maintenance' }));
    const harness = createHarness();
    const profile = createProfile();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => applyTo(profile, harness)));
    expect(server.requests).toHaveLength(1);
    const reasons = new Set(results.map((r) => (r.status === 'rejected' ? r.reason : undefined)));
    expect(reasons.size).toBe(1);
    expect([...reasons][0]).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR, status: 503 });
    expect(harness.events.map((e) => e.action)).toEqual(['failed']);
  });

  it('fails clearly when the response has no token', async () => {
    server.handle(() => ({ body: { ok: true } }));
    const error = await applyTo(createProfile()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_NO_TOKEN, title: 'Invalid token response' });
  });

  it('says a token response announced as JSON is invalid JSON, and where, without quoting it', async () => {
    // A truncated body (a proxy cut it) that holds a token: the error names the status, the content type and the
    // parse position, never the text, since an unparsed token was never registered with the redactor.
    server.handle(() => ({ headers: { 'content-type': 'application/json' }, body: '{"access_token": "cut-token-4711", ' }));
    const error = await applyTo(createProfile()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_NO_TOKEN, title: 'Invalid token response' });
    const message = (error as Error).message;
    expect(message).toContain('HTTP 200');
    expect(message).toContain('invalid JSON');
    expect(message).toContain('application/json');
    expect(message).not.toContain('neither JSON');
    expect(message).not.toContain('cut-token-4711');
  });

  it('says what a token endpoint answered instead of a token object: an HTML page, a JSON array', async () => {
    server.handle(() => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html><body>Sign in</body></html>' }));
    const html = await applyTo(createProfile()).catch((e: unknown) => e);
    expect(html).toMatchObject({ code: ErrorCode.AUTH_NO_TOKEN, title: 'Invalid token response' });
    expect((html as Error).message).toMatch(/HTTP 200 with text\/html; charset=utf-8, not a JSON object nor a form body/);
    expect((html as Error).message).not.toContain('Sign in');

    server.handle(() => ({ headers: { 'content-type': 'application/json' }, body: '["array-token-0815"]' }));
    const array = await applyTo(createProfile()).catch((e: unknown) => e);
    expect((array as Error).message).toMatch(/HTTP 200 with application\/json: a JSON array, not an object/);
    expect((array as Error).message).not.toContain('array-token-0815');
  });

  it('asks for a login when an authorization_code refresh token is rejected', async () => {
    server.handle(() => ({ status: 400, body: { error: 'invalid_grant', error_description: 'refresh token revoked' } }));
    const profile = createOAuth2Profile({
      grant: 'authorization_code',
      authUrl: `${server.url}/authorize`,
      tokenUrl: `${server.url}/token`,
      clientId: 'ci',
      refreshToken: 'rt-revoked-222',
    });
    const error = await applyTo(profile).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_LOGIN_REQUIRED, title: 'Login required', hint: 'sortie auth login svc' });
    expect((error as Error).message).toContain('invalid_grant');
  });

  it('asks for a login for an authorization_code profile without any token', async () => {
    const profile = createOAuth2Profile({
      grant: 'authorization_code',
      authUrl: `${server.url}/a`,
      tokenUrl: `${server.url}/t`,
      clientId: 'ci',
    });
    await expect(applyTo(profile)).rejects.toMatchObject({ code: ErrorCode.AUTH_LOGIN_REQUIRED, title: 'Login required' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('a token endpoint that is down', () => {
  it('fails with an AUTH error naming the profile and the endpoint', async () => {
    const closed = await startScriptedServer(() => ({}));
    const url = `${closed.url}/token`;
    await closed.close();
    const harness = createHarness();
    const error = await applyTo(createProfile({ tokenUrl: url }), harness).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_UNREACHABLE, title: 'Authorization server unreachable' });
    expect((error as Error).message).toContain('profile "svc"');
    expect((error as Error).message).toContain(url);
    expect(harness.events).toMatchObject([{ action: 'failed', profile: 'svc' }]);
  });

  // An empty {{issuer}} left `/token`, a missing scheme left `localhost:8080/token`: the step said "Invalid URL", or
  // named the endpoint `null8080/token`. Now the field and its value are named, nothing is sent, no token event.
  it.each([
    ['a path without scheme and host', 'tokenUrl', '/token'],
    ['a host without scheme', 'tokenUrl', 'localhost:8080/token'],
    ['a scheme other than http(s)', 'refreshUrl', 'ftp://auth.example/token'],
  ])('says which endpoint is not an http(s) URL: %s', async (_case, field, value) => {
    const harness = createHarness();
    // As a template renders it (`{{issuer}}/token`): written so in the file, the schema refuses it (test/schema of core).
    const error = await applyTo({ ...createProfile(), [field]: value }, harness).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.AUTH,
      title: 'Invalid auth profile',
      message: `profile "svc": ${field} "${value}" is not an absolute http:// or https:// URL`,
    });
    expect(harness.sent).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('quotes an invalid endpoint without the secrets in it', async () => {
    const harness = createHarness();
    const profile = { ...createProfile(), tokenUrl: '/token?key=secret/with:odd+chars' };
    const error = await applyTo(profile, harness).catch((e: unknown) => e);
    expect((error as Error).message).toBe('profile "svc": tokenUrl "/token?key=[REDACTED]" is not an absolute http:// or https:// URL');
  });
});
