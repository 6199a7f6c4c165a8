import type { RunEvent } from '@sortie/core';

/**
 * A consumer of run events. Reporters only listen: they never change a result and never print
 * unless given a `write` function.
 */
export interface Reporter {
  /** Receives every run event, in the order the engine emits them. Never throws for a run's outcome. */
  onEvent(event: RunEvent): void;
  /** Flushes/finishes files. Rejects with a `SortieError` when a report could not be written. */
  close(): Promise<void>;
}
