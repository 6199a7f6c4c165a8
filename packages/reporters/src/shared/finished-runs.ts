/**
 * What a file reporter keeps of the scenario runs that ended, until the report is written at the
 * end of the run: the run's text (its steps or test cases) on disk, plus a small record — the
 * ScenarioResult the engine keeps anyway, where the text is, and reporter-specific numbers.
 */
import { addTotals, emptyTotals, type RunHookName, type RunResult, type ScenarioResult, type StepStatus, worstStatus } from '@sortie/core';
import { ChunkedNumbers } from './chunked-numbers.js';
import { formatScenarioKey } from './scenario-key.js';
import { Spool } from './spool.js';
import type { TempDir } from './temp-dir.js';

/** Runs per kept start in the shared log (see FinishedRuns' `#chunkStarts`). */
const CHUNK_RUNS = 1024;

/**
 * One finished scenario run: its text is bytes `start`..`end` of `spool`; with a head (see
 * {@link FinishedRuns.add}), `head` is where the head ends and the rest begins.
 */
export interface FinishedRun<M> {
  /** Its place in the order runs ended (see {@link FinishedRuns.copyRun}). */
  index: number;
  /** Undefined for a run placed in the plan when results of such runs are not kept. */
  result: ScenarioResult | undefined;
  meta: M;
  spool: Spool;
  start: number;
  head: number;
  end: number;
}

/** Text around a run's spool (see {@link FinishedRuns.add}). */
export interface RunWrap {
  /** Goes before everything: the run's own head. */
  head: string;
  /** Between the head and the spool's text. */
  open: string;
  /** After the spool's text. */
  close: string;
}

/** Where a finished run belongs in the run's planned order (scenario:end's `index`, or the hook). */
export interface RunPlace {
  index?: number | undefined;
  hook?: RunHookName | undefined;
}

/** The finished run of each scenario result of a RunResult, by the result's index (see {@link FinishedRuns.match}). */
export interface MatchedRuns<M> extends Iterable<FinishedRun<M> | undefined> {
  at(index: number): FinishedRun<M> | undefined;
}

/**
 * Kept per finished run: the result (the engine keeps the same object) unless the reporter keeps no
 * placed results, the meta when there is one, and 8 bytes of numbers in typed-array chunks (20 until
 * starts and the planned order were derived: 2 MB at 100,000 runs, BENCHMARKS.md, branch rows6). The
 * first version kept one `{ result, meta, spool, start, end }` object per run: 100,000 data rows held
 * 6 MB of them (heap snapshot, BENCHMARKS.md 2026-12-03).
 */
export class FinishedRuns<M> {
  readonly #log: Spool;
  /** How many runs ended. */
  #count = 0;
  /**
   * The results kept, by run (in the order runs ended): an array (a hole for none) when placed
   * results are kept, else a map of the few that are (hooks, runs without a place), so a run of
   * 100,000 placed runs holds no array of 100,000 empty slots.
   */
  readonly #results: Array<ScenarioResult | undefined> | Map<number, ScenarioResult>;
  readonly #metas: M[] = [];
  /**
   * Where each run's text lies in the shared log: its head is `#headLengths` bytes and the rest
   * `#restLengths`; runs follow each other in the log (a run with its own spool has lengths 0), so a
   * run starts where the one before it ended: only the start of every CHUNK_RUNS-th run is kept
   * (`#chunkStarts`) and the rest summed from it (see {@link #start}). The lengths fit 32 bits: a
   * spool that stayed in memory holds at most SPOOL_MEMORY_BYTES (64 KiB), and the head and the text
   * around it are a few strings (a V8 string is under 2^29 UTF-16 units, under 1.6 GB of UTF-8).
   */
  readonly #chunkStarts: number[] = [];
  /** The last start worked out: runs are mostly read in order, so the next one adds one run's lengths. */
  #cursor = { index: 0, start: 0 };
  readonly #headLengths = new ChunkedNumbers('uint32');
  readonly #restLengths = new ChunkedNumbers('uint32');
  /** Runs whose spool outgrew memory keep their own file: by run index (and their head's text, if any). */
  readonly #own = new Map<number, { spool: Spool; wrap: RunWrap | undefined }>();
  /**
   * Planned order: 1 + the run (in ended order) last ended at each plan index, 0 for none. While runs
   * end in planned order (no --parallel, no rerun), run = plan index + `#shift` and nothing is stored
   * (`#shift` ≥ 0); the list is filled in at the first run that does not (`#shift` -1).
   */
  readonly #planned = new ChunkedNumbers('uint32');
  #plannedLength = 0;
  #shift: number | undefined;
  /** The hooks' runs (in ended order), -1 for none. */
  #beforeAll = -1;
  #afterAll = -1;
  /** What the runs that ended add up to (for a run cut short). */
  readonly #totals = emptyTotals();
  #status: StepStatus = 'skipped';

