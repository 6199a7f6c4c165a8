/**
 * The JUnit XML report, valid against the Surefire/Ant JUnit XSD
 * (`fixtures/conformance/junit-10.xsd`). One `<testsuite>` per scenario run, one `<testcase>`
 * per leaf step. Each test case goes to the scenario run's spool as soon as its step ends; only
 * the counts of each finished scenario run stay in memory.
 * @see https://github.com/jenkinsci/xunit-plugin/blob/master/src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
 */
import {
  countStep,
  ErrorCode,
  emptyTotals,
  type RunResult,
  type ScenarioResult,
  type ScenarioStartEvent,
  type StepEndEvent,
  type StepStartEvent,
  type Totals,
} from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { FileReporter } from '../shared/file-reporter.js';
import { collectLeafSteps, createLeafState, type LeafState } from '../shared/leaf-steps.js';
import { writeReportFile } from '../shared/report-file.js';
import { Spool } from '../shared/spool.js';
import { StepRunIds } from '../shared/step-run-ids.js';
import { describeNotRun, formatScenarioTitle } from '../shared/titles.js';
import { formatSeconds, renderTestCase, summariseScenarioError, summariseStep, type TestCaseSummary, toRerun } from './junit-testcase.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.js';

interface ScenarioSlot {
  leaves: LeafState;
  /** The `<testcase>` elements written so far. */
  cases: Spool;
  /** `classname` of the test cases: the scenario's name and iteration (see testCaseClassname). */
  classname: string;
  /** The suite's counts, by the rules every report counts with (core's countStep). */
  totals: Totals;
  key: string;
  /** --retry-failed: the problems of the earlier attempts of this scenario run, by test case name. */
  earlier?: EarlierProblems;
  /** The problems of this attempt, by test case name (kept only for failed steps). */
  problems: EarlierProblems;
  /** Tells the steps that `setNextRequest` runs again (their run id has a `~`). */
  ids: StepRunIds;
  /** Runs so far of the test case names of steps run again: their later runs are named `<name> [run N]`. */
  reruns: Map<string, number>;
}

/** Test cases that failed in earlier attempts of a scenario run: name → each attempt's problem. */
type EarlierProblems = Map<string, Array<{ attempt: number; summary: TestCaseSummary }>>;

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

class JunitReporter extends FileReporter<ScenarioSlot, SuiteCounts> {
  constructor(options: FileReporterOptions) {
    super(options, 'sortie-junit-');
  }

  /** Failed test cases of scenario runs that failed, by scenario key, for a rerun of it (--retry-failed). */
  readonly #failedRuns = new Map<string, EarlierProblems>();

  protected createSlot(key: string, start: ScenarioStartEvent | undefined): ScenarioSlot {
    const slot: ScenarioSlot = {
      leaves: createLeafState(),
      cases: new Spool(this.temp),
      classname: this.redact(start === undefined ? key : testCaseClassname(start)),
      totals: emptyTotals(),
      key,
      problems: new Map(),
      ids: new StepRunIds(),
      reruns: new Map(),
    };
    const earlier = start?.attempt === undefined ? undefined : this.#failedRuns.get(key);
    if (earlier !== undefined) slot.earlier = earlier;
    return slot;
  }

  protected disposeSlot(slot: ScenarioSlot): void {
    slot.cases.dispose();
  }

  onStepStart(event: StepStartEvent): void {
    this.guard(() => this.tracker.resolveStepKey(event.scenario).ids.start(event.id, event.kind));
  }

  /** Writes each leaf's test case into the scenario run's spool at once: only its counts stay in memory. */
  onStepEnd(event: StepEndEvent): void {
    this.guard(() => {
      const slot = this.tracker.resolveStepKey(event.scenario);
      const { id, kind } = event.result;
      for (const leaf of collectLeafSteps(event.result, slot.leaves)) {
        countStep(slot.totals, leaf, false);
        // The step of the event ends below; a step nested in it (no event of its own) starts and ends here.
        const runId = leaf.id === id ? slot.ids.start(id, kind) : slot.ids.end(leaf.id, leaf.kind);
        const summary = withRunName(summariseStep(leaf, this.options.redactor), runId, slot);
        slot.cases.write(renderTestCase(withEarlierProblems(summary, slot), slot.classname));
      }
      slot.ids.end(id, kind);
    });
  }

