import { ErrorCode, SortieError } from '@sortie/core';
import { Redis } from 'ioredis';

/**
 * How long past its own BLOCK time a blocking read may stay unanswered before it is taken as an
 * empty read. Far above a loaded machine's reply time; a read given up this way is read again
 * from the same stream id, so nothing is skipped.
 */
export const BLOCKING_GRACE_MS = 2_000;

/**
 * A Redis connection of the server's. ioredis reconnects by itself and re-sends what was in
 * flight (`maxRetriesPerRequest: null` waits for Redis instead of failing), but a blocking read
 * (XREAD BLOCK) in flight when Redis went away can be left unanswered for ever after the
 * reconnection (ioredis issues #1285 and #1888; BullMQ puts a watchdog around its own for the same
 * reason, bullmq#4479). One CI run of `agents-redis-restart.test.ts` waited for good on such a
 * read. `blockingTimeout` is ioredis's own guard: a blocking command unanswered `BLOCKING_GRACE_MS`
 * after its BLOCK time resolves as empty (as a BLOCK that timed out does), so the run tracker's and
 * the event streams' loops read again. It applies to blocking commands only.
 */
export function serverRedis(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, blockingTimeout: 30_000, blockingTimeoutGrace: BLOCKING_GRACE_MS });
  client.on('error', () => {});
  return client;
}

/**
 * Throws a 503 "Redis unavailable" (ErrorCode.NETWORK) unless `redis` is connected; `what` says what
 * was therefore not done ("the run was not queued"). A command on a connection that is away waits
 * until Redis is back (`maxRetriesPerRequest: null`), and the HTTP request with it: the API answers at
 * once instead, before anything is stored.
 */
export function requireRedis(redis: Pick<Redis, 'status'>, what: string): void {
  if (redis.status === 'ready') return;
  throw new SortieError(ErrorCode.NETWORK, 'Redis unavailable', `the server cannot reach Redis (${redis.status}): ${what}`, {
    hint: 'try again once Redis answers (the server reconnects by itself)',
  });
}
