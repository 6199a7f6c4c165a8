/**
 * `setTimeout` / `setInterval` / `setImmediate` and their `clear*` inside scripts. Callbacks stay
 * in the guest; the host only keeps real timers by id and, when one fires, queues a guest job.
 * Every timer counts against the script's time limit.
 */
import type { CurrentRun, HostFunctions } from './host-bridge.js';

/** Guest source: timer functions and `fireTimer(id)`, which the host calls. */
export const TIMERS_SOURCE = `
let timerSequence = 0;
const timerCallbacks = new Map();
function scheduleTimer(fn, ms, args, repeat) {
  if (typeof fn !== 'function') throw new TypeError('the callback of a timer must be a function');
  const id = ++timerSequence;
  const delay = Math.max(0, Number(ms) || 0);
  timerCallbacks.set(id, { fn, args, delay, repeat });
  host.setTimer(id, delay);
  return id;
}
function cancelTimer(id) {
  if (timerCallbacks.delete(id)) host.clearTimer(id);
}
function fireTimer(id) {
  const timer = timerCallbacks.get(id);
  if (timer === undefined) return;
  if (timer.repeat) host.setTimer(id, timer.delay);
  else timerCallbacks.delete(id);
  try {
    timer.fn.apply(undefined, timer.args);
  } catch (error) {
    recordError(error);
  }
}
const timerGlobals = {
  setTimeout: (fn, ms, ...args) => scheduleTimer(fn, ms, args, false),
  setInterval: (fn, ms, ...args) => scheduleTimer(fn, ms, args, true),
  setImmediate: (fn, ...args) => scheduleTimer(fn, 0, args, false),
  clearTimeout: cancelTimer,
  clearInterval: cancelTimer,
  clearImmediate: cancelTimer,
};
`;

/**
 * Host side of the timers. `onFire(id)` enters the guest; it is called from the drain loop.
 */
export function createTimerHostFunctions(currentRun: CurrentRun, onFire: (id: number) => void): HostFunctions {
  return {
    setTimer: (id, ms) => {
      const run = currentRun();
      const timerId = Number(id);
      run.pending++;
      const timer = setTimeout(() => {
        run.timers.delete(timerId);
        run.pending--;
        run.post(() => onFire(timerId));
      }, Number(ms));
      run.timers.set(timerId, timer);
      return undefined;
    },
    clearTimer: (id) => {
      const run = currentRun();
      const timer = run.timers.get(Number(id));
      if (timer !== undefined) {
        clearTimeout(timer);
        run.timers.delete(Number(id));
        run.pending--;
      }
      return undefined;
    },
  };
}
