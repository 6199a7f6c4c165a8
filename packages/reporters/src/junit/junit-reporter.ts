/**
 * The JUnit XML report, valid against the Surefire/Ant JUnit XSD
 * (`fixtures/conformance/junit-10.xsd`). One `<testsuite>` per scenario run, one `<testcase>`
 * per leaf step. Only small per-test-case summaries are kept in memory.
 * @see https://github.com/jenkinsci/xunit-plugin/blob/master/src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
 */
import type { RunEvent, RunResult, ScenarioResult } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { collectLeafSteps, createLeafState, type LeafState } from '../shared/leaf-steps.js';
import { writeReportFile } from '../shared/report-file.js';
import { ScenarioTracker } from '../shared/scenario-key.js';
import { summariseEndedRun } from '../shared/summarise-run.js';
import { formatScenarioTitle } from '../shared/titles.js';
import { formatSeconds, renderTestCase, summariseScenarioError, summariseStep, type TestCaseSummary } from './junit-testcase.js';
import { escapeXmlAttribute } from './xml-escape.js';

interface ScenarioSlot {
  leaves: LeafState;
  cases: TestCaseSummary[];
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
  readonly #tracker = new ScenarioTracker<ScenarioSlot>(() => ({ leaves: createLeafState(), cases: [] }));
  readonly #ended: ScenarioResult[] = [];
  #runStartedAt: number | undefined;
  #writing: Promise<void> | undefined;

  constructor(options: FileReporterOptions) {
    this.#options = options;
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
        for (const leaf of collectLeafSteps(event.result, slot.leaves)) slot.cases.push(summariseStep(leaf, this.#options.redactor));
        break;
      }
      case 'scenario:end': {
        const slot = this.#tracker.endScenario(event.result);
        slot.leaves = createLeafState();
        if (event.result.error !== undefined) {
          slot.cases.unshift(summariseScenarioError(formatScenarioTitle(event.result), event.result.error, this.#options.redactor));
        }
        this.#ended.push(event.result);
        break;
      }
      case 'run:end':
        this.#writing = this.#writeReport(event.result);
        break;
      default:
        break;
    }
  }

  async close(): Promise<void> {
    if (this.#writing === undefined && this.#runStartedAt !== undefined) {
      this.#writing = this.#writeReport(summariseEndedRun(this.#runStartedAt, this.#ended));
    }
    await this.#writing;
  }

  async #writeReport(run: RunResult): Promise<void> {
    const suites = run.scenarios.map((scenario) => {
      const cases = this.#tracker.findScenario(scenario.file, scenario.iteration)?.cases ?? [];
      return { scenario, cases, counts: countCases(cases) };
    });
    const total: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const { counts } of suites) {
      total.tests += counts.tests;
      total.failures += counts.failures;
      total.errors += counts.errors;
      total.skipped += counts.skipped;
    }
    await writeReportFile(this.#options.file, async (out) => {
      await out.write('<?xml version="1.0" encoding="UTF-8"?>\n');
      // The XSD allows no `skipped` attribute on <testsuites>; skipped counts are per <testsuite>.
      const root = `<testsuites name="sortie" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${formatSeconds(run.durationMs)}"`;
      if (suites.length === 0) {
        await out.write(`${root}/>\n`);
        return;
      }
      await out.write(`${root}>\n`);
      for (const [index, { scenario, cases, counts }] of suites.entries()) {
        await out.write(this.#renderSuiteOpen(scenario, index, counts, cases.length === 0));
        const classname = this.#redact(scenario.name);
        for (const summary of cases) await out.write(renderTestCase(summary, classname));
        if (cases.length > 0) await out.write('  </testsuite>\n');
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

function countCases(cases: TestCaseSummary[]): SuiteCounts {
  const counts: SuiteCounts = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
  for (const summary of cases) {
    if (summary.ignored === true) continue;
    if (summary.status === 'failed') counts.failures += 1;
    else if (summary.status === 'error') counts.errors += 1;
    else if (summary.status === 'skipped') counts.skipped += 1;
  }
  return counts;
}

/** ISO 8601 date-time without milliseconds or zone (UTC), the form Ant's JUnit schema uses for `timestamp`. */
function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}
