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

/** The finished run of each scenario result of a RunResult, by the result's index (see {@link FinishedRuns.match}). */
export interface MatchedRuns<M> extends Iterable<FinishedRun<M> | undefined> {
  at(index: number): FinishedRun<M> | undefined;
}

/**
 * Kept per finished run: the result (the engine keeps the same object), the meta when there is one,
 * and two numbers in a typed array. The first version kept one `{ result, meta, spool, start, end }`
 * object per run: 100,000 data rows held 6 MB of them (heap snapshot, BENCHMARKS.md 2026-12-03).
 */
export class FinishedRuns<M> {
  readonly #log: Spool;
  readonly #results: ScenarioResult[] = [];
  readonly #metas: M[] = [];
  /** Bytes `start`, `end` of each run, in the order runs ended. */
  #bounds = new Float64Array(2 * 256);
  /** Runs whose spool outgrew memory keep their own file: by run index. */
  readonly #own = new Map<number, Spool>();

  constructor(temp: TempDir) {
    this.#log = new Spool(temp);
  }

  /**
   * Takes over the spool of a scenario run that ended. A small one is appended to one shared log
   * (and disposed); one that already outgrew memory keeps its own file, so nothing large is copied.
   */
  add(result: ScenarioResult, meta: M, spool: Spool): void {
    const index = this.#results.length;
    this.#results.push(result);
    // A meta of undefined (the JSON reporter's) is not stored: #metas stays empty.
    if (meta !== undefined || this.#metas.length > 0) {
      while (this.#metas.length < index) this.#metas.push(undefined as M);
      this.#metas.push(meta);
    }
    if (2 * index + 2 > this.#bounds.length) {
      const larger = new Float64Array(this.#bounds.length * 2);
      larger.set(this.#bounds);
      this.#bounds = larger;
    }
    if (spool.spilled) {
      spool.seal();
      this.#own.set(index, spool);
      this.#bounds[2 * index] = 0;
      this.#bounds[2 * index + 1] = spool.size;
      return;
    }
    this.#bounds[2 * index] = this.#log.size;
    this.#log.append(spool);
    spool.dispose();
    this.#bounds[2 * index + 1] = this.#log.size;
  }

  /** The results of the runs that ended, in the order they ended. */
  listResults(): ScenarioResult[] {
    return [...this.#results];
  }

  /** The finished run at `index` (in the order runs ended), made when asked for. */
  #run(index: number): FinishedRun<M> {
    return {
      result: this.#results[index] as ScenarioResult,
      meta: this.#metas[index] as M,
      spool: this.#own.get(index) ?? this.#log,
      start: this.#bounds[2 * index] as number,
      end: this.#bounds[2 * index + 1] as number,
    };
  }

  /**
   * Finds the finished run of each scenario result (as listed in a RunResult): the same object the
   * scenario:end event carried, else the next run that ended with the same file and iteration.
   */
  match(scenarios: readonly ScenarioResult[]): MatchedRuns<M> {
    const results = this.#results;
    const indices = new Int32Array(scenarios.length).fill(-1);
    if (results.length === scenarios.length && scenarios.every((scenario, index) => results[index] === scenario)) {
      for (let index = 0; index < indices.length; index++) indices[index] = index;
    } else {
      const byResult = new Map(results.map((result, index) => [result, index]));
      const byKey = new Map<string, number[]>();
      for (const [index, result] of results.entries()) {
        const key = formatScenarioKey(result.file, result.iteration);
        const same = byKey.get(key);
        if (same === undefined) byKey.set(key, [index]);
        else same.push(index);
      }
      const used = new Set<number>();
      for (const [at, scenario] of scenarios.entries()) {
        const same = byResult.get(scenario);
        const found =
          same !== undefined && !used.has(same)
            ? same
            : (byKey.get(formatScenarioKey(scenario.file, scenario.iteration)) ?? []).find((index) => !used.has(index));
        if (found === undefined) continue;
        used.add(found);
        indices[at] = found;
      }
    }
    const at = (index: number) => {
      const found = indices[index];
      return found === undefined || found < 0 ? undefined : this.#run(found);
    };
    return {
      at,
      *[Symbol.iterator]() {
        for (let index = 0; index < indices.length; index++) yield at(index);
      },
    };
  }

  /** Removes every spool file. */
  dispose(): void {
    this.#log.dispose();
    for (const spool of this.#own.values()) spool.dispose();
    this.#own.clear();
    this.#results.length = 0;
    this.#metas.length = 0;
  }
}
