import { type CustomTokenAuth, CustomTokenAuthSchema, ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustomTokenServer, startCustomTokenServer } from '../../../fixtures/src/auth-verifiers/index.js';
import { createGet, createHarness, readJson, sendWithFetch } from './harness.js';

const PASSWORD = 'custom-Login-Pw-7';
let server: CustomTokenServer;

beforeAll(async () => {
  server = await startCustomTokenServer({ username: 'alice', password: PASSWORD, ttlSeconds: 600 });
});
afterAll(async () => {
  await server.close();
});

function createProfile(overrides: Record<string, unknown> = {}): CustomTokenAuth {
  return CustomTokenAuthSchema.parse({
    type: 'customToken',
    request: { url: `${server.url}/login`, json: { username: 'alice', password: PASSWORD } },
    tokenPath: '$.data.session',
    expiresInPath: '$.data.ttl',
    placement: { in: 'header', name: 'X-Session', prefix: 'Session' },
    ...overrides,
  });
}

describe('customToken profiles in the auth-state manager', () => {
  it('asks for the token once when 50 requests need it at the same time, and the API accepts it', async () => {
    const before = server.tokenRequests;
    const harness = createHarness();
    const profile = createProfile();
    const requests = await Promise.all(
      Array.from({ length: 50 }, () => harness.manager.apply('login', profile, createGet(`${server.url}/api/items`))),
    );
    expect(server.tokenRequests - before).toBe(1);
    expect(new Set(requests.map((r) => r.headers.find(([n]) => n === 'X-Session')?.[1])).size).toBe(1);
    const response = await sendWithFetch(requests[0]!);
    expect(readJson(response)).toMatchObject({ ok: true, user: 'alice' });
    expect(harness.events.filter((e) => e.action === 'obtained')).toHaveLength(1);
    expect(harness.events.filter((e) => e.action === 'reused')).toHaveLength(0);
    expect(harness.events[0]).toMatchObject({ profile: 'login', grant: 'customToken' });
    expect(harness.events[0]!.expiresAt).toBe(harness.clock.now + 600_000);
  });

  it('reuses the token while fresh and asks again before it expires (proactive)', async () => {
    const before = server.tokenRequests;
    const harness = createHarness();
    const profile = createProfile({ refreshSkewSeconds: 60 });
    await harness.call('login', profile, `${server.url}/api/a`);
    await harness.call('login', profile, `${server.url}/api/b`);
    expect(server.tokenRequests - before).toBe(1);
    harness.clock.now += 541_000; // within the 60 s skew of the 600 s lifetime
    const { response } = await harness.call('login', profile, `${server.url}/api/c`);
    expect(response.status).toBe(200);
    expect(server.tokenRequests - before).toBe(2);
    expect(harness.events.map((e) => e.action)).toEqual(['obtained', 'reused', 'refreshed']);
  });

  it('asks again when the API rejects the token (reactive), and the resent request passes', async () => {
    const harness = createHarness();
    const profile = createProfile();
    await harness.call('login', profile, `${server.url}/api/a`);
    server.revokeAll();
    const before = server.tokenRequests;
    const response = await harness.callWithRetry('login', profile, `${server.url}/api/b`);
    expect(response.status).toBe(200);
    expect(server.tokenRequests - before).toBe(1);
  });

  it('reads the token with a regular expression and sends it in the query', async () => {
    const harness = createHarness();
    const profile = createProfile({ tokenPath: undefined, tokenRegex: '"session":"([^"]+)"', placement: { in: 'query', name: 'session' } });
    const { response, request } = await harness.call('login', profile, `${server.url}/api/q?x=1`);
    expect(response.status).toBe(200);
    expect(new URL(request.url).searchParams.get('x')).toBe('1');
  });

  it('reads tokenPath and expiresInPath in the JSONPath dialect of assertions (a deep scan finds the token)', async () => {
    const harness = createHarness();
    const profile = createProfile({ tokenPath: '$..session', expiresInPath: '$..ttl' });
    const { response } = await harness.call('login', profile, `${server.url}/api/deep`);
    expect(response.status).toBe(200);
    expect(harness.events[0]!.expiresAt).toBe(harness.clock.now + 600_000);
  });

  it('reports a tokenPath that cannot be evaluated as an AUTH error naming the path', async () => {
    const error = await createHarness()
      .manager.apply('login', createProfile({ tokenPath: '$.data[?(@.x' }), createGet(`${server.url}/api/a`))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH, title: 'Invalid JSON path' });
  });

  it('reports a refused login as an auth error without the password, and registers it as a secret', async () => {
    const harness = createHarness();
    const profile = createProfile({ request: { url: `${server.url}/login`, json: { username: 'alice', password: 'not-the-pw' } } });
    const error = await harness.manager.apply('login', profile, createGet(`${server.url}/api/a`)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR });
    expect(String((error as Error).message)).toContain('HTTP 401');
    expect(harness.events.at(-1)).toMatchObject({ action: 'failed', grant: 'customToken' });
    expect(harness.redactor.redact('pw=not-the-pw')).not.toContain('not-the-pw');
    expect(JSON.stringify(harness.events)).not.toContain('not-the-pw');
  });

  it('says where it looked when the response has no token there', async () => {
    const harness = createHarness();
    const error = await harness.manager
      .apply('login', createProfile({ tokenPath: '$.data.token' }), createGet(`${server.url}/api/a`))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_NO_TOKEN, message: expect.stringContaining('"$.data.token"') });
  });

  it('rejects a profile that does not say where the token is', () => {
    const parsed = CustomTokenAuthSchema.safeParse({ type: 'customToken', request: { url: 'http://x/login' } });
    expect(parsed.success).toBe(false);
  });
});
