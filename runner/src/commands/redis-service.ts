import { ErrorCode, REDACTED, redactUserinfo, SortieError } from '@sortie/core';
import { Redis } from 'ioredis';
import type { Terminal } from '../terminal.js';

/**
 * `--redis` / `SORTIE_REDIS_URL` of `sortie agent` and `sortie server`: a `redis://` or `rediss://`
 * URL (ioredis's forms; `rediss:` is TLS). Anything else is a usage error at once: ioredis would take
 * `notaurl` for a host name and retry it for ever. The URL's password never shows in the error.
 */
export function checkRedisUrl(value: string, command: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new SortieError(ErrorCode.USAGE, 'Usage error', `--redis expects a redis:// or rediss:// URL, got "${describeRedisUrl(value)}"`, {
      hint: `e.g. sortie ${command} --redis redis://127.0.0.1:6379 (or set SORTIE_REDIS_URL)`,
    });
  }
  return value;
}

/**
 * The `--redis` URL for a message, without its credentials wherever ioredis reads them: the userinfo
 * (`redactUserinfo`) and the query, whose parameters ioredis takes as connection options
 * (`?password=…`, `?username=…`), so a password given there was printed in full.
 */
export function describeRedisUrl(url: string): string {
  return redactUserinfo(url).replace(/([?&](?:password|username)=)[^&#]*/gi, `$1${REDACTED}`);
}

/** Redis's refusals that waiting cannot cure: wrong or missing credentials, or a user without the right (RESP error prefixes). */
const REFUSALS = /^(WRONGPASS|NOAUTH|NOPERM)\b/;

/**
 * Asks Redis once (a connection and a PING, 2 s at most) before a service starts on it. A refusal
 * waiting cannot cure (a wrong password, a password missing, an ACL user without the right) is a usage
 * error at once, exit 2, where the agent used to end in an internal error and the server to run on
 * without Redis. Otherwise resolves with why Redis did not answer (for the waiting message), or
 * undefined when it did: Redis not there yet is the service's to wait for.
 */
export async function probeRedis(url: string, command: string): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
    // A Redis that accepts connections but does not answer (stopped, frozen) must not hold the start.
    commandTimeout: 2_000,
  });
  let last: Error | undefined;
  client.on('error', (error: Error) => {
    last = error;
  });
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    const reason = last ?? (error as Error);
    if (REFUSALS.test(reason.message)) {
      throw new SortieError(ErrorCode.USAGE, 'Redis refused the connection', `${describeRedisUrl(url)}: ${reason.message}`, {
        hint: `check the user name and password in --redis (redis://user:password@host:port), or set SORTIE_REDIS_URL; sortie ${command} --help`,
      });
    }
    return reason.message;
  } finally {
    client.disconnect();
  }
}

/** How long a start may wait on Redis before the operator is told why nothing happens yet. */
const SAY_WAITING_MS = 5_000;

/**
 * Waits for a service (the agent, the server) to start, which needs Redis to answer: after
 * {@link SAY_WAITING_MS} it says it is waiting for Redis, and a stop signal that comes first ends
 * the wait (undefined; the service is stopped if it starts after all).
 */
export async function startUnlessStopped<T>(
  starting: Promise<T>,
  stop: (service: T) => Promise<void>,
  options: {
    signal: AbortSignal | undefined;
    terminal: Terminal;
    redis: string;
    what: string;
    unanswered?: string | undefined;
    /** True while the start waits for something else that says so (the server: another server's data-dir lock). */
    waitsForOtherReason?: () => boolean;
  },
): Promise<T | undefined> {
  const { signal, terminal } = options;
  // Why Redis did not answer the probe, when it did not (the connection error, without the URL's password).
  const why = options.unanswered === undefined ? '' : ` (${redactUserinfo(options.unanswered)})`;
  const waiting = setTimeout(() => {
    if (options.waitsForOtherReason?.() !== true)
      terminal.err(`${options.what}: waiting for Redis at ${describeRedisUrl(options.redis)} to answer…${why}\n`);
  }, SAY_WAITING_MS);
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<'stopped'>((resolve) => {
    onAbort = () => resolve('stopped');
    if (signal?.aborted === true) resolve('stopped');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const first = await Promise.race([starting, stopped]);
    if (first !== 'stopped') return first as T;
    terminal.err(`${options.what}: stopped before Redis answered\n`);
    void starting.then(stop, () => {});
    return undefined;
  } finally {
    clearTimeout(waiting);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}
