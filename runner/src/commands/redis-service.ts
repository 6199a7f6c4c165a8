import { ErrorCode, redactUserinfo, SortieError } from '@sortie/core';
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
    throw new SortieError(ErrorCode.USAGE, 'Usage error', `--redis expects a redis:// or rediss:// URL, got "${redactUserinfo(value)}"`, {
      hint: `e.g. sortie ${command} --redis redis://127.0.0.1:6379 (or set SORTIE_REDIS_URL)`,
    });
  }
  return value;
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
  options: { signal: AbortSignal | undefined; terminal: Terminal; redis: string; what: string },
): Promise<T | undefined> {
  const { signal, terminal } = options;
  const waiting = setTimeout(
    () => terminal.err(`${options.what}: waiting for Redis at ${redactUserinfo(options.redis)} to answer…\n`),
    SAY_WAITING_MS,
  );
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
