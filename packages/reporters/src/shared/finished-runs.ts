/**
 * What a file reporter keeps of the scenario runs that ended, until the report is written at the
 * end of the run: the run's text (its steps or test cases) on disk, plus a small record — the
 * ScenarioResult the engine keeps anyway, where the text is, and reporter-specific numbers.
 */
import type { ScenarioResult } from '@sortie/core';
import { formatScenarioKey } from './scenario-key.js';
import { Spool } from './spool.js';
import type { TempDir } from './temp-dir.js';

/** One finished scenario run: its text is bytes `start`..`end` of `spool`. */
export interface FinishedRun<M> {
  result: ScenarioResult;
  meta: M;
  spool: Spool;
  start: number;
  end: number;
}

export class FinishedRuns<M> {
  readonly #log: Spool;
  readonly #runs: FinishedRun<M>[] = [];

  constructor(temp: TempDir) {
    this.#log = new Spool(temp);
  }

  /**
   * Takes over the spool of a scenario run that ended. A small one is appended to one shared log
   * (and disposed); one that already outgrew memory keeps its own file, so nothing large is copied.
   */
  add(result: ScenarioResult, meta: M, spool: Spool): void {
    if (spool.spilled) {
      spool.seal();
      this.#runs.push({ result, meta, spool, start: 0, end: spool.size });
      return;
    }
    const start = this.#log.size;
    this.#log.append(spool);
    spool.dispose();
    this.#runs.push({ result, meta, spool: this.#log, start, end: this.#log.size });
  }

  /** The results of the runs that ended, in the order they ended. */
  listResults(): ScenarioResult[] {
    return this.#runs.map((run) => run.result);
  }

  /**
   * Finds the finished run of each scenario result (as listed in a RunResult): the same object the
   * scenario:end event carried, else the next run that ended with the same file and iteration.
   */
  match(scenarios: readonly ScenarioResult[]): Array<FinishedRun<M> | undefined> {
    const runs = this.#runs;
    if (runs.length === scenarios.length && scenarios.every((scenario, index) => runs[index]?.result === scenario)) return runs;
    const byResult = new Map(runs.map((run) => [run.result, run]));
    const byKey = new Map<string, FinishedRun<M>[]>();
    for (const run of runs) {
      const key = formatScenarioKey(run.result.file, run.result.iteration);
      const same = byKey.get(key);
      if (same === undefined) byKey.set(key, [run]);
      else same.push(run);
    }
    const used = new Set<FinishedRun<M>>();
    const take = (run: FinishedRun<M> | undefined) => {
      if (run !== undefined) used.add(run);
      return run;
    };
    return scenarios.map((scenario) => {
      const same = byResult.get(scenario);
      if (same !== undefined && !used.has(same)) return take(same);
      const candidates = byKey.get(formatScenarioKey(scenario.file, scenario.iteration)) ?? [];
      return take(candidates.find((run) => !used.has(run)));
    });
  }

  /** Removes every spool file. */
  dispose(): void {
    this.#log.dispose();
    for (const run of this.#runs) run.spool.dispose();
    this.#runs.length = 0;
  }
}
