/**
 * The JSON report (format: `ReportSchema`). Steps stream out of memory as they end: nested under
 * their containers by a StepTree per scenario run, kept on disk per finished scenario run, and
 * assembled into the report at `run:end`. Memory does not grow with the number of steps, loop passes
 * or scenario runs beyond a small record per finished run.
 */

import type { RunResult, ScenarioResult, StepEndEvent, StepStartEvent, TokenEvent } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { FileReporter } from '../shared/file-reporter.js';
import type { FinishedRun } from '../shared/finished-runs.js';
import { type ReportFile, writeReportFile } from '../shared/report-file.js';
import type { Spool } from '../shared/spool.js';
import { AuthActivityLog } from './auth-activity.js';
import { stringifyRedacted } from './redact-json.js';
import { REPORT_SCHEMA_URL, REPORT_VERSION } from './report-format.js';
import { openObject, StepTree } from './step-tree.js';

/**
 * Creates the JSON reporter. The report is written to `options.file` (parent directories are
 * created) when the run ends, or at `close()` from the scenarios that ended when the run was cut short.
 */
export function createJsonReporter(options: FileReporterOptions): Reporter {
  return new JsonReporter(options);
}

class JsonReporter extends FileReporter<StepTree, undefined> {
  /** Token activity per auth profile, for the report's `auth` section. */
  readonly #auth = new AuthActivityLog();

  constructor(options: FileReporterOptions) {
    super(options, 'sortie-json-');
  }

  protected createSlot(): StepTree {
    return new StepTree(this.temp, this.options.redactor);
  }

  protected finishSlot(tree: StepTree): { meta: undefined; spool: Spool } {
    return { meta: undefined, spool: tree.finish().spool };
  }

  protected disposeSlot(tree: StepTree): void {
    tree.dispose();
  }

  onStepStart(event: StepStartEvent): void {
    this.guard(() => this.tracker.resolveStepKey(event.scenario).start(event));
  }

  onStepEnd(event: StepEndEvent): void {
    this.guard(() => this.tracker.resolveStepKey(event.scenario).end(event.result));
  }

  onToken(event: TokenEvent): void {
    this.guard(() => this.#auth.add(event));
  }

  protected async writeReport(run: RunResult): Promise<void> {
    const redactor = this.options.redactor;
    const finished = this.finished.match(run.scenarios);
    await writeReportFile(this.options, async (out) => {
      const head = {
        $schema: REPORT_SCHEMA_URL,
        version: REPORT_VERSION,
        tool: { name: 'sortie', version: this.options.toolVersion ?? 'unknown' },
        startedAt: new Date(run.startedAt).toISOString(),
        durationMs: run.durationMs,
        status: run.status,
        ...(run.bailed === true ? { bailed: true } : {}),
        ...(run.failOnFlaky === true ? { failOnFlaky: true } : {}),
        totals: run.totals,
        ...(this.#auth.list().length === 0 ? {} : { auth: this.#auth.list() }),
      };
      await out.write(`${openObject(stringifyRedacted(head, 0, redactor), 0)},\n  "scenarios": [`);
      for (const [index, scenario] of run.scenarios.entries()) {
        await out.write(index === 0 ? '\n' : ',\n');
        await this.#writeScenario(out, scenario, finished.at(index));
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
    if (scenario.notRun !== undefined) head.notRun = scenario.notRun;
    if (scenario.teardown !== undefined) head.teardown = scenario.teardown;
    if (scenario.hook !== undefined) head.hook = scenario.hook;
    if (scenario.flaky === true) head.flaky = true;
    if (scenario.attempts !== undefined) head.attempts = scenario.attempts;
    await out.write(`${openObject(stringifyRedacted(head, 4, this.options.redactor), 4)},\n      "steps": [`);
    if (finished === undefined || finished.end === finished.start) {
      await out.write(']\n    }');
      return;
    }
    await out.write('\n');
    await finished.spool.copyTo((chunk) => out.writeBytes(chunk), finished.start, finished.end);
    await out.write('\n      ]\n    }');
  }
}
