/**
 * The skeleton the file reporters (json, junit) share: a private temporary directory for spools, a
 * slot of state per open scenario run, the finished scenario runs kept on disk, and the report
 * written at `run:end` — or at `close()` from the scenario runs that ended, when the run was cut
 * short. A hook that fails (a disk error) stops the reporter; `close()` rejects with the error.
 */
import type { RunEndEvent, RunResult, RunStartEvent, ScenarioEndEvent, ScenarioResult, ScenarioStartEvent } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { FinishedRuns, type RunWrap } from './finished-runs.js';
import { ScenarioTracker } from './scenario-key.js';
import type { Spool } from './spool.js';
import { TempDir } from './temp-dir.js';
import { toWriteError } from './write-error.js';

export abstract class FileReporter<Slot, Meta> implements Reporter {
  protected readonly options: FileReporterOptions;
  protected readonly temp: TempDir;
  protected readonly tracker: ScenarioTracker<Slot>;
  protected readonly finished: FinishedRuns<Meta>;
  #runStartedAt: number | undefined;
  #writing: Promise<void> | undefined;
  #failure: unknown;

  /**
   * `tempPrefix` names the spool directory, e.g. `sortie-json-`. `keepPlacedResults` false: the
   * reporter writes each run's head at scenario:end (see finishSlot) and keeps no ScenarioResult of
   * the runs the engine placed in the plan.
   */
  constructor(options: FileReporterOptions, tempPrefix: string, keepPlacedResults = true) {
    this.options = options;
    this.temp = new TempDir(tempPrefix);
    this.tracker = new ScenarioTracker((key, start) => this.createSlot(key, start));
    this.finished = new FinishedRuns(this.temp, keepPlacedResults);
  }

  /** A new slot for a scenario run (`start` is undefined for a run that never started). */
  protected abstract createSlot(key: string, start: ScenarioStartEvent | undefined): Slot;
  /** What a scenario run that ended leaves behind: its text (handed over, with text around it) and its numbers. */
  protected abstract finishSlot(slot: Slot, result: ScenarioResult): { meta: Meta; spool: Spool; wrap?: RunWrap };
  /** Frees a slot of a scenario run that never ended. */
  protected abstract disposeSlot(slot: Slot): void;
  /**
   * Writes the report of the run: from `run:end` (`ended` false), or from the runs that ended when
   * the run was cut short (`ended` true: `run` lists them in the order they ended).
   */
  protected abstract writeReport(run: RunResult, ended: boolean): Promise<void>;

  onRunStart(event: RunStartEvent): void {
    this.#runStartedAt = event.startedAt;
  }

  onScenarioStart(event: ScenarioStartEvent): void {
    this.guard(() => this.tracker.startScenario(event));
  }

  onScenarioEnd(event: ScenarioEndEvent): void {
    this.guard(() => {
      const { meta, spool, wrap } = this.finishSlot(this.tracker.endScenario(event.result), event.result);
      this.finished.add(event.result, meta, spool, { index: event.index, hook: event.result.hook }, wrap);
    });
  }

  onRunEnd(event: RunEndEvent): void {
    this.guard(() => {
      this.#writing = this.writeReport(event.result, false);
    });
  }

  async close(): Promise<void> {
    try {
      if (this.#failure === undefined && this.#writing === undefined && this.#runStartedAt !== undefined) {
        this.#writing = this.writeReport(this.finished.summarise(this.#runStartedAt), true);
      }
      await this.#writing?.catch((error: unknown) => {
        this.#failure ??= error;
      });
    } finally {
      for (const slot of this.tracker.listSlots()) this.disposeSlot(slot);
      this.finished.dispose();
      this.temp.remove();
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Runs a hook's work unless the reporter already failed or is writing; a failure is kept for `close()`. */
  protected guard(work: () => void): void {
    if (this.#failure !== undefined || this.#writing !== undefined) return;
    try {
      work();
    } catch (error) {
      this.#failure = toWriteError(this.options.file, error);
    }
  }

  /**
   * The run with every scenario run listed: a run result of `keepResults: 'problems'` lists only
   * some, so they come from the runs that ended, in planned order (the results must be kept).
   */
  protected listEvery(run: RunResult): RunResult {
    return run.omittedScenarios === undefined || !this.finished.placed ? run : { ...run, scenarios: this.finished.plannedResults() };
  }

  /** Redacts text written into the report (a last line of defence; see FileReporterOptions.redactor). */
  protected redact(text: string): string {
    return this.options.redactor === undefined ? text : this.options.redactor.redact(text);
  }
}
