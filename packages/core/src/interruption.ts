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

/** The reason a run's signal aborts with when the run's time limit (`--timeout-run`, `timeoutRun`) passes. */
export class RunTimeLimitReached extends Error {
  constructor() {
    super('run timeout');
    this.name = 'RunTimeLimitReached';
  }
}

/**
 * The reason a run's signal aborts with when the run is cancelled: `sortie run --remote`'s Ctrl-C, the
 * server's cancel (`POST /api/runs/:id/cancel`, the dashboard's *Cancel run*). The run stops as after an
 * interrupt, and says it was cancelled (RunResult.cancelled).
 */
export class RunCancelled extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelled';
  }
}

/**
 * Whether a signal aborted because the run's time limit passed: RunTimeLimitReached, or the
 * `TimeoutError` of `AbortSignal.timeout()` (how `sortie run --timeout` aborts). Such an abort does not
 * cut a request on its way: its own timeout is already cut to the run's deadline, which then ends it
 * with the time limit's message (run-deadline.ts).
 */
export function isRunTimeLimit(reason: unknown): boolean {
  return reason instanceof RunTimeLimitReached || (reason instanceof Error && reason.name === 'TimeoutError');
}

/**
 * "the run was interrupted", "the run was cancelled" (RunCancelled), or "the teardown grace period (N ms)
 * ended" when that is why `signal` aborted.
 */
export function describeInterruption(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof TeardownGraceEnded || reason instanceof RunCancelled ? reason.message : 'the run was interrupted';
}
