/**
 * The JUnit XML report, valid against the Surefire/Ant JUnit XSD
 * (`fixtures/conformance/junit-10.xsd`). One `<testsuite>` per scenario run, one `<testcase>`
 * per leaf step. Each test case goes to the scenario run's spool as soon as its step ends; only
 * the counts of each finished scenario run stay in memory.
 * @see https://github.com/jenkinsci/xunit-plugin/blob/master/src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
 */
import type { RunEvent, RunResult, ScenarioResult } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { FinishedRuns } from '../shared/finished-runs.js';
import { collectLeafSteps, createLeafState, type LeafState } from '../shared/leaf-steps.js';
import { writeReportFile } from '../shared/report-file.js';
import { ScenarioTracker } from '../shared/scenario-key.js';
import { Spool } from '../shared/spool.js';
import { summariseEndedRun } from '../shared/summarise-run.js';
import { TempDir } from '../shared/temp-dir.js';
import { formatScenarioTitle } from '../shared/titles.js';
import { formatSeconds, renderTestCase, summariseScenarioError, summariseStep, type TestCaseSummary } from './junit-testcase.js';
import { escapeXmlAttribute } from './xml-escape.js';

interface ScenarioSlot {
  leaves: LeafState;
  /** The `<testcase>` elements written so far. */
  cases: Spool;
  /** `classname` of the test cases: the scenario's name. */
  classname: string;
  counts: SuiteCounts;
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Creates the JUnit reporter. The XML is written to `options.file` (parent directories are created) when the run ends. */
export function createJunitReporter(options: FileReporterOptions): Reporter {
  return new JunitReporter(options);
}

class JunitReporter implements Reporter {
  readonly #options: FileReporterOptions;
  readonly #temp = new TempDir('sortie-junit-');
  readonly #tracker: ScenarioTracker<ScenarioSlot>;
  /** Each finished scenario run: its test cases on disk and its counts. */
  readonly #finished: FinishedRuns<SuiteCounts>;
  #runStartedAt: number | undefined;
  #writing: Promise<void> | undefined;

  constructor(options: FileReporterOptions) {
    this.#options = options;
    this.#tracker = new ScenarioTracker((key, start) => ({
      leaves: createLeafState(),
      cases: new Spool(this.#temp),
      classname: this.#redact(start?.name ?? key),
      counts: { tests: 0, failures: 0, errors: 0, skipped: 0 },
    }));
    this.#finished = new FinishedRuns(this.#temp);
  }

  onEvent(event: RunEvent): void {
    if (this.#writing !== undefined) return;
    switch (event.type) {
      case 'run:start':
        this.#runStartedAt = event.startedAt;
        break;
      case 'scenario:start':
        this.#tracker.startScenario(event);
        break;
      case 'step:end': {
        const slot = this.#tracker.resolveStepKey(event.scenario);
        for (const leaf of collectLeafSteps(event.result, slot.leaves)) this.#addCase(slot, summariseStep(leaf, this.#options.redactor));
        break;
      }
      case 'scenario:end':
        this.#endScenario(event.result);
        break;
      case 'run:end':
        this.#writing = this.#writeReport(event.result);
        break;
      default:
        break;
    }
  }

  async close(): Promise<void> {
    try {
      if (this.#writing === undefined && this.#runStartedAt !== undefined) {
        this.#writing = this.#writeReport(summariseEndedRun(this.#runStartedAt, this.#finished.listResults()));
      }
      await this.#writing;
    } finally {
      for (const slot of this.#tracker.listSlots()) slot.cases.dispose();
      this.#finished.dispose();
      this.#temp.remove();
    }
  }

  /** Writes a test case into the scenario run's spool at once: only its counts stay in memory. */
  #addCase(slot: ScenarioSlot, summary: TestCaseSummary): void {
    countCase(slot.counts, summary);
    slot.cases.write(renderTestCase(summary, slot.classname));
  }

  /** Hands the scenario run's test cases over, a scenario that could not run becoming one errored test case first. */
  #endScenario(result: ScenarioResult): void {
    const slot = this.#tracker.endScenario(result);
    let cases = slot.cases;
    if (result.error !== undefined) {
      const summary = summariseScenarioError(formatScenarioTitle(result), result.error, this.#options.redactor);
      countCase(slot.counts, summary);
      cases = new Spool(this.#temp);
      cases.write(renderTestCase(summary, this.#redact(result.name)));
      cases.append(slot.cases);
      slot.cases.dispose();
    }
    this.#finished.add(result, slot.counts, cases);
  }

  async #writeReport(run: RunResult): Promise<void> {
    const suites = this.#finished.match(run.scenarios);
    const total: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const suite of suites) {
      if (suite === undefined) continue;
      total.tests += suite.meta.tests;
      total.failures += suite.meta.failures;
      total.errors += suite.meta.errors;
      total.skipped += suite.meta.skipped;
    }
    await writeReportFile(this.#options.file, async (out) => {
      await out.write('<?xml version="1.0" encoding="UTF-8"?>\n');
      // The XSD allows no `skipped` attribute on <testsuites>; skipped counts are per <testsuite>.
      const root = `<testsuites name="sortie" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${formatSeconds(run.durationMs)}"`;
      if (run.scenarios.length === 0) {
        await out.write(`${root}/>\n`);
        return;
      }
      await out.write(`${root}>\n`);
      for (const [index, scenario] of run.scenarios.entries()) {
        const suite = suites[index];
        const counts = suite?.meta ?? { tests: 0, failures: 0, errors: 0, skipped: 0 };
        await out.write(this.#renderSuiteOpen(scenario, index, counts, counts.tests === 0));
        if (suite === undefined || counts.tests === 0) continue;
        await suite.spool.copyTo((chunk) => out.writeBytes(chunk), suite.start, suite.end);
        await out.write('  </testsuite>\n');
      }
      await out.write('</testsuites>\n');
    });
  }

  #renderSuiteOpen(scenario: ScenarioResult, index: number, counts: SuiteCounts, empty: boolean): string {
    const attributes = [
      ['name', this.#redact(formatScenarioTitle(scenario))],
      ['tests', String(counts.tests)],
      ['failures', String(counts.failures)],
      ['errors', String(counts.errors)],
      ['skipped', String(counts.skipped)],
      ['time', formatSeconds(scenario.durationMs)],
      ['timestamp', formatTimestamp(scenario.startedAt)],
      ['hostname', 'localhost'],
      ['id', String(index)],
      ['package', this.#redact(scenario.file)],
      ['file', this.#redact(scenario.file)],
    ];
    const text = attributes.map(([name, value]) => `${name}="${escapeXmlAttribute(value ?? '')}"`).join(' ');
    return `  <testsuite ${text}${empty ? '/>' : '>'}\n`;
  }

  #redact(text: string): string {
    return this.#options.redactor === undefined ? text : this.#options.redactor.redact(text);
  }
}

/** Counts a test case into its suite's counts (an ignored problem counts as a passing test). */
function countCase(counts: SuiteCounts, summary: TestCaseSummary): void {
  counts.tests += 1;
  if (summary.ignored === true) return;
  if (summary.status === 'failed') counts.failures += 1;
  else if (summary.status === 'error') counts.errors += 1;
  else if (summary.status === 'skipped') counts.skipped += 1;
}

/** ISO 8601 date-time without milliseconds or zone (UTC), the form Ant's JUnit schema uses for `timestamp`. */
function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}