  /** Hands the scenario run's test cases over, a scenario that could not run becoming one errored test case first. */
  protected finishSlot(slot: ScenarioSlot, result: ScenarioResult): { meta: SuiteCounts; spool: Spool } {
    // A failed scenario run may run again (--retry-failed): its failed test cases are kept for the rerun's flaky/rerun elements.
    if (result.status === 'failed' || result.status === 'error') this.#failedRuns.set(slot.key, slot.problems);
    else this.#failedRuns.delete(slot.key);
    const counts: SuiteCounts = {
      tests: slot.totals.steps,
      failures: slot.totals.failed,
      errors: slot.totals.errors,
      skipped: slot.totals.skipped,
    };
    if (result.error === undefined) return { meta: counts, spool: slot.cases };
    const summary = summariseScenarioError(formatScenarioTitle(result), result.error, this.options.redactor);
    counts.tests += 1;
    counts.errors += 1;
    const cases = new Spool(this.temp);
    cases.write(renderTestCase(summary, slot.classname));
    cases.append(slot.cases);
    slot.cases.dispose();
    return { meta: counts, spool: cases };
  }

  protected async writeReport(listed: RunResult): Promise<void> {
    const run = this.listEvery(listed);
    this.#failedRuns.clear();
    const suites = this.finished.match(run.scenarios);
    const total: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const suite of suites) {
      if (suite === undefined) continue;
      total.tests += suite.meta.tests;
      total.failures += suite.meta.failures;
      total.errors += suite.meta.errors;
      total.skipped += suite.meta.skipped;
    }
    // An interrupted run did not pass: one errored test case of its own says so, so CI does not read it as green.
    const interrupted = run.status === 'interrupted';
    if (interrupted) {
      total.tests += 1;
      total.errors += 1;
    }
    await writeReportFile(this.options, async (out) => {
      await out.write('<?xml version="1.0" encoding="UTF-8"?>\n');
      // The XSD allows no `skipped` attribute on <testsuites>; skipped counts are per <testsuite>.
      const root = `<testsuites name="sortie" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${formatSeconds(run.durationMs)}"`;
      if (run.scenarios.length === 0 && !interrupted) {
        await out.write(`${root}/>\n`);
        return;
      }
      await out.write(`${root}>\n`);
      for (const [index, scenario] of run.scenarios.entries()) {
        const suite = suites.at(index);
        const counts = suite?.meta ?? { tests: 0, failures: 0, errors: 0, skipped: 0 };
        const properties = renderSuiteProperties(scenario);
        const empty = counts.tests === 0 && scenario.notRun === undefined && properties === '';
        await out.write(this.#renderSuiteOpen(scenario, index, counts, empty));
        if (empty) continue;
        await out.write(properties);
        if (scenario.notRun !== undefined)
          await out.write(`    <system-out>${escapeXmlText(describeNotRun(scenario.notRun))}</system-out>\n`);
        if (suite !== undefined) await suite.spool.copyTo((chunk) => out.writeBytes(chunk), suite.start, suite.end);
        await out.write('  </testsuite>\n');
      }
      if (interrupted) await out.write(renderInterruptedSuite(run, run.scenarios.length));
      await out.write('</testsuites>\n');
    });
  }

  #renderSuiteOpen(scenario: ScenarioResult, index: number, counts: SuiteCounts, empty: boolean): string {
    const attributes = [
      ['name', this.redact(formatScenarioTitle(scenario))],
      ['tests', String(counts.tests)],
      ['failures', String(counts.failures)],
      ['errors', String(counts.errors)],
      ['skipped', String(counts.skipped)],
      ['time', formatSeconds(scenario.durationMs)],
      ['timestamp', formatTimestamp(scenario.startedAt)],
      ['hostname', 'localhost'],
      ['id', String(index)],
      ['package', this.redact(scenario.file)],
      ['file', this.redact(scenario.file)],
    ];
    const text = attributes.map(([name, value]) => `${name}="${escapeXmlAttribute(value ?? '')}"`).join(' ');
    return `  <testsuite ${text}${empty ? '/>' : '>'}\n`;
  }
}

