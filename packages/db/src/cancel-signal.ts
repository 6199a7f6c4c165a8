/**
 * How a driver learns that its operation timed out: `aborted`, and a listener called once at the
 * timeout (the driver cancels the statement on the server, kills the query, drops the connection).
 *
 * Not an AbortSignal, for speed: on Node 20 creating one costs ~15–25 µs of CPU (`createAbortSignal`
 * and the garbage it leaves), about a third of a plain `pg` query's CPU on this machine, and every
 * database operation needs one for its timeout (measured: bench/db-select.ts and BENCHMARKS.md,
 * 2026-12-03 session 6). A driver whose client library wants a real AbortSignal (MongoDB) makes
 * one from this, for itself.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  /** Calls `listener` once when the operation is cancelled (not if it already was); returns its remover. */
  onAbort(listener: () => void): () => void;
}

/** The cancel signal of one operation; `abort()` is called by the timeout. */
export class OperationCancel implements CancelSignal {
  #aborted = false;
  #listeners: Array<() => void> = [];

  get aborted(): boolean {
    return this.#aborted;
  }

  onAbort(listener: () => void): () => void {
    if (this.#aborted) return noop;
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at !== -1) this.#listeners.splice(at, 1);
    };
  }

  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}

function noop(): void {}

/**
 * Throws when the operation was cancelled (its timeout, an interrupt) while the driver was still
 * getting a connection: a listener added then is never called, so a statement sent after it would run
 * uncancelled to its end (and hold the run's close). Drivers call it after adding their cancel
 * listener, just before they send. The error goes nowhere: the operation has already failed.
 */
export function throwIfCancelled(signal: CancelSignal | undefined): void {
  if (signal?.aborted === true) throw new Error('the operation was cancelled before it was sent');
}

/** A real AbortSignal following `signal` (already aborted if it was), for client libraries that take one. */
export function toAbortSignal(signal: CancelSignal): AbortSignal {
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.onAbort(() => controller.abort());
  return controller.signal;
}
