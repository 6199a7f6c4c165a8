/**
 * Ctrl-C while a script keeps the main thread busy (`while (true) {}`). Node delivers SIGINT to its
 * listeners from the event loop, which a script running inside QuickJS's WebAssembly never lets
 * turn: the run's SIGINT handler would only run once the script hit its time limit. The sandbox's
 * interrupt handler runs on that thread every 100 QuickJS operations, though, so once a script has
 * been busy for a while the sandbox starts Node's own SIGINT watchdog (the one `vm`'s
 * `breakOnSigint` and the REPL use: a native handler that only records the signal) and polls it from
 * the interrupt handler. When the script is left, the watchdog stops, Node's usual SIGINT handling
 * is put back, and a signal it caught goes to the process's SIGINT listeners as Node would have
 * delivered it.
 *
 * Only on the main thread, and only while somebody listens to SIGINT (without a listener the signal
 * ends the process anyway, even while a script runs).
 */
import { isMainThread } from 'node:worker_threads';

interface WatchdogBinding {
  startSigintWatchdog(): void;
  /** Stops the watchdog; true when a SIGINT came while it ran. */
  stopSigintWatchdog(): boolean;
  watchdogHasPendingSigint(): boolean;
}

let binding: WatchdogBinding | null | undefined;

function watchdog(): WatchdogBinding | null {
  if (binding !== undefined) return binding;
  binding = null;
  if (!isMainThread) return binding;
  try {
    const candidate = (process as unknown as { binding(name: string): Partial<WatchdogBinding> }).binding('contextify');
    if (
      typeof candidate.startSigintWatchdog === 'function' &&
      typeof candidate.stopSigintWatchdog === 'function' &&
      typeof candidate.watchdogHasPendingSigint === 'function'
    )
      binding = candidate as WatchdogBinding;
  } catch {
    // A Node without the binding: Ctrl-C waits for the script's time limit, as before.
  }
  return binding;
}

export class SigintWatch {
  #active: WatchdogBinding | undefined;

  get active(): boolean {
    return this.#active !== undefined;
  }

  /** Starts watching (a no-op when already watching, nobody listens or the watchdog is not there); true when a SIGINT came since. */
  poll(): boolean {
    if (this.#active === undefined) {
      if (process.listenerCount('SIGINT') === 0) return false;
      const found = watchdog();
      if (found === null) return false;
      found.startSigintWatchdog();
      this.#active = found;
      return false;
    }
    return this.#active.watchdogHasPendingSigint();
  }

  /** Stops watching and puts Node's SIGINT handling back; true when a SIGINT came while watching. */
  stop(): boolean {
    const active = this.#active;
    if (active === undefined) return false;
    this.#active = undefined;
    const signalled = active.stopSigintWatchdog();
    // The watchdog leaves Node's "reset and re-raise" handler in place of libuv's, which would end
    // the process at the next Ctrl-C without calling the listeners: libuv installs its handler again
    // when the first SIGINT listener is added after the last one went.
    const listeners = process.rawListeners('SIGINT') as Array<(...args: unknown[]) => void>;
    for (const listener of listeners) process.removeListener('SIGINT', listener);
    for (const listener of listeners) process.on('SIGINT', listener);
    return signalled;
  }
}

/** Hands a SIGINT the watchdog caught to the process's listeners, as Node would have. */
export function deliverSigint(): void {
  process.emit('SIGINT', 'SIGINT');
}
