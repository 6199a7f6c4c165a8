/**
 * The skeleton the file reporters (json, junit) share: a private temporary directory for spools, a
 * slot of state per open scenario run, the finished scenario runs kept on disk, and the report
 * written at `run:end` — or at `close()` from the scenario runs that ended, when the run was cut
 * short. A hook that fails (a disk error) stops the reporter; `close()` rejects with the error.
 */
import type { RunEndEvent, RunResult, RunStartEvent, ScenarioEndEvent, ScenarioResult, ScenarioStartEvent } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { FinishedRuns } from './finished-runs.js';
import { ScenarioTracker } from './scenario-key.js';
import type { Spool } from './spool.js';
import { summariseEndedRun } from './summarise-run.js';
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

  /** `tempPrefix` names the spool directory, e.g. `sortie-json-`. */
  constructor(options: FileReporterOptions, tempPrefix: string) {
    this.options = options;
    this.temp = new TempDir(tempPrefix);
    this.tracker = new ScenarioTracker((key, start) => this.createSlot(key, start));
    this.finished = new FinishedRuns(this.temp);
  }

  /** A new slot for a scenario run (`start` is undefined for a run that never started). */
  protected abstract createSlot(key: string, start: ScenarioStartEvent | undefined): Slot;
  /** What a scenario run that ended leaves behind: its text (handed over) and its numbers. */
  protected abstract finishSlot(slot: Slot, result: ScenarioResult): { meta: Meta; spool: Spool };
  /** Frees a slot of a scenario run that never ended. */
  protected abstract disposeSlot(slot: Slot): void;
  /** Writes the report of the run. */
  protected abstract writeReport(run: RunResult): Promise<void>;

  onRunStart(event: RunStartEvent): void {
    this.#runStartedAt = event.startedAt;
  }

  onScenarioStart(event: ScenarioStartEvent): void {
    this.guard(() => this.tracker.startScenario(event));
  }

  onScenarioEnd(event: ScenarioEndEvent): void {
    this.guard(() => {
      const { meta, spool } = this.finishSlot(this.tracker.endScenario(event.result), event.result);
      this.finished.add(event.result, meta, spool);
    });
  }

  onRunEnd(event: RunEndEvent): void {
    this.guard(() => {
      this.#writing = this.writeReport(event.result);
    });
  }

  async close(): Promise<void> {
    try {
      if (this.#failure === undefined && this.#writing === undefined && this.#runStartedAt !== undefined) {
        this.#writing = this.writeReport(summariseEndedRun(this.#runStartedAt, this.finished.listResults()));
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

  /** Redacts text written into the report (a last line of defence; see FileReporterOptions.redactor). */
  protected redact(text: string): string {
    return this.options.redactor === undefined ? text : this.options.redactor.redact(text);
  }
}
