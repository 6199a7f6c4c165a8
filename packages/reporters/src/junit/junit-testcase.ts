/**
 * One JUnit `<testcase>`: the small summary kept per leaf step (never bodies) and its XML.
 * A failed assertion is a `<failure>`, a step that could not run an `<error>`.
 */
import { type ErrorInfo, formatError, type Redactor, reportedStatus, type StepResult } from '@sortie/core';
import { formatStepTitle } from '../shared/titles.js';
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
}

/** Summarises a leaf step, redacting every string it keeps. */
export function summariseStep(step: StepResult, redactor: Redactor | undefined): TestCaseSummary {
  const summary = summariseOutcome(step, redactor);
  return step.ignored === true && (summary.status === 'failed' || summary.status === 'error') ? { ...summary, ignored: true } : summary;
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
    const failed = step.assertions.filter((a) => !a.passed).map((a) => `${a.selector} ${a.operator}: ${a.message ?? 'assertion failed'}`);
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
  if (summary.status === 'passed') return `${open}/>\n`;
  if (summary.ignored === true) {
    return `${open}>\n      <system-out>${escapeXmlText(`ignored (on-error: ignore): ${summary.text ?? summary.message ?? ''}`)}</system-out>\n    </testcase>\n`;
  }
  const element = summary.status === 'error' ? 'error' : 'failure';
  const attributes = `message="${escapeXmlAttribute(summary.message ?? '')}" type="${escapeXmlAttribute(summary.type ?? '')}"`;
  return `${open}>\n      <${element} ${attributes}>${escapeXmlText(summary.text ?? '')}</${element}>\n    </testcase>\n`;
}
