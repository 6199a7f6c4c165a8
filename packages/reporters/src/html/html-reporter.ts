/**
 * The HTML report: one self-contained page (inline CSS and script, no network). Steps are rendered
 * as they end into a spool per scenario run (HtmlStepTree); the page is assembled when the run
 * ends — head, summary (known only then), then each scenario run's section with its spooled steps
 * streamed in — so memory does not grow with the number of steps. This file only routes events;
 * the markup comes from the render-* modules.
 */
import type {
  RunEndEvent,
  RunResult,
  RunStartEvent,
  ScenarioEndEvent,
  ScenarioStartEvent,
  StepEndEvent,
  StepStartEvent,
  TokenEvent,
} from '@sortie/core';
import { isObjectArgument, VERSION, wrongArgument } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import { AuthActivityLog } from '../json/auth-activity.js';
import type { Reporter } from '../reporter.js';
import { FinishedRuns } from '../shared/finished-runs.js';
import { writeReportFile } from '../shared/report-file.js';
import { ScenarioTracker } from '../shared/scenario-key.js';
import { summariseEndedRun } from '../shared/summarise-run.js';
import { TempDir } from '../shared/temp-dir.js';
import { toWriteError } from '../shared/write-error.js';
import { HtmlText } from './escape-html.js';
import { HtmlStepTree } from './html-step-tree.js';
import {
  renderFragmentFoot,
  renderPageFoot,
  renderPageHead,
  renderScenarioHead,
  renderScenarioTail,
  renderSummary,
} from './render-page.js';
import { COLLAPSE_ABOVE } from './render-step.js';
import { ScenarioAnchors } from './scenario-anchors.js';
import { StepAnchors } from './step-anchors.js';

export interface HtmlReporterOptions extends FileReporterOptions {
  /** Name of the environment of the run, shown in the summary. Default: none. */
  environment?: string;
  /**
   * Write only the report's content (summary, filters, scenario sections) without the page around
   * it, its inline style or its script: the step view that `sortie server`'s dashboard embeds in its
   * own page, which serves the same style and script as files. Default: a whole page.
   */
  fragment?: boolean;
}

/** Creates the HTML reporter; the page is written to `options.file` when the run ends (or at `close()`). */
export function createHtmlReporter(options: HtmlReporterOptions): Reporter {
  if (!isObjectArgument(options)) throw wrongArgument('createHtmlReporter', 'options', 'an object (its file, at least)', options);
  return new HtmlReporter(options);
}

class HtmlReporter implements Reporter {
  readonly #options: HtmlReporterOptions;
  readonly #text: HtmlText;
  readonly #temp = new TempDir('sortie-html-');
  readonly #tracker: ScenarioTracker<HtmlStepTree>;
  readonly #finished: FinishedRuns<number>;
  readonly #auth = new AuthActivityLog();
  readonly #scenarioAnchors = new ScenarioAnchors();
  #runStartedAt: number | undefined;
  #writing: Promise<void> | undefined;
  #failure: unknown;

  constructor(options: HtmlReporterOptions) {
    this.#options = options;
    this.#text = new HtmlText(options.redactor);
    this.#tracker = new ScenarioTracker(
      (key, start) =>
        new HtmlStepTree(this.#temp, { text: this.#text, anchors: new StepAnchors(this.#scenarioAnchors.forKey(key, start?.hook)) }),
    );
    this.#finished = new FinishedRuns(this.#temp);
  }

  onRunStart(event: RunStartEvent): void {
    this.#guard(() => {
      this.#runStartedAt = event.startedAt;
    });
  }

  onScenarioStart(event: ScenarioStartEvent): void {
    this.#guard(() => this.#tracker.startScenario(event));
  }

  onStepStart(event: StepStartEvent): void {
    this.#guard(() => this.#tracker.resolveStepKey(event.scenario).start(event));
  }

  onStepEnd(event: StepEndEvent): void {
    this.#guard(() => this.#tracker.resolveStepKey(event.scenario).end(event.result));
  }

  onScenarioEnd(event: ScenarioEndEvent): void {
    this.#guard(() => {
      const tree = this.#tracker.endScenario(event.result);
      this.#finished.add(event.result, tree.count, tree.finish(), { index: event.index, hook: event.result.hook });
    });
  }

  onRunEnd(event: RunEndEvent): void {
    this.#guard(() => {
      this.#writing = this.#writeReport(event.result);
    });
  }

  onToken(event: TokenEvent): void {
    this.#guard(() => this.#auth.add(event));
  }

  /** Runs a hook unless the report already failed or is being written; a failure is kept for close(). */
  #guard(handle: () => void): void {
    if (this.#failure !== undefined || this.#writing !== undefined) return;
    try {
      handle();
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

  async #writeReport(listed: RunResult): Promise<void> {
    // A run result of keepResults 'problems' lists only some runs: every one comes from the runs that ended, in planned order.
    const run =
      listed.omittedScenarios === undefined || !this.#finished.placed ? listed : { ...listed, scenarios: this.#finished.plannedResults() };
    const text = this.#text;
    const finished = this.#finished.match(run.scenarios);
    const info = { auth: this.#auth.list(), toolVersion: this.#options.toolVersion ?? VERSION };
    const environment = this.#options.environment;
    await writeReportFile(this.#options, async (out) => {
      if (this.#options.fragment !== true)
        await out.write(
          renderPageHead(`Sortie report — ${run.status === 'interrupted' && run.cancelled === true ? 'cancelled' : run.status}`, text),
        );
      await out.write(
        renderSummary(
          run,
          environment === undefined ? info : { ...info, environment },
          text,
          this.#scenarioAnchors,
          this.#options.fragment === true,
        ),
      );
      for (const [index, scenario] of run.scenarios.entries()) {
        const steps = finished.at(index);
        const open = scenario.status === 'failed' || scenario.status === 'error' || scenario.totals.steps <= COLLAPSE_ABOVE * 4;
        await out.write(renderScenarioHead(scenario, text, open, this.#scenarioAnchors));
        if (steps !== undefined) await steps.spool.copyTo((chunk) => out.writeBytes(chunk), steps.start, steps.end);
        await out.write(renderScenarioTail());
      }
      await out.write(this.#options.fragment === true ? renderFragmentFoot() : renderPageFoot());
    });
  }
}
