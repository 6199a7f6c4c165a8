import { ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '../../../fixtures/src/oauth/index.js';
import { createHarness, readAuthorization, readJson } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let server: OidcServer;

beforeAll(async () => {
  server = await startOidcServer({ accessTokenTtl: 2 });
});

afterAll(async () => {
  await server.close();
});

function createProfile(overrides: Record<string, unknown> = {}) {
  return createOAuth2Profile({
    grant: 'client_credentials',
    tokenUrl: server.tokenUrl,
    clientId: 'cc-client',
    clientSecret: OIDC_CLIENT_SECRET,
    ...overrides,
  });
}

describe('client_credentials against oidc-provider', () => {
  it('obtains a token and the protected resource accepts it', async () => {
    const harness = createHarness();
    const { response, request } = await harness.call('api', createProfile(), `${server.url}/api/me`);
    expect(response.status).toBe(200);
    expect(readJson(response)).toEqual({ client_id: 'cc-client' });
    expect(readAuthorization(request)).toMatch(/^Bearer \S+$/);
    expect(harness.events.map((e) => e.action)).toEqual(['obtained']);
    expect(harness.events[0]).toMatchObject({ type: 'token', profile: 'api', grant: 'client_credentials' });
    expect(harness.events[0]!.expiresAt).toBeGreaterThan(harness.clock.now);
  });

  it('reuses the token while it is fresh', async () => {
    const harness = createHarness();
    const profile = createProfile({ refreshSkewSeconds: 0 });
    const before = server.tokenRequests;
    const first = await harness.call('api', profile, `${server.url}/api/me`);
    const second = await harness.call('api', profile, `${server.url}/api/me`);
    expect(server.tokenRequests - before).toBe(1);
    expect(readAuthorization(second.request)).toBe(readAuthorization(first.request));
    expect(harness.events.map((e) => e.action)).toEqual(['obtained', 'reused']);
  });

  it('makes exactly one token request when 50 steps need a token at the same time', async () => {
    const harness = createHarness();
    const profile = createProfile();
    const before = server.tokenRequests;
    const results = await Promise.all(Array.from({ length: 50 }, () => harness.call('api', profile, `${server.url}/api/me`)));
    expect(server.tokenRequests - before).toBe(1);
    expect(new Set(results.map((r) => readAuthorization(r.request))).size).toBe(1);
    expect(results.every((r) => r.response.status === 200)).toBe(true);
  });

  it('obtains a new token before the old one expires (proactive refresh within the skew)', async () => {
    const harness = createHarness();
    const profile = createProfile({ refreshSkewSeconds: 1 });
    const first = await harness.call('api', profile, `${server.url}/api/me`);
    harness.clock.now += 1_100; // the 2 s token is now within 1 s of expiry
    const before = server.tokenRequests;
    const second = await harness.call('api', profile, `${server.url}/api/me`);
    expect(server.tokenRequests - before).toBe(1);
    expect(readAuthorization(second.request)).not.toBe(readAuthorization(first.request));
    expect(second.response.status).toBe(200);
  });

  it('refreshes proactively across a real expiry mid-run', async () => {
    const harness = createHarness({ now: Date.now });
    const profile = createProfile({ refreshSkewSeconds: 1 });
    const first = await harness.call('api', profile, `${server.url}/api/me`);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await harness.call('api', profile, `${server.url}/api/me`);
    expect(second.response.status).toBe(200);
    expect(readAuthorization(second.request)).not.toBe(readAuthorization(first.request));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // By now the first token has really expired on the server: without the refresh this step would have failed.
    const replay = await fetch(`${server.url}/api/me`, { headers: { authorization: readAuthorization(first.request)! } });
    expect(replay.status).toBe(401);
  });

  it('renews a token the server revoked early and resends once (401)', async () => {
    const harness = createHarness();
    const profile = createProfile();
    const first = await harness.call('api', profile, `${server.url}/api/me`);
    await server.revokeAccessToken(readAuthorization(first.request)!.slice('Bearer '.length));
    const rejectedBefore = server.rejected;
    const response = await harness.callWithRetry('api', profile, `${server.url}/api/me`);
    expect(response.status).toBe(200);
    expect(server.rejected - rejectedBefore).toBe(1);
    expect(harness.events.map((e) => e.action)).toEqual(['obtained', 'reused', 'obtained']);
  });

  it('renews a token when the body matches the expired pattern', async () => {
    const harness = createHarness();
    const profile = createProfile({ expiredBodyPattern: '"message":"token expired"' });
    const first = await harness.call('api', profile, `${server.url}/api/soft`);
    await server.revokeAccessToken(readAuthorization(first.request)!.slice('Bearer '.length));
    const rejected = await harness.call('api', profile, `${server.url}/api/soft`);
    expect(rejected.response.status).toBe(200);
    expect(harness.manager.isRejected('api', profile, rejected.response, rejected.request)).toBe(true);
    const retried = await harness.call('api', profile, `${server.url}/api/soft`);
    expect(readJson(retried.response)).toEqual({ client_id: 'cc-client' });
  });

  it('does not drop a token another step already renewed', async () => {
    const harness = createHarness();
    const profile = createProfile();
    const old = await harness.call('api', profile, `${server.url}/api/me`);
    await server.revokeAccessToken(readAuthorization(old.request)!.slice('Bearer '.length));
    const rejected = await harness.call('api', profile, `${server.url}/api/me`);
    expect(harness.manager.isRejected('api', profile, rejected.response, rejected.request)).toBe(true);
    await harness.call('api', profile, `${server.url}/api/me`);
    const before = server.tokenRequests;
    // A late 401 for a request that carried the old token must not invalidate the new one.
    expect(harness.manager.isRejected('api', profile, rejected.response, rejected.request)).toBe(true);
    await harness.call('api', profile, `${server.url}/api/me`);
    expect(server.tokenRequests - before).toBe(0);
  });

  it('reports a wrong client secret as an AUTH error with the OAuth fields', async () => {
    const harness = createHarness();
    const error = await harness.manager
      .apply('api', createProfile({ clientSecret: 'wrong-secret-value' }), {
        method: 'GET',
        url: `${server.url}/api/me`,
        headers: [],
        timeout: 5000,
        followRedirects: false,
        maxRedirects: 0,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR, status: 401, error: 'invalid_client' });
    expect((error as Error).message).toContain('profile "api"');
    expect((error as Error).message).toContain(`${server.url}/token`);
    expect((error as Error).message).toContain('invalid_client');
    expect(harness.events.map((e) => e.action)).toEqual(['failed']);
  });

  it('puts the token in a query parameter when the profile says so', async () => {
    const harness = createHarness();
    const { response, request } = await harness.call(
      'api',
      createProfile({ placement: { in: 'query', name: 'access_token' } }),
      `${server.url}/api/me`,
    );
    expect(readAuthorization(request)).toBeUndefined();
    expect(new URL(request.url).searchParams.get('access_token')).toMatch(/\S+/);
    expect(response.status).toBe(200);
  });
});
