import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkipService } from '../../db/test/services.js';
import { RedisTokenStore, type SharedTokens } from '../src/redis-token-store.js';

const skip = await shouldSkipService('Redis', 6379);

describe.skipIf(skip)('RedisTokenStore', () => {
  const prefix = `sortie-test:${randomBytes(4).toString('hex')}`;
  const clients: Redis[] = [];
  let server: Server;
  let tokenRequests = 0;
  let tokenUrl: string;

  const connect = () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false });
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    // A token endpoint that counts requests and answers slowly, so concurrent callers overlap.
    server = createServer((_request, response) => {
      tokenRequests++;
      setTimeout(() => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ access_token: `tok-${tokenRequests}-${'s3cr3t'}`, token_type: 'Bearer', expires_in: 300 }));
      }, 150);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });

  afterAll(async () => {
    const redis = connect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await Promise.all(clients.map((c) => c.quit()));
    await new Promise((resolve) => server.close(resolve));
  });

  const obtainFromServer = async (): Promise<SharedTokens> => {
    const body = (await (await fetch(tokenUrl, { method: 'POST' })).json()) as { access_token: string; expires_in: number };
    const now = Date.now();
    return { accessToken: body.access_token, tokenType: 'Bearer', obtainedAt: now, expiresAt: now + body.expires_in * 1000 };
  };
  const fresh = (tokens: SharedTokens) => tokens.expiresAt === undefined || tokens.expiresAt > Date.now() + 1000;

  it('20 callers on 3 separate connections (as 3 agents) make exactly one token request and share its token', async () => {
    tokenRequests = 0;
    const stores = [0, 1, 2].map(() => new RedisTokenStore({ redis: connect(), secret: 'team-key', prefix }));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (stores[i % 3] as RedisTokenStore).obtainOnce('profile:cc', fresh, obtainFromServer, { lockTtlMs: 5_000 }),
      ),
    );
    expect(tokenRequests).toBe(1);
    expect(new Set(results.map((r) => r.tokens.accessToken))).toEqual(new Set(['tok-1-s3cr3t']));
    expect(results.filter((r) => r.obtained)).toHaveLength(1);
  });

  it('keeps nothing readable in Redis: no key or value contains the token, in clear or base64', async () => {
    const redis = connect();
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('profile:cc');
      const value = (await redis.getBuffer(key)) ?? Buffer.alloc(0);
      for (const form of ['tok-1-s3cr3t', Buffer.from('tok-1-s3cr3t').toString('base64'), Buffer.from('tok-1-s3cr3t').toString('hex')]) {
        expect(value.toString('latin1')).not.toContain(form);
        expect(value.toString('base64')).not.toContain(form);
      }
    }
  });

  it('reads nothing under another key, and nothing after the entry was removed', async () => {
    const other = new RedisTokenStore({ redis: connect(), secret: 'another-key', prefix });
    expect(await other.read('profile:cc')).toBeUndefined();
    const same = new RedisTokenStore({ redis: connect(), secret: 'team-key', prefix });
    expect((await same.read('profile:cc'))?.accessToken).toBe('tok-1-s3cr3t');
    await same.remove('profile:cc');
    expect(await same.read('profile:cc')).toBeUndefined();
  });

  it('takes over when the agent holding the lock died: its lock expires and the next caller obtains', async () => {
    tokenRequests = 0;
    const dead = new RedisTokenStore({ redis: connect(), secret: 'team-key', prefix });
    // Taken and never released, as by a process killed with -9 during its token request.
    expect(await dead.tryLock('profile:dead', 300)).toBeTypeOf('function');
    const alive = new RedisTokenStore({ redis: connect(), secret: 'team-key', prefix });
    const started = Date.now();
    const { tokens, obtained } = await alive.obtainOnce('profile:dead', fresh, obtainFromServer, { lockTtlMs: 5_000 });
    expect(obtained).toBe(true);
    expect(tokens.accessToken).toMatch(/^tok-1-/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(tokenRequests).toBe(1);
  });

  it('releases only its own lock', async () => {
    const store = new RedisTokenStore({ redis: connect(), secret: 'team-key', prefix });
    const release = await store.tryLock('profile:own', 100);
    expect(await store.tryLock('profile:own', 100)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await store.tryLock('profile:own', 5_000);
    expect(await release?.()).toBe(false);
    expect(await store.tryLock('profile:own', 100)).toBeUndefined();
    expect(await second?.()).toBe(true);
  });

  it('passes an obtain failure to every waiter of that attempt and leaves the lock free', async () => {
    const store = new RedisTokenStore({ redis: connect(), secret: 'team-key', prefix });
    const failing = () => Promise.reject(new Error('token endpoint unreachable'));
    await expect(store.obtainOnce('profile:fail', fresh, failing, { lockTtlMs: 5_000 })).rejects.toThrow('unreachable');
    const release = await store.tryLock('profile:fail', 100);
    expect(release).toBeTypeOf('function');
    await release?.();
  });
});
