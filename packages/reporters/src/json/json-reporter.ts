/**
 * The JSON report (format: `ReportSchema`). Steps stream out of memory as they end: nested under
 * their containers by a StepTree per scenario run, kept on disk per finished scenario run, and
 * assembled into the report at `run:end`. Memory does not grow with the number of steps, loop passes
 * or scenario runs beyond a small record per finished run.
 */

import type { RunEvent, RunResult, ScenarioResult } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { type FinishedRun, FinishedRuns } from '../shared/finished-runs.js';
import { type ReportFile, writeReportFile } from '../shared/report-file.js';
import { ScenarioTracker } from '../shared/scenario-key.js';
import { summariseEndedRun } from '../shared/summarise-run.js';
import { TempDir } from '../shared/temp-dir.js';
import { toWriteError } from '../shared/write-error.js';
import { AuthActivityLog } from './auth-activity.js';
import { stringifyRedacted } from './redact-json.js';
import { REPORT_SCHEMA_URL, REPORT_VERSION } from './report-schema.js';
import { openObject, StepTree } from './step-tree.js';

/**
 * Creates the JSON reporter. The report is written to `options.file` (parent directories are
 * created) when the run ends, or at `close()` from the scenarios that ended when the run was cut short.
 */
export function createJsonReporter(options: FileReporterOptions): Reporter {
  return new JsonReporter(options);
}

class JsonReporter implements Reporter {
  readonly #options: FileReporterOptions;
  readonly #temp = new TempDir('sortie-json-');
  readonly #tracker: ScenarioTracker<StepTree>;
  readonly #finished: FinishedRuns<undefined>;
  /** Token activity per auth profile, for the report's `auth` section. */
  readonly #auth = new AuthActivityLog();
  #runStartedAt: number | undefined;
  #writing: Promise<void> | undefined;
  #failure: unknown;

  constructor(options: FileReporterOptions) {
    this.#options = options;
    this.#tracker = new ScenarioTracker(() => new StepTree(this.#temp, options.redactor));
    this.#finished = new FinishedRuns(this.#temp);
  }

  onEvent(event: RunEvent): void {
    if (this.#failure !== undefined || this.#writing !== undefined) return;
    try {
      this.#handle(event);
    } catch (error) {
      this.#failure = toWriteError(this.#options.file, error);
    }
  }

  async close(): Promise<void> {
    try {
      if (this.#failure === undefined && this.#writing === undefined && this.#runStartedAt !== undefined) {
        this.#writing = this.#writeReport(summariseEndedRun(this.#runStartedAt, this.#finished.listResults()));
      }
      await this.#writing?.catch((error: unknown) => {
        this.#failure ??= error;
      });
    } finally {
      for (const tree of this.#tracker.listSlots()) tree.dispose();
      this.#finished.dispose();
      this.#temp.remove();
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  #handle(event: RunEvent): void {
    switch (event.type) {
      case 'run:start':
        this.#runStartedAt = event.startedAt;
        break;
      case 'scenario:start':
        this.#tracker.startScenario(event);
        break;
      case 'step:start':
        this.#tracker.resolveStepKey(event.scenario).start(event);
        break;
      case 'step:end':
        this.#tracker.resolveStepKey(event.scenario).end(event.result);
        break;
      case 'scenario:end':
        this.#finished.add(event.result, undefined, this.#tracker.endScenario(event.result).finish().spool);
        break;
      case 'run:end':
        this.#writing = this.#writeReport(event.result);
        break;
      case 'token':
        this.#auth.add(event);
        break;
      default:
        break;
    }
  }

  async #writeReport(run: RunResult): Promise<void> {
    const redactor = this.#options.redactor;
    const finished = this.#finished.match(run.scenarios);
    await writeReportFile(this.#options.file, async (out) => {
      const head = {
        $schema: REPORT_SCHEMA_URL,
        version: REPORT_VERSION,
        tool: { name: 'sortie', version: this.#options.toolVersion ?? 'unknown' },
        startedAt: new Date(run.startedAt).toISOString(),
        durationMs: run.durationMs,
        status: run.status,
        totals: run.totals,
        ...(this.#auth.list().length === 0 ? {} : { auth: this.#auth.list() }),
      };
      await out.write(`${openObject(stringifyRedacted(head, 0, redactor), 0)},\n  "scenarios": [`);
      for (const [index, scenario] of run.scenarios.entries()) {
        await out.write(index === 0 ? '\n' : ',\n');
        await this.#writeScenario(out, scenario, finished[index]);
      }
      await out.write(run.scenarios.length === 0 ? ']\n}\n' : '\n  ]\n}\n');
    });
  }

  async #writeScenario(out: ReportFile, scenario: ScenarioResult, finished: FinishedRun<undefined> | undefined): Promise<void> {
    const head: Record<string, unknown> = { name: scenario.name, file: scenario.file };
    if (scenario.iteration !== undefined) head.iteration = scenario.iteration;
    head.status = scenario.status;
    head.startedAt = new Date(scenario.startedAt).toISOString();
    head.durationMs = scenario.durationMs;
    head.totals = scenario.totals;
    if (scenario.error !== undefined) head.error = scenario.error;
    await out.write(`${openObject(stringifyRedacted(head, 4, this.#options.redactor), 4)},\n      "steps": [`);
    if (finished === undefined || finished.end === finished.start) {
      await out.write(']\n    }');
      return;
    }
    await out.write('\n');
    await finished.spool.copyTo((chunk) => out.writeBytes(chunk), finished.start, finished.end);
    await out.write('\n      ]\n    }');
  }
}
