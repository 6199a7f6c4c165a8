/**
 * Node's `timers` module in the guest (lazily loaded on `require('timers')`): the sandbox's own
 * timer globals (see kernel/timers.js), so every timer counts against the script's time limit, plus
 * `promises` (`setTimeout`, `setImmediate`, the async iterator `setInterval`, `scheduler`) built
 * on them. Timer ids are numbers, not Node's `Timeout` objects; `options` (`signal`, `ref`) are
 * accepted and ignored: the sandbox has no AbortController and no event loop to keep alive.
 *
 * @see https://nodejs.org/api/timers.html
 */
const timersPromises = {
  setTimeout(delay, value) {
    return new Promise((resolve) => setTimeout(resolve, delay, value));
  },
  setImmediate(value) {
    return new Promise((resolve) => setImmediate(resolve, value));
  },
  /** Yields value once per tick; ticks that pass while the consumer is busy are yielded in a row (as Node does). */
  async *setInterval(delay, value) {
    let notYielded = 0;
    let wake = null;
    const id = setInterval(() => {
      notYielded++;
      if (wake !== null) {
        const resolve = wake;
        wake = null;
        resolve();
      }
    }, delay);
    try {
      for (;;) {
        if (notYielded === 0)
          await new Promise((resolve) => {
            wake = resolve;
          });
        for (; notYielded > 0; notYielded--) yield value;
      }
    } finally {
      clearInterval(id);
    }
  },
};
timersPromises.scheduler = {
  wait: (delay) => timersPromises.setTimeout(delay),
  yield: () => timersPromises.setImmediate(),
};
const timers = { setTimeout, clearTimeout, setImmediate, clearImmediate, setInterval, clearInterval, promises: timersPromises };
