/**
 * The server's Redis connections give up a blocking read that Redis leaves unanswered (here a
 * frozen redis-server of the test's own, SIGSTOP) shortly after its BLOCK time, where a plain
 * ioredis connection waits for good, and the connection's later replies still go to the right
 * commands once Redis answers again.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../agent/test/redis-server.js';
import { BLOCKING_GRACE_MS, serverRedis } from '../src/redis-connection.js';

let redis: OwnRedis;

beforeAll(async () => {
  redis = await startOwnRedis();
});

afterAll(async () => {
  redis?.resume();
  await redis?.close();
});

describe('serverRedis', () => {
  it('takes a blocking read Redis never answers as empty, and keeps replies in order afterwards', async () => {
    const guarded = serverRedis(redis.url);
    const plain = new Redis(redis.url, { maxRetriesPerRequest: null });
    plain.on('error', () => {});
    try {
      await Promise.all([guarded.ping(), plain.ping()]);
      redis.pause();
      const started = Date.now();
      let plainSettled = false;
      const plainRead = plain.xread('BLOCK', 200, 'STREAMS', 'sortie:test:frozen', '0').finally(() => {
        plainSettled = true;
      });
      const reply = await guarded.xread('BLOCK', 200, 'STREAMS', 'sortie:test:frozen', '0');
      const waited = Date.now() - started;
      expect(reply).toBeNull();
      expect(waited).toBeGreaterThanOrEqual(200 + BLOCKING_GRACE_MS - 50);
      expect(waited).toBeLessThan(200 + BLOCKING_GRACE_MS + 3_000);
      // The same read on a connection without the guard is still waiting.
      expect(plainSettled).toBe(false);

      redis.resume();
      await plainRead;
      // The late answer to the given-up read is not handed to the next command.
      await guarded.set('sortie:test:k', 'v1');
      await guarded.xadd('sortie:test:frozen', '*', 'e', 'x');
      expect(await guarded.get('sortie:test:k')).toBe('v1');
      const entries = (await guarded.xread('STREAMS', 'sortie:test:frozen', '0')) as [string, [string, string[]][]][];
      expect(entries[0]?.[1][0]?.[1]).toEqual(['e', 'x']);
    } finally {
      guarded.disconnect();
      plain.disconnect();
    }
  }, 20_000);
});
