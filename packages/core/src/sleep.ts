/**
 * The longest delay a Node timer takes (2^31 - 1 ms, about 24.8 days): a longer one is set to 1 ms
 * (with a TimeoutOverflowWarning), so a timeout or wait above it would end at once.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Waits `ms` milliseconds (longer than {@link MAX_TIMER_MS} too); resolves early when the signal aborts. The one sleep of every package. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let left = ms;
    let timer: NodeJS.Timeout;
    const arm = () => {
      const step = Math.min(left, MAX_TIMER_MS);
      left -= step;
      timer = setTimeout(left > 0 ? arm : done, step);
    };
    arm();
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits for `promise` at most `ms` milliseconds; true when it settled (resolved or rejected) in time.
 * For shutdowns that must end even when what they wait on (a Redis that is down) never answers.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
