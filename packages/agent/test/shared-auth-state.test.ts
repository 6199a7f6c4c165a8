/**
 * The auth-state manager of @sortie/auth with RedisTokenStore as its shared level: several managers
 * (as runs on several agents) on their own Redis connections, against oidc-provider's client
 * credentials grant.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@sortie/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '../../../fixtures/src/oauth/index.js';
import { computeCacheKey } from '../../auth/src/index.js';
import { createHarness, readAuthorization } from '../../auth/test/harness.js';
import { createOAuth2Profile } from '../../auth/test/profiles.js';
import { findClosedPort, shouldSkipService } from '../../db/test/services.js';
import { RedisTokenStore } from '../src/redis-token-store.js';

const skip = await shouldSkipService('Redis', 6379);

describe.skipIf(skip)('the auth-state manager sharing tokens through RedisTokenStore', () => {
  const prefix = `sortie-test:${randomBytes(4).toString('hex')}`;
  const clients: Redis[] = [];
  let server: OidcServer;

  const agentStore = () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    clients.push(redis);
    return new RedisTokenStore({ redis, secret: 'team-key', prefix });
  };
  const profile = () =>
    createOAuth2Profile({
      grant: 'client_credentials',
      tokenUrl: server.tokenUrl,
      clientId: 'cc-client',
      clientSecret: OIDC_CLIENT_SECRET,
    });

  beforeAll(async () => {
    server = await startOidcServer({ accessTokenTtl: 600 });
  });

  afterAll(async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    for (const client of clients) client.disconnect();
    await server.close();
  });

  it('reuses the token another agent obtained, and a rejected token is renewed once for every agent', async () => {
    const before = server.tokenRequests;
    const [a, b, c] = [
      createHarness({ sharedTokens: agentStore() }),
      createHarness({ sharedTokens: agentStore() }),
      createHarness({ sharedTokens: agentStore() }),
    ];
    const first = await a.call('api', profile(), `${server.url}/api/me`);
    const second = await b.call('api', profile(), `${server.url}/api/me`);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    expect(readAuthorization(second.request)).toBe(readAuthorization(first.request));
    expect(server.tokenRequests - before).toBe(1);
    expect(a.events.map((e) => e.action)).toEqual(['obtained']);
    expect(b.events.map((e) => e.action)).toEqual(['reused']);
    // Taken from Redis, the token is still a secret of the run that uses it.
    const token = (readAuthorization(first.request) ?? '').replace(/^Bearer /, '');
    expect(b.redactor.redact(`sent ${token}`)).not.toContain(token);

    // The API stops accepting it: B renews once (under the lock), and the new token replaces it for everyone.
    await server.revokeAccessToken(token);
    expect((await b.callWithRetry('api', profile(), `${server.url}/api/me`)).status).toBe(200);
    expect(server.tokenRequests - before).toBe(2);
    expect(b.events.map((e) => e.action)).toEqual(['reused', 'reused', 'obtained']);
    const third = await c.call('api', profile(), `${server.url}/api/me`);
    expect(third.response.status).toBe(200);
    expect(readAuthorization(third.request)).not.toBe(readAuthorization(first.request));
    expect(c.events.map((e) => e.action)).toEqual(['reused']);
    // A still holds the revoked token: its rejection takes B's new token from Redis, no request.
    expect((await a.callWithRetry('api', profile(), `${server.url}/api/me`)).status).toBe(200);
    expect(server.tokenRequests - before).toBe(2);
  });

  it("ends a step waiting for another agent's token request as interrupted when the run is interrupted", async () => {
    const store = agentStore();
    const waitingFor = createOAuth2Profile({
      grant: 'client_credentials',
      tokenUrl: server.tokenUrl,
      clientId: 'cc-client',
      clientSecret: OIDC_CLIENT_SECRET,
      scope: 'api:read',
    });
    // Another agent is in the middle of the token request (it holds the lock).
    expect(await store.tryLock(computeCacheKey('waiting', waitingFor), 30_000)).toBeTypeOf('function');
    const controller = new AbortController();
    const harness = createHarness({ sharedTokens: store, signal: controller.signal });
    const before = server.tokenRequests;
    setTimeout(() => controller.abort('interrupted'), 200);
    await expect(harness.call('waiting', waitingFor, `${server.url}/api/me`)).rejects.toMatchObject({ code: ErrorCode.INTERRUPTED });
    expect(server.tokenRequests - before).toBe(0);
    expect(harness.events.map((e) => e.action)).toEqual(['failed']);
  });

  it('requests its own token, with a warning, when Redis cannot be reached', async () => {
    const port = await findClosedPort();
    const redis = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    clients.push(redis);
    const harness = createHarness({ sharedTokens: new RedisTokenStore({ redis, secret: 'team-key', prefix }) });
    const before = server.tokenRequests;
    const { response } = await harness.call('api', profile(), `${server.url}/api/me`);
    expect(response.status).toBe(200);
    expect(server.tokenRequests - before).toBe(1);
    expect(harness.events.map((e) => e.action)).toEqual(['obtained']);
    expect(harness.warnings).toHaveLength(1);
    expect(harness.warnings[0]).toMatch(/^shared token store unavailable \(.+\): auth profile "api" requests its own token$/);
  });
});
