/**
 * Maps the scenario key of step events (`StepEndEvent.scenario`) to the scenario run a reporter
 * keeps state for. Scenario runs may interleave, so everything is keyed by scenario run.
 */
import type { ScenarioResult, ScenarioStartEvent } from '@sortie/core';

/**
 * Formats the key of one scenario run: the file, plus `#<iteration>` when the run is one
 * iteration of a data-driven scenario. The engine is expected to use the same key in
 * `StepStartEvent.scenario` / `StepEndEvent.scenario`.
 */
export function formatScenarioKey(file: string, iteration?: number): string {
  return iteration === undefined ? file : `${file}#${iteration}`;
}

interface Entry<S> {
  key: string;
  slot: S;
  open: boolean;
}

/**
 * Keeps one slot of reporter state per scenario run while it runs, and forgets it when it ends, so
 * a run of 100,000 scenario runs costs no more than the runs open at the same time. Step events
 * whose key is unknown are attributed to the only open scenario when exactly one is open (a
 * sequential run); otherwise they get a slot of their own that is never claimed.
 */
export class ScenarioTracker<S> {
  readonly #entries = new Map<string, Entry<S>>();
  readonly #aliases = new Map<string, Entry<S>>();
  readonly #create: (key: string, start: ScenarioStartEvent | undefined) => S;

  constructor(create: (key: string, start: ScenarioStartEvent | undefined) => S) {
    this.#create = create;
  }

  /** Opens the slot of a scenario run (or re-opens an orphan slot with the same key). */
  startScenario(event: ScenarioStartEvent): S {
    const key = formatScenarioKey(event.file, event.iteration);
    const existing = this.#entries.get(key);
    if (existing?.open) return existing.slot;
    const entry: Entry<S> = { key, slot: this.#create(key, event), open: true };
    this.#entries.set(key, entry);
    return entry.slot;
  }

  /** Returns the slot for the scenario key of a step or log event. */
  resolveStepKey(scenarioKey: string): S {
    const direct = this.#entries.get(scenarioKey) ?? this.#aliases.get(scenarioKey);
    if (direct !== undefined) return direct.slot;
    const open = [...this.#entries.values()].filter((e) => e.open);
    if (open.length === 1 && open[0] !== undefined) {
      this.#aliases.set(scenarioKey, open[0]);
      return open[0].slot;
    }
    const entry: Entry<S> = { key: scenarioKey, slot: this.#create(scenarioKey, undefined), open: false };
    this.#entries.set(scenarioKey, entry);
    return entry.slot;
  }

  /**
   * Ends a scenario run and forgets its slot, which is returned one last time (created when the
   * run never started: it failed to load). The caller keeps what it needs of it.
   */
  endScenario(result: ScenarioResult): S {
    const key = formatScenarioKey(result.file, result.iteration);
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    for (const [alias, target] of this.#aliases) if (target === entry) this.#aliases.delete(alias);
    return entry === undefined ? this.#create(key, undefined) : entry.slot;
  }

  /** The slots still held (scenario runs that have not ended, and orphan slots), in creation order. */
  listSlots(): S[] {
    return [...this.#entries.values()].map((e) => e.slot);
  }
}