  /**
   * `keepPlacedResults` false: the ScenarioResult of a run placed in the plan (scenario:end's
   * `index`) is not kept — the reporter wrote what it needs into the run's head.
   */
  constructor(temp: TempDir, keepPlacedResults = true) {
    this.#log = new Spool(temp);
    this.#results = keepPlacedResults ? [] : new Map();
  }

  /**
   * Takes over the spool of a scenario run that ended. A small one is appended to one shared log
   * (and disposed); one that already outgrew memory keeps its own file, so nothing large is copied.
   * `wrap`, when given, is text around the spool's: the run's text is then head + open + spool + close,
   * and `head` of the {@link FinishedRun} is where the head ends.
   */
  add(result: ScenarioResult, meta: M, spool: Spool, place: RunPlace = {}, wrap?: RunWrap): void {
    const index = this.#count++;
    if (Array.isArray(this.#results)) this.#results.push(result);
    else if (place.index === undefined) this.#results.set(index, result);
    addTotals(this.#totals, result.totals);
    this.#status = worstStatus(this.#status, result.status);
    this.#place(index, place);
    // A meta of undefined (the JSON reporter's) is not stored: #metas stays empty.
    if (meta !== undefined || this.#metas.length > 0) {
      while (this.#metas.length < index) this.#metas.push(undefined as M);
      this.#metas.push(meta);
    }
    if (index % CHUNK_RUNS === 0) this.#chunkStarts.push(this.#log.size);
    if (spool.spilled) {
      spool.seal();
      this.#own.set(index, { spool, wrap });
      return;
    }
    const start = this.#log.size;
    if (wrap !== undefined) this.#log.write(wrap.head);
    const head = this.#log.size;
    if (wrap !== undefined) this.#log.write(wrap.open);
    this.#log.append(spool);
    spool.dispose();
    if (wrap !== undefined) this.#log.write(wrap.close);
    this.#headLengths.set(index, head - start);
    this.#restLengths.set(index, this.#log.size - head);
  }

  /** The result kept of the run at `index` (in ended order). */
  #result(index: number): ScenarioResult | undefined {
    return Array.isArray(this.#results) ? this.#results[index] : this.#results.get(index);
  }

  /** Bytes `start`, `head`, `end` of the run at `index` in its spool (an own spool: 0, 0, its size). */
  #bounds(index: number): [start: number, head: number, end: number] {
    const own = this.#own.get(index);
    if (own !== undefined) return [0, 0, own.spool.size];
    const start = this.#start(index);
    const head = start + this.#headLengths.get(index);
    return [start, head, head + this.#restLengths.get(index)];
  }

  /** Where the run at `index` (in the shared log) starts: the start of its chunk plus the lengths of the runs before it in the chunk. */
  #start(index: number): number {
    let { index: at, start } = this.#cursor;
    if (at > index || Math.floor(at / CHUNK_RUNS) !== Math.floor(index / CHUNK_RUNS)) {
      at = index - (index % CHUNK_RUNS);
      start = this.#chunkStarts[at / CHUNK_RUNS] as number;
    }
    for (; at < index; at++) start += this.#headLengths.get(at) + this.#restLengths.get(at);
    this.#cursor = { index, start };
    return start;
  }

  #place(run: number, place: RunPlace): void {
    if (place.hook === 'beforeAll') this.#beforeAll = run;
    else if (place.hook === 'afterAll') this.#afterAll = run;
    if (place.index === undefined) return;
    // A rerun (--retry-failed) takes the place of the earlier run: the run result lists the last.
    if (this.#shift === undefined && place.index === 0) this.#shift = run;
    if (this.#shift !== undefined && this.#shift >= 0) {
      if (place.index === this.#plannedLength && run === place.index + this.#shift) {
        this.#plannedLength++;
        return;
      }
      for (let index = 0; index < this.#plannedLength; index++) this.#planned.set(index, index + this.#shift + 1);
    }
    this.#shift = -1;
    this.#planned.set(place.index, run + 1);
    this.#plannedLength = Math.max(this.#plannedLength, place.index + 1);
  }

  /** Whether any run that ended carried its place in the plan (runs of the engine do). */
  get placed(): boolean {
    return this.#plannedLength > 0;
  }

  /**
   * The runs (in ended order) as a RunResult lists them: beforeAll, the plan's runs by index (the
   * last run of each), afterAll. Made as they are read: a list of them was 100,000 numbers made
   * while the report is written, at the end of the run.
   */
  *plannedOrder(): Generator<number, void, undefined> {
    if (this.#beforeAll >= 0) yield this.#beforeAll;
    const shift = this.#shift ?? -1;
    for (let index = 0; index < this.#plannedLength; index++) {
      const run = shift >= 0 ? index + shift + 1 : this.#planned.get(index);
      if (run > 0) yield run - 1;
    }
    if (this.#afterAll >= 0) yield this.#afterAll;
  }

  /** The runs in the order they ended. */
  *endedOrder(): Generator<number, void, undefined> {
    for (let index = 0; index < this.#count; index++) yield index;
  }

  /** The results of the runs in planned order (see {@link plannedOrder}; needs the results kept). */
  plannedResults(): ScenarioResult[] {
    return Array.from(this.plannedOrder(), (run) => this.#result(run) as ScenarioResult);
  }

  /** The results of the runs that ended and were kept, in the order they ended. */
  listResults(): ScenarioResult[] {
    const results = Array.isArray(this.#results) ? this.#results : [...this.#results.values()];
    return results.filter((result): result is ScenarioResult => result !== undefined);
  }

  /**
   * The run result of a run cut short (no `run:end`): the totals and worst status of every run that
   * ended, and the results kept. Its duration runs until `now`.
   */
  summarise(startedAt: number, now: number = Date.now()): RunResult {
    return {
      status: this.#status,
      startedAt,
      durationMs: Math.max(0, now - startedAt),
      totals: { ...this.#totals },
      scenarios: this.listResults(),
    };
  }

  /** The finished run at `index` (in the order runs ended), made when asked for. */
  run(index: number): FinishedRun<M> {
    const [start, head, end] = this.#bounds(index);
    return {
      index,
      result: this.#result(index),
      meta: this.#metas[index] as M,
      spool: this.#own.get(index)?.spool ?? this.#log,
      start,
      head,
      end,
    };
  }

  /**
   * Copies the text of the run at `index` (in the order runs ended) out, wrap included (see
   * {@link add}); with `withHead` false, from after the head.
   */
  async copyRun(index: number, write: (chunk: Buffer) => Promise<void>, withHead: boolean): Promise<void> {
    const own = this.#own.get(index);
    if (own === undefined) {
      const [start, head, end] = this.#bounds(index);
      await this.#log.copyTo(write, withHead ? start : head, end);
      return;
    }
    const wrap = own.wrap;
    if (wrap !== undefined) await write(Buffer.from(withHead ? wrap.head + wrap.open : wrap.open));
    await own.spool.copyTo(write);
    if (wrap !== undefined) await write(Buffer.from(wrap.close));
  }

  /**
   * Finds the finished run of each scenario result (as listed in a RunResult): the same object the
   * scenario:end event carried, else the next run that ended with the same file and iteration.
   */
  match(scenarios: readonly ScenarioResult[]): MatchedRuns<M> {
    const indices = new Int32Array(scenarios.length).fill(-1);
    if (this.#count === scenarios.length && scenarios.every((scenario, index) => this.#result(index) === scenario)) {
      for (let index = 0; index < indices.length; index++) indices[index] = index;
    } else {
      const byResult = new Map<ScenarioResult | undefined, number>();
      const byKey = new Map<string, number[]>();
      for (let index = 0; index < this.#count; index++) {
        const result = this.#result(index);
        byResult.set(result, index);
        if (result === undefined) continue;
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
      return found === undefined || found < 0 ? undefined : this.run(found);
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
    for (const own of this.#own.values()) own.spool.dispose();
    this.#own.clear();
    if (Array.isArray(this.#results)) this.#results.length = 0;
    else this.#results.clear();
    this.#metas.length = 0;
  }
}
