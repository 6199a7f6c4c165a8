/** The summary the CLI reporter prints when the run ends. */
import { countNoun, type RunResult } from '@sortie/core';
import { BAIL_NOTE } from '../shared/titles.js';
import type { Paint } from './ansi.js';
import { formatDuration } from './format-duration.js';
import { countScenarios, formatLifecycleSummary } from './format-lifecycle.js';

/**
 * Formats the run summary: scenarios, requests, assertions, steps and duration, one per line, then
 * the verdict (PASSED, FAILED, INTERRUPTED, or CANCELLED for a run cancelled on a server). `cutShort`: how many scenario runs ended as passed
 * with steps left unrun (see isCutShort); in an interrupted run they are counted as interrupted.
 */
export function formatSummaryLines(run: RunResult, paint: Paint, cutShort = 0): string[] {
  const count = countScenarios(run, cutShort);
  const bad = (n: number, text: string): string => (n > 0 ? paint('red', text) : text);
  const { totals } = run;
  const verdict =
    run.status === 'passed' || run.status === 'skipped'
      ? paint('green', paint('bold', 'PASSED'))
      : paint('red', paint('bold', run.status !== 'interrupted' ? 'FAILED' : run.cancelled === true ? 'CANCELLED' : 'INTERRUPTED'));
  return [
    `${paint('bold', 'Scenarios')}   ${paint('green', `${count.passed} passed`)}, ${bad(count.failed, `${count.failed} failed`)}, ${bad(count.error, `${count.error} errored`)}, ${count.interrupted > 0 ? `${paint('yellow', `${count.interrupted} interrupted`)}, ` : ''}${count.skipped} skipped`,
    `${paint('bold', 'Requests')}    ${totals.requests}`,
    `${paint('bold', 'Assertions')}  ${totals.assertions} (${bad(totals.failedAssertions, `${totals.failedAssertions} failed`)})`,
    `${paint('bold', 'Steps')}       ${totals.steps} (${bad(totals.failed, `${totals.failed} failed`)}, ${bad(totals.errors, countNoun(totals.errors, 'error'))}, ${totals.skipped} skipped)`,
    ...formatLifecycleSummary(run, paint),
    `${paint('bold', 'Duration')}    ${formatDuration(run.durationMs)}`,
    ...(run.bailed === true ? [paint('yellow', `The run ${BAIL_NOTE}.`)] : []),
    verdict,
  ];
}
