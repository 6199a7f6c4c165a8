import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Steps and scenario runs that do no I/O (a step that errors at once on an unresolved variable, in a
 * loop of a million passes, or rerun by --retry-failed) end in promise callbacks alone: the event
 * loop never reaches its poll phase, so a SIGINT or SIGTERM handler, a --timeout timer or the abort
 * they signal never runs, and the run went on for ever past Ctrl-C. Before each step and each
 * scenario run, when the loop has not turned for a while, the run lets it turn once.
 */
const TURN_EVERY_MS = 25;
let lastTurn = performance.now();

/** True when the event loop should turn before the next step (cheap: a clock read). */
export function shouldLetSignalsIn(): boolean {
  return performance.now() - lastTurn >= TURN_EVERY_MS;
}

/** Lets the event loop turn once (timers, I/O, signals), then goes on. */
export async function letSignalsIn(): Promise<void> {
  await nextTurn();
  lastTurn = performance.now();
}
