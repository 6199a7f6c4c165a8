import { ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PASSWORD_CLIENT_SECRET,
  PASSWORD_USER_PASSWORD,
  type PasswordServer,
  startPasswordServer,
} from '../../../fixtures/src/oauth/index.js';
import { createHarness, readAuthorization, readJson } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let server: PasswordServer;

beforeAll(async () => {
  server = await startPasswordServer({ accessTokenTtl: 60 });
});

afterAll(async () => {
  await server.close();
});

function createProfile(overrides: Record<string, unknown> = {}) {
  return createOAuth2Profile({
    grant: 'password',
    tokenUrl: server.tokenUrl,
    clientId: 'password-client',
    clientSecret: PASSWORD_CLIENT_SECRET,
    username: 'ada',
    password: PASSWORD_USER_PASSWORD,
    ...overrides,
  });
}

function countGrants(): Record<string, number> {
  return { ...server.grants };
}

function diffGrants(before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [grant, count] of Object.entries(server.grants)) if (count !== (before[grant] ?? 0)) out[grant] = count - (before[grant] ?? 0);
  return out;
}

describe('password grant with rotating refresh tokens (@node-oauth/oauth2-server)', () => {
  it('obtains a token with the password grant', async () => {
    const harness = createHarness();
    const { response } = await harness.call('user', createProfile(), `${server.url}/api/me`);
    expect(readJson(response)).toEqual({ sub: 'ada' });
  });

  it('follows refresh token rotation: each refresh uses the refresh token the previous one returned', async () => {
    const harness = createHarness();
    const profile = createProfile();
    const before = countGrants();
    const first = await harness.call('user', profile, `${server.url}/api/me`);
    harness.clock.now += 59_000;
    const second = await harness.call('user', profile, `${server.url}/api/me`);
    harness.clock.now += 59_000;
    const third = await harness.call('user', profile, `${server.url}/api/me`);
    // Had the old (revoked) refresh token been reused, the server would answer invalid_grant and a second password
    // grant would show up here.
    expect(diffGrants(before)).toEqual({ password: 1, refresh_token: 2 });
    const tokens = [first, second, third].map((r) => readAuthorization(r.request));
    expect(new Set(tokens).size).toBe(3);
    expect(third.response.status).toBe(200);
    expect(harness.events.map((e) => e.action)).toEqual(['obtained', 'refreshed', 'refreshed']);
  });

  it('obtains from scratch when the refresh is rejected with invalid_grant (unattended grant)', async () => {
    const harness = createHarness();
    const profile = createProfile();
    await harness.call('user', profile, `${server.url}/api/me`);
    server.revokeAllRefreshTokens();
    harness.clock.now += 59_000;
    const before = countGrants();
    const { response } = await harness.call('user', profile, `${server.url}/api/me`);
    expect(response.status).toBe(200);
    expect(diffGrants(before)).toEqual({ refresh_token: 1, password: 1 });
    expect(harness.events.map((e) => e.action)).toEqual(['obtained', 'obtained']);
  });

  it('refreshes reactively when the server revoked the access token (401)', async () => {
    const harness = createHarness();
    const profile = createProfile();
    const first = await harness.call('user', profile, `${server.url}/api/me`);
    server.revokeAccessToken(readAuthorization(first.request)!.slice('Bearer '.length));
    const before = countGrants();
    const response = await harness.callWithRetry('user', profile, `${server.url}/api/me`);
    expect(response.status).toBe(200);
    expect(diffGrants(before)).toEqual({ refresh_token: 1 });
  });

  it('reports a wrong password as an AUTH error naming the profile, without the password', async () => {
    const harness = createHarness();
    const error = await harness
      .call('user', createProfile({ password: 'not-the-password-123' }), `${server.url}/api/me`)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR, status: 400, error: 'invalid_grant' });
    expect((error as Error).message).toContain('profile "user"');
    expect((error as Error).message).not.toContain('not-the-password-123');
  });

  it('sends the client credentials in the body when clientAuth is body', async () => {
    const harness = createHarness();
    const { response } = await harness.call('user', createProfile({ clientAuth: 'body' }), `${server.url}/api/me`);
    expect(response.status).toBe(200);
    const tokenRequest = harness.sent[0]!;
    expect(readAuthorization(tokenRequest)).toBeUndefined();
    expect(new URLSearchParams(String(tokenRequest.body)).get('client_secret')).toBe(PASSWORD_CLIENT_SECRET);
  });
});
