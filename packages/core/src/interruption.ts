/**
 * Why a run's signal aborted, in a step's error: an interrupt (Ctrl-C, SIGTERM, --timeout-run), or,
 * for a teardown running under the grace signal, the end of the teardown grace period after it.
 */

/** The reason the grace signal aborts with when the teardown grace period after an interrupt ends. */
export class TeardownGraceEnded extends Error {
  readonly graceMs: number;

  constructor(graceMs: number) {
    super(`the teardown grace period (${graceMs} ms) ended`);
    this.name = 'TeardownGraceEnded';
    this.graceMs = graceMs;
  }
}

/** "the run was interrupted", or "the teardown grace period (N ms) ended" when that is why `signal` aborted. */
export function describeInterruption(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof TeardownGraceEnded ? reason.message : 'the run was interrupted';
}