/**
 * The `classname` of a scenario run's test cases: its name, with `[iteration N]` for a data-driven
 * run, as its suite is named. Jenkins, GitLab and GitHub's
 * reporters key a test case by class and name (the suite name is not part of it): with the bare
 * scenario name, every iteration's test cases had the same key and were merged into one. A rerun
 * (--retry-failed) keeps the class: its test cases are the same tests, run again.
 */
function testCaseClassname(start: ScenarioStartEvent): string {
  return formatScenarioTitle({ name: start.name, iteration: start.iteration });
}

/**
 * Adds to a test case the problems it had in earlier attempts of its scenario run (--retry-failed),
 * and remembers its own problem for a later attempt.
 */
/**
 * A test case of a step that `setNextRequest` ran again is named `<name> [run N]` (N from 2 on), so
 * each run has a name of its own: Jenkins, GitLab and GitHub's reporters key test cases by class and
 * name, and would merge the runs or show one of them only.
 */
function withRunName(summary: TestCaseSummary, runId: string, slot: ScenarioSlot): TestCaseSummary {
  if (!runId.includes('~')) return summary;
  const run = (slot.reruns.get(summary.name) ?? 1) + 1;
  slot.reruns.set(summary.name, run);
  return { ...summary, name: `${summary.name} [run ${run}]` };
}

function withEarlierProblems(summary: TestCaseSummary, slot: ScenarioSlot): TestCaseSummary {
  const earlier = slot.earlier?.get(summary.name) ?? [];
  const mine = [...earlier];
  if (summary.status === 'failed' || summary.status === 'error') {
    const attempt = (earlier.at(-1)?.attempt ?? 0) + 1;
    mine.push({ attempt, summary });
    slot.problems.set(summary.name, mine);
  }
  if (earlier.length === 0) return summary;
  return { ...summary, reruns: [...earlier.map((e) => toRerun(e.summary, e.attempt)), ...(summary.reruns ?? [])] };
}

/**
 * `<properties>` of a suite that has something a test case cannot say: a project hook
 * (`sortie.hook`), how its teardown ended (`sortie.teardown`), --retry-failed (`sortie.attempts`,
 * `sortie.flaky`). Empty when there is nothing.
 */
function renderSuiteProperties(scenario: ScenarioResult): string {
  const properties: Array<[string, string]> = [];
  if (scenario.hook !== undefined) properties.push(['sortie.hook', scenario.hook]);
  if (scenario.teardown !== undefined) properties.push(['sortie.teardown', scenario.teardown]);
  if (scenario.attempts !== undefined) properties.push(['sortie.attempts', String(scenario.attempts.length + 1)]);
  if (scenario.flaky === true) properties.push(['sortie.flaky', 'true']);
  if (properties.length === 0) return '';
  const lines = properties.map(
    ([name, value]) => `      <property name="${escapeXmlAttribute(name)}" value="${escapeXmlAttribute(value)}"/>\n`,
  );
  return `    <properties>\n${lines.join('')}    </properties>\n`;
}

/** The suite of an interrupted run: one errored test case, `run interrupted`. */
function renderInterruptedSuite(run: RunResult, id: number): string {
  const summary: TestCaseSummary = {
    name: 'run interrupted',
    durationMs: 0,
    status: 'error',
    type: ErrorCode.INTERRUPTED,
    // --timeout stops a run as a signal does; its report said "a signal (Ctrl-C, SIGTERM) stopped the run".
    message:
      run.timedOut === true
        ? 'the run reached its time limit before it finished'
        : run.cancelled === true
          ? 'the run was cancelled before it finished'
          : 'the run was interrupted before it finished',
    text: `Interrupted: ${run.timedOut === true ? "the run's time limit (--timeout) stopped it" : run.cancelled === true ? 'it was cancelled' : 'a signal (Ctrl-C, SIGTERM) stopped the run'}; what did not run is reported as skipped`,
  };
  const attributes = `name="sortie run" tests="1" failures="0" errors="1" skipped="0" time="${formatSeconds(run.durationMs)}" timestamp="${formatTimestamp(run.startedAt)}" hostname="localhost" id="${id}"`;
  return `  <testsuite ${attributes}>\n${renderTestCase(summary, 'sortie')}  </testsuite>\n`;
}

/** ISO 8601 date-time without milliseconds or zone (UTC), the form Ant's JUnit schema uses for `timestamp`. */
function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}
