/**
 * One JUnit `<testcase>`: the small summary kept per leaf step (never bodies) and its XML.
 * A failed assertion is a `<failure>`, a step that could not run an `<error>`. Failed attempts are
 * written the way Maven Surefire writes reruns (Jenkins reads them): a step that passed only on a
 * retry has a `<flakyFailure>` / `<flakyError>` per failed attempt; a step that failed every time
 * has its `<failure>` / `<error>` and a `<rerunFailure>` / `<rerunError>` per earlier attempt.
 * @see https://maven.apache.org/surefire/maven-surefire-plugin/examples/rerun-failing-tests.html
 */
import { type AttemptRecord, type ErrorInfo, formatError, type Redactor, reportedStatus, type StepResult } from '@sortie/core';
import { formatAssertionTitle, formatStepTitle } from '../shared/titles.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.js';

/** `type` of a `<failure>` made of failed assertions. */
export const ASSERTION_FAILURE_TYPE = 'AssertionFailure';

export interface TestCaseSummary {
  name: string;
  durationMs: number;
  status: StepResult['status'];
  /** `message` attribute and text of the `<failure>` or `<error>`. */
  message?: string;
  text?: string;
  /** `type` attribute of the `<failure>` or `<error>`. */
  type?: string;
  /** The step failed or errored under on-error `ignore`: written as a passing test case with the problem in `<system-out>`. */
  ignored?: boolean;
  /** Failed attempts before the last (a request's retries, or earlier runs of the scenario with --retry-failed). */
  reruns?: RerunSummary[];
}

/** A failed attempt: a failure (an unexpected status, a failed assertion) or an error (the step could not run). */
export interface RerunSummary {
  problem: 'failure' | 'error';
  type: string;
  message: string;
  text?: string;
}

/** `type` of a rerun element for an attempt that got a status it retried on. */
export const RETRIED_STATUS_TYPE = 'RetriedStatus';

/** Summarises a leaf step, redacting every string it keeps. */
export function summariseStep(step: StepResult, redactor: Redactor | undefined): TestCaseSummary {
  const summary = summariseOutcome(step, redactor);
  const attempts = step.attempts ?? [];
  // A step that passed without being flaky (its retries ran out on attempts that all came out alike) has no
  // <flakyFailure>: Jenkins would call it flaky.
  const passedSteadily = summary.status === 'passed' && step.flaky !== true;
  if (attempts.length > 1 && !passedSteadily)
    summary.reruns = attempts.slice(0, -1).map((attempt) => summariseAttempt(attempt, attempts.length, redactor));
  return step.ignored === true && (summary.status === 'failed' || summary.status === 'error') ? { ...summary, ignored: true } : summary;
}

/** An attempt of a request that was retried: its error, or the status it got. */
function summariseAttempt(attempt: AttemptRecord, of: number, redactor: Redactor | undefined): RerunSummary {
  const redact = (text: string): string => (redactor === undefined ? text : redactor.redact(text));
  const prefix = `attempt ${attempt.attempt} of ${of}`;
  if (attempt.error !== undefined) {
    return { problem: 'error', type: redact(String(attempt.error.code)), message: redact(`${prefix}: ${attempt.error.message}`) };
  }
  return { problem: 'failure', type: RETRIED_STATUS_TYPE, message: `${prefix}: status ${attempt.status ?? 'none'}` };
}

/** A test case's problem as a rerun of a later attempt (--retry-failed): `attempt` numbers it. */
export function toRerun(summary: TestCaseSummary, attempt: number): RerunSummary {
  const rerun: RerunSummary = {
    problem: summary.status === 'error' ? 'error' : 'failure',
    type: summary.type ?? '',
    message: `attempt ${attempt}: ${summary.message ?? ''}`,
  };
  if (summary.text !== undefined) rerun.text = summary.text;
  return rerun;
}

