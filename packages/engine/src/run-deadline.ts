import { ErrorCode, SortieError } from '@sortie/core';

/**
 * A request or database operation waits no later than the run's deadline (`--timeout`, `timeoutRun`):
 * its own timeout is cut to it. When that cut timeout fires, the run's time limit ended the operation,
 * not the operation's own limit: it is reported as an interruption (as a wait cut short is), without
 * the hint to raise the request's or connection's timeout, which would change nothing.
 * Timers may fire a millisecond or so before the wall clock reaches the deadline: hence the margin.
 */
export function cutByDeadline(error: unknown, deadline: number | undefined, what: 'request' | 'database operation'): unknown {
  if (deadline === undefined || Date.now() < deadline - DEADLINE_MARGIN_MS) return error;
  if (!(error instanceof SortieError) || error.code !== ErrorCode.TIMEOUT) return error;
  return new SortieError(ErrorCode.INTERRUPTED, 'Interrupted', `the run reached its time limit during this ${what}: ${error.message}`, {
    hint: 'the time limit of the whole run (--timeout) ended it; raise that limit if the run needs longer',
    cause: error,
  });
}

/** How early before the deadline a timeout still counts as the deadline's. */
const DEADLINE_MARGIN_MS = 20;
