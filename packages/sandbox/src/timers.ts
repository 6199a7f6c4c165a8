/**
 * `setTimeout` / `setInterval` / `setImmediate` and their `clear*` inside scripts. Callbacks stay
 * in the guest; the host only keeps real timers by id and, when one fires, queues a guest job.
 * Every timer counts against the script's time limit.
 */
import type { CurrentRun, HostFunctions } from './host-bridge.js';

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