function summariseOutcome(step: StepResult, redactor: Redactor | undefined): TestCaseSummary {
  const redact = (text: string): string => (redactor === undefined ? text : redactor.redact(text));
  // The status the step counts with (core's reportedStatus), an ignored problem keeping its own for the text.
  const status = reportedStatus(step.ignored === true ? { ...step, ignored: false } : step);
  const summary: TestCaseSummary = { name: redact(formatStepTitle(step)), durationMs: step.durationMs, status };
  if (status === 'error') {
    const error = step.error ?? { code: 'SORTIE_INTERNAL', title: 'Error', message: 'the step could not run' };
    return { ...summary, ...describeError(error, redact) };
  }
  if (status === 'failed') {
    const failed = step.assertions.filter((a) => !a.passed).map((a) => `${formatAssertionTitle(a)}: ${a.message ?? 'assertion failed'}`);
    const message =
      failed.length === 0 ? 'step failed' : failed.length === 1 ? (failed[0] ?? '') : `${failed.length} assertions failed: ${failed[0]}`;
    const lines = step.error === undefined ? failed : [...failed, formatError(step.error, { style: 'report' })];
    return { ...summary, type: ASSERTION_FAILURE_TYPE, message: redact(message), text: redact(lines.join('\n')) };
  }
  return summary;
}

/** Summarises a scenario run that could not run at all as one errored test case. */
export function summariseScenarioError(name: string, error: ErrorInfo, redactor: Redactor | undefined): TestCaseSummary {
  const redact = (text: string): string => (redactor === undefined ? text : redactor.redact(text));
  return { name: redact(name), durationMs: 0, status: 'error', ...describeError(error, redact) };
}

function describeError(error: ErrorInfo, redact: (text: string) => string): Pick<TestCaseSummary, 'type' | 'message' | 'text'> {
  return { type: redact(String(error.code)), message: redact(error.message), text: redact(formatError(error, { style: 'report' })) };
}

/** Formats milliseconds as seconds with 3 decimals, as JUnit `time` attributes expect. */
export function formatSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Renders a `<testcase>` element (indented for use inside a `<testsuite>`). */
export function renderTestCase(summary: TestCaseSummary, classname: string): string {
  const open = `    <testcase name="${escapeXmlAttribute(summary.name)}" classname="${escapeXmlAttribute(classname)}" time="${formatSeconds(summary.durationMs)}"`;
  if (summary.status === 'skipped') return `${open}>\n      <skipped/>\n    </testcase>\n`;
  if (summary.status === 'passed') {
    const flaky = renderReruns(summary.reruns, 'flaky');
    return flaky === '' ? `${open}/>\n` : `${open}>\n${flaky}    </testcase>\n`;
  }
  if (summary.ignored === true) {
    return `${open}>\n      <system-out>${escapeXmlText(`ignored (on-error: ignore): ${summary.text ?? summary.message ?? ''}`)}</system-out>\n    </testcase>\n`;
  }
  const element = summary.status === 'error' ? 'error' : 'failure';
  const attributes = `message="${escapeXmlAttribute(summary.message ?? '')}" type="${escapeXmlAttribute(summary.type ?? '')}"`;
  const reruns = renderReruns(summary.reruns, 'rerun');
  return `${open}>\n      <${element} ${attributes}>${escapeXmlText(summary.text ?? '')}</${element}>\n${reruns}    </testcase>\n`;
}

/** `<flakyFailure>` / `<flakyError>` (the step passed in the end) or `<rerunFailure>` / `<rerunError>` (it did not), one per failed attempt. */
function renderReruns(reruns: readonly RerunSummary[] | undefined, kind: 'flaky' | 'rerun'): string {
  let xml = '';
  for (const rerun of reruns ?? []) {
    const element = `${kind}${rerun.problem === 'error' ? 'Error' : 'Failure'}`;
    const attributes = `message="${escapeXmlAttribute(rerun.message)}" type="${escapeXmlAttribute(rerun.type)}"`;
    xml +=
      rerun.text === undefined
        ? `      <${element} ${attributes}/>\n`
        : `      <${element} ${attributes}>\n        <stackTrace>${escapeXmlText(rerun.text)}</stackTrace>\n      </${element}>\n`;
  }
  return xml;
}
