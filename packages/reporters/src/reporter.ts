import type {
  LogEvent,
  RunEndEvent,
  RunStartEvent,
  ScenarioEndEvent,
  ScenarioStartEvent,
  StepEndEvent,
  StepStartEvent,
  TokenEvent,
} from '@sortie/core';

/**
 * A consumer of run events: a set of optional hooks, one per event type, as vitest's reporters are.
 * `dispatchEvent` calls them (see dispatch.ts), in the order the engine emits the events. Reporters
 * only listen: they never change a result and never print unless given a `write` function. A hook
 * never throws for a run's outcome.
 */
export interface Reporter {
  onRunStart?(event: RunStartEvent): void;
  onScenarioStart?(event: ScenarioStartEvent): void;
  onStepStart?(event: StepStartEvent): void;
  onStepEnd?(event: StepEndEvent): void;
  onScenarioEnd?(event: ScenarioEndEvent): void;
  onRunEnd?(event: RunEndEvent): void;
  onLog?(event: LogEvent): void;
  onToken?(event: TokenEvent): void;
  /** Flushes/finishes files. Rejects with a `SortieError` when a report could not be written. */
  close?(): Promise<void>;
}
