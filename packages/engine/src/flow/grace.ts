import { type RunEvent, RunTimeLimitReached, TeardownGraceEnded } from '@sortie/core';

/** How long teardowns may run after the run was interrupted, by default, in ms. */
export const DEFAULT_TEARDOWN_GRACE_MS = 10_000;

/** A signal that aborts `graceMs` after `signal` did, and the way to stop its timer. */
export interface GraceSignal {
  signal?: AbortSignal;
  dispose(): void;
}

/**
 * The signal teardowns run under: an interrupt (`signal`) stops the test at once, but teardowns and
 * the afterAll hook still run, until the grace period after the interrupt ends — then they stop as
 * the test did, with a {@link TeardownGraceEnded} reason so what it cuts says why (a second Ctrl-C
 * ends the process anyway, see runner/src/main.ts).
 */
export function startGrace(signal: AbortSignal | undefined, graceMs: number): GraceSignal {
  if (signal === undefined) return { dispose: () => undefined };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    timer = setTimeout(() => controller.abort(new TeardownGraceEnded(graceMs)), graceMs);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      signal.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** How the log event that says the run's time limit was reached begins. */
const RUN_TIMEOUT_LOG = 'The run timeout';

/**
 * Whether a run event is the log event {@link startRunTimeout} emits when the run's time limit passes:
 * `sortie run --remote` says it as a local run does (`Timed out: …` on stderr) rather than as a log line.
 */
export function isRunTimeoutLog(event: RunEvent): boolean {
  return event.type === 'log' && event.level === 'warn' && event.scenario === undefined && event.message.startsWith(`${RUN_TIMEOUT_LOG} (`);
}

/**
 * The signal that stops the run: the caller's (an interrupt), or the run's time limit (`timeoutMs`,
 * --timeout-run) when it passes first; a log event says the limit was reached. Without a limit it
 * is the caller's signal itself.
 */
export function startRunTimeout(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  emit: (event: RunEvent) => void,
): GraceSignal {
  if (timeoutMs === undefined) return signal === undefined ? { dispose: () => undefined } : { signal, dispose: () => undefined };
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    emit({
      type: 'log',
      level: 'warn',
      message: `${RUN_TIMEOUT_LOG} (${timeoutMs} ms, --timeout-run) was reached: the run stops as after an interrupt`,
    });
    controller.abort(new RunTimeLimitReached());
  }, timeoutMs);
  timer.unref();
  return {
    signal: controller.signal,
    dispose() {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    },
  };
}
