/**
 * SIGTERM while a script keeps the main thread busy (`while (true) {}`), the counterpart of
 * sigint-watch.ts. Node's SIGINT watchdog has no SIGTERM twin, and the run's SIGTERM listener runs
 * from the main thread's event loop, which a script running inside QuickJS's WebAssembly never lets
 * turn: a `sortie run` stopped by its CI or container runtime waited for the script's time limit.
 *
 * libuv hands a signal to every event loop that watches it, a worker's as well as the main one's
 * (its signal handler writes to each watching loop's pipe). So while a script keeps the thread (250 ms on, see WATCH_SIGTERM_AFTER_MS in sandbox.ts), a
 * worker thread watches SIGTERM too and sets a flag in shared memory the interrupt handler reads.
 * The main loop still gets the signal when the script has let go of the thread and calls the
 * process's SIGTERM listeners as usual: nothing has to be handed on, unlike a SIGINT the watchdog took.
 *
 * The worker watches only while a script keeps the thread (and stops watching when it lets go): a
 * signal watcher left running would keep a second SIGTERM — after the run's listener removed itself —
 * from taking its default action and ending the process. Like the SIGINT watch: only on the main
 * thread, and only while somebody listens to SIGTERM (without a listener the signal ends the process).
 * The worker is started on the first busy script, once per process, and never keeps the process alive.
 */
import { isMainThread, Worker } from 'node:worker_threads';

/** The worker: watches SIGTERM between a `true` and a `false` message; a SIGTERM sets flag[0]. */
const WORKER_SOURCE = `
const { parentPort, workerData: flag } = require('node:worker_threads');
// process.binding('signal_wrap') is the Signal handle behind process.on(signal) (which workers do not
// get); reading it is deprecated, which is said once per thread: this thread says nothing.
process.noDeprecation = true;
const { Signal } = process.binding('signal_wrap');
const SIGTERM = require('node:os').constants.signals.SIGTERM;
let handle;
parentPort.on('message', (watch) => {
  if (watch && handle === undefined) {
    handle = new Signal();
    handle.onsignal = () => Atomics.store(flag, 0, 1);
    handle.start(SIGTERM);
  } else if (!watch && handle !== undefined) {
    handle.close();
    handle = undefined;
  }
});
`;

interface Watcher {
  worker: Worker;
  flag: Int32Array;
}

/** The process's watcher (undefined: not started yet; null: cannot be had here). */
let watcher: Watcher | null | undefined;

function startWatcher(): Watcher | null {
  if (watcher !== undefined) return watcher;
  watcher = null;
  if (!isMainThread) return watcher;
  try {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: flag, stdout: true, stderr: true });
    worker.unref();
    // A worker that fails (a Node without the binding) leaves SIGTERM to the script's time limit, as before.
    worker.on('error', () => {
      watcher = null;
    });
    watcher = { worker, flag };
  } catch {
    // No worker threads here: SIGTERM waits for the script's time limit.
  }
  return watcher;
}

export class SigtermWatch {
  #active: Watcher | undefined;

  get active(): boolean {
    return this.#active !== undefined;
  }

  /** Starts watching (a no-op when already watching or nobody listens); true when a SIGTERM came since. */
  poll(): boolean {
    if (this.#active === undefined) {
      if (process.listenerCount('SIGTERM') === 0) return false;
      const found = startWatcher();
      if (found === null) return false;
      Atomics.store(found.flag, 0, 0);
      found.worker.postMessage(true);
      this.#active = found;
      return false;
    }
    return Atomics.load(this.#active.flag, 0) === 1;
  }

  /** Stops watching; the process's own SIGTERM listeners get a signal that came, from the event loop. */
  stop(): void {
    const active = this.#active;
    if (active === undefined) return;
    this.#active = undefined;
    active.worker.postMessage(false);
  }
}
