/**
 * Single-flight: concurrent callers asking for the same key share one running operation, and all of them get its
 * result or its error.
 */
export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T>>();

  /** Runs `operation` unless one is already running for `key`, in which case its promise is returned. */
  run(key: string, operation: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running !== undefined) return running;
    const promise = operation().finally(() => {
      this.#running.delete(key);
    });
    this.#running.set(key, promise);
    return promise;
  }
}
