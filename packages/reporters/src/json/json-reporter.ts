/**
 * The JSON report (format: `ReportSchema`). Steps stream out of memory as they end: nested under
 * their containers by a StepTree per scenario run, kept on disk per finished scenario run, and
 * assembled into the report at `run:end`. Memory does not grow with the number of steps, loop passes
 * or scenario runs beyond a small record per finished run.
 */

import { type RunResult, type ScenarioResult, type StepEndEvent, type StepStartEvent, type TokenEvent, VERSION } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { FileReporter } from '../shared/file-reporter.js';
import type { FinishedRun, RunWrap } from '../shared/finished-runs.js';
import { type ReportFile, writeReportFile } from '../shared/report-file.js';
import type { Spool } from '../shared/spool.js';
import { AuthActivityLog } from './auth-activity.js';
import { stringifyIndented } from './redact-json.js';
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
    // Each run's head is written at scenario:end (finishSlot): no ScenarioResult is kept for the report.
    super(options, 'sortie-json-', false);
  }

  protected createSlot(): StepTree {
    return new StepTree(this.temp, this.options.redactor);
  }

  /** The run's whole text: its head (from the result), then its steps. */
  protected finishSlot(tree: StepTree, result: ScenarioResult): { meta: undefined; spool: Spool; wrap: RunWrap } {
    const spool = tree.finish().spool;
    const empty = spool.size === 0;
    return {
      meta: undefined,
      spool,
      wrap: { head: this.#scenarioHead(result), open: empty ? '' : '\n', close: empty ? ']\n    }' : '\n      ]\n    }' },
    };
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

  protected async writeReport(run: RunResult, ended: boolean): Promise<void> {
    // The runs' texts in the order the run result lists them: the runs of the engine carry their place
    // in the plan; otherwise (events made by hand) the run result's scenarios are matched to the runs.
    const order = ended ? this.finished.endedOrder() : this.finished.placed ? this.finished.plannedOrder() : undefined;
    const finished = order === undefined ? this.finished.match(run.scenarios) : undefined;
    await writeReportFile(this.options, async (out) => {
      // Only what a scenario or a server wrote is redacted: the tool's own fields ($schema, times,
      // statuses) never hold a secret, and a short one ("2026", "json") made them fail ReportSchema.
      const auth = this.#auth.list();
      const head = {
        $schema: REPORT_SCHEMA_URL,
        version: REPORT_VERSION,
        tool: { name: 'sortie', version: this.options.toolVersion ?? VERSION },
        startedAt: new Date(run.startedAt).toISOString(),
        durationMs: run.durationMs,
        status: run.status,
        ...(run.bailed === true ? { bailed: true } : {}),
        ...(run.timedOut === true ? { timedOut: true } : {}),
        ...(run.cancelled === true ? { cancelled: true } : {}),
        ...(run.failOnFlaky === true ? { failOnFlaky: true } : {}),
        totals: run.totals,
        ...(auth.length === 0 ? {} : { auth: this.#redact(auth) }),
      };
      await out.write(`${openObject(stringifyIndented(head, 0), 0)},\n  "scenarios": [`);
      const write = (chunk: Buffer) => out.writeBytes(chunk);
      let written = 0;
      if (order !== undefined) {
        for (const index of order) {
          await out.write(written++ === 0 ? '\n' : ',\n');
          await this.finished.copyRun(index, write, true);
        }
      } else {
        for (const [index, scenario] of run.scenarios.entries()) {
          await out.write(index === 0 ? '\n' : ',\n');
          await this.#writeScenario(out, scenario, finished?.at(index));
        }
      }
      await out.write((order === undefined ? run.scenarios.length : written) === 0 ? ']\n}\n' : '\n  ]\n}\n');
    });
  }

  /** A copy of a value a scenario or a server wrote, with every secret redacted. */
  #redact<T>(value: T): T {
    const redactor = this.options.redactor;
    return redactor === undefined ? value : redactor.redactValue(value);
  }

  /** A scenario run's head, up to its steps' opening bracket (redacted as the run's head is). */
  #scenarioHead(scenario: ScenarioResult): string {
    const head: Record<string, unknown> = { name: this.#redact(scenario.name), file: this.#redact(scenario.file) };
    if (scenario.iteration !== undefined) head.iteration = scenario.iteration;
    head.status = scenario.status;
    head.startedAt = new Date(scenario.startedAt).toISOString();
    head.durationMs = scenario.durationMs;
    head.totals = scenario.totals;
    if (scenario.error !== undefined) head.error = this.#redact(scenario.error);
    if (scenario.notRun !== undefined) head.notRun = scenario.notRun;
    if (scenario.interrupted === true) head.interrupted = true;
    if (scenario.teardown !== undefined) head.teardown = scenario.teardown;
    if (scenario.hook !== undefined) head.hook = scenario.hook;
    if (scenario.flaky === true) head.flaky = true;
    if (scenario.attempts !== undefined) head.attempts = scenario.attempts;
    return `${openObject(stringifyIndented(head, 4), 4)},\n      "steps": [`;
  }

  /** A scenario run of the run result: its head, then the steps of the run it was matched to. */
  async #writeScenario(out: ReportFile, scenario: ScenarioResult, finished: FinishedRun<undefined> | undefined): Promise<void> {
    await out.write(this.#scenarioHead(scenario));
    if (finished === undefined) {
      await out.write(']\n    }');
      return;
    }
    await this.finished.copyRun(finished.index, (chunk) => out.writeBytes(chunk), false);
  }
}
