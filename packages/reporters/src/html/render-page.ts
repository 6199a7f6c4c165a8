/**
 * The page around the steps: head (inline CSS), the run's summary with a chart of step statuses,
 * the list of scenario runs, one section per scenario run, and the inline script. The content is
 * plain HTML (headings, tables, `<details>`); styles and the script only enhance it, so the page
 * stays readable where a Content-Security-Policy blocks inline styles and scripts (Jenkins' default).
 *
 * Pure functions of results: the HTML reporter and the server's dashboard share them.
 */
import { countNoun, type RunResult, type RunStatus, type ScenarioResult, type StepStatus, type Totals } from '@sortie/core';
import { formatDuration } from '../cli/format-duration.js';
import type { AuthActivity } from '../json/auth-activity.js';
import { describeFlakyCounts, describeFlakyScenario, describeTeardown, formatScenarioTitle } from '../shared/titles.js';
import type { HtmlText } from './escape-html.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';
import { renderError } from './render-checks.js';
import type { ScenarioAnchors } from './scenario-anchors.js';

/** What the summary shows besides the run result. */
export interface RunSummaryInfo {
  /** Name of the environment the run used, when one was given. */
  environment?: string;
  /** Version of Sortie. */
  toolVersion?: string;
  /** What the auth-state manager did per profile (never a token). */
  auth?: AuthActivity[];
}

const STATUS_WORDS: Record<RunStatus, string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  error: 'ERROR',
  skipped: 'SKIPPED',
  interrupted: 'INTERRUPTED',
};

/** The run's status word: CANCELLED for a run cancelled on a server (as the CLI summary says it), else the status's. */
function runStatusWord(run: RunResult): string {
  return run.status === 'interrupted' && run.cancelled === true ? 'CANCELLED' : STATUS_WORDS[run.status];
}

/** The page up to its body. `title` is the tool's own words (the run status): escaped, never redacted. */
export function renderPageHead(title: string, text: HtmlText): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="generator" content="sortie">\n' +
    `<title>${text.own(title)}</title>\n<style>${PAGE_STYLE}</style>\n</head>\n<body>\n`
  );
}

/**
 * The header, summary table, status chart, auth activity, list of scenario runs and the (hidden until the script runs) filters.
 * A `fragment` (the dashboard's step view) is content inside a page that has its own `<h1>` and
 * `<main>`: it has no header of its own (its tool line goes into the summary) and its scenarios are
 * in a `<div>`, so the page keeps one level-1 heading and one main landmark.
 */
export function renderSummary(run: RunResult, info: RunSummaryInfo, text: HtmlText, anchors: ScenarioAnchors, fragment = false): string {
  const { totals } = run;
  // Project hooks are listed with the scenario runs, but are not counted as scenarios (they have their own row).
  const counted = run.scenarios.filter((s) => s.hook === undefined);
  const scenarios = countStatuses(counted);
  const iterations = run.scenarios.reduce((max, s) => (s.iteration === undefined ? max : Math.max(max, s.iteration + 1)), 0);
  const rows: Array<[string, string]> = [
    ['Status', `<strong class="st-${run.status}">${runStatusWord(run)}</strong>`],
    [
      'Scenarios',
      `${counted.length} (${scenarios.passed} passed, ${scenarios.failed} failed, ${scenarios.error} errored, ${scenarios.skipped} skipped)`,
    ],
    ['Steps', `${totals.steps} (${totals.passed} passed, ${totals.failed} failed, ${totals.errors} errored, ${totals.skipped} skipped)`],
    ...lifecycleRows(run),
    ['Requests', String(totals.requests)],
    ['Assertions', `${totals.assertions} (${totals.failedAssertions} failed)`],
    ['Duration', formatDuration(run.durationMs)],
    ['Started', new Date(run.startedAt).toISOString()],
    ['Environment', info.environment === undefined ? '—' : text.text(info.environment)],
    ['Iterations', iterations === 0 ? '—' : String(iterations)],
  ];
  const table = rows.map(([name, value]) => `<tr><th scope="row">${name}</th><td>${value}</td></tr>`).join('\n');
  const tool = `<p class="tool">sortie ${text.text(info.toolVersion ?? 'unknown')}</p>`;
  return (
    (fragment ? '' : `<header><h1>Sortie report <span class="st-${run.status}">${runStatusWord(run)}</span></h1>${tool}</header>\n`) +
    `<section id="summary"><h2>Summary</h2>\n${fragment ? tool : ''}<table class="summary"><tbody>\n${table}\n</tbody></table>\n${renderStatusChart(totals)}\n` +
    `${renderAuth(info.auth ?? [], text)}</section>\n` +
    renderScenarioIndex(run.scenarios, text, anchors) +
    renderFilters(fragment)
  );
}

/**
 * A bar of step statuses as SVG. Widths and colours are attributes, not styles: a policy that
 * blocks inline styles still draws it.
 */
export function renderStatusChart(totals: Totals): string {
  const parts: Array<[string, number, string]> = [
    ['passed', totals.passed, '#2e7d32'],
    ['failed', totals.failed, '#c62828'],
    ['errored', totals.errors, '#ef6c00'],
    ['skipped', totals.skipped, '#9e9e9e'],
  ];
  const all = parts.reduce((sum, [, n]) => sum + n, 0);
  let x = 0;
  const rects = parts
    .filter(([, n]) => n > 0)
    .map(([label, n, colour]) => {
      const width = (n / all) * 600;
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="20" fill="${colour}"><title>${n} ${label}</title></rect>`;
      x += width;
      return rect;
    });
  const legend = parts.map(([label, n]) => `${n} ${label}`).join(', ');
  return (
    `<figure class="chart"><svg role="img" aria-label="Steps: ${legend}" width="600" height="20" viewBox="0 0 600 20">` +
    `${all === 0 ? '<rect x="0" y="0" width="600" height="20" fill="#e0e0e0"/>' : rects.join('')}</svg>` +
    `<figcaption>Steps: ${legend}</figcaption></figure>`
  );
}

function renderAuth(auth: AuthActivity[], text: HtmlText): string {
  if (auth.length === 0) return '';
  const rows = auth.map(
    (a) =>
      `<tr><td>${text.text(a.profile)}</td><td>${text.text(a.grant ?? '')}</td><td>${a.obtained}</td><td>${a.refreshed}</td><td>${a.reused}</td><td>${a.failed}</td><td>${text.text(a.lastError ?? '')}</td></tr>`,
  );
  return (
    '<h3>Auth</h3><table class="auth"><thead><tr><th>Profile</th><th>Grant</th><th>Obtained</th><th>Refreshed</th><th>Reused</th><th>Failed</th><th>Last error</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function renderScenarioIndex(scenarios: ScenarioResult[], text: HtmlText, anchors: ScenarioAnchors): string {
  const rows = scenarios.map(
    (s) =>
      `<tr class="st-${s.status}"><td><a href="#${text.text(anchors.of(s))}">${text.text(formatScenarioTitle(s))}</a></td><td>${STATUS_WORDS[s.status]}</td>` +
      `<td>${s.totals.steps}</td><td>${s.totals.failed + s.totals.errors}</td><td>${formatDuration(s.durationMs)}</td></tr>`,
  );
  return (
    '<nav id="index" aria-labelledby="index-title"><h2 id="index-title">Scenarios</h2><table><thead><tr><th>Scenario</th><th>Status</th><th>Steps</th><th>Failed or errored</th><th>Duration</th></tr></thead>' +
    `<tbody>\n${rows.join('\n')}\n</tbody></table></nav>\n`
  );
}

function renderFilters(fragment: boolean): string {
  return (
    '<form id="filters" hidden role="search">' +
    '<label><input type="checkbox" name="failed"> Failed only</label> ' +
    '<label>Scenario <select name="scenario"><option value="">All scenarios</option></select></label> ' +
    '<label>Search <input type="search" name="q" placeholder="name, URL, body…"></label> ' +
    '<button type="button" name="expand">Expand all</button> <button type="button" name="collapse">Collapse all</button> ' +
    '<output name="shown"></output></form>\n' +
    (fragment ? '<div id="scenarios">\n' : '<main id="scenarios">\n')
  );
}

/** The start of a scenario run's section, up to the opening of its steps' list. */
export function renderScenarioHead(scenario: ScenarioResult, text: HtmlText, open: boolean, anchors: ScenarioAnchors): string {
  const title = formatScenarioTitle(scenario);
  const t = scenario.totals;
  const meta =
    `<code>${text.text(scenario.file)}</code>${scenario.iteration === undefined ? '' : ` · iteration ${scenario.iteration}`} · ` +
    `${countNoun(t.steps, 'step')} (${t.passed} passed, ${t.failed} failed, ${t.errors} errored, ${t.skipped} skipped) · ` +
    `${countNoun(t.requests, 'request')} · ${countNoun(t.assertions, 'assertion')} (${t.failedAssertions} failed) · ${formatDuration(scenario.durationMs)}`;
  const problem = scenario.status === 'failed' || scenario.status === 'error';
  const error = scenario.error === undefined ? '' : `<ul class="problems"><li class="error">${renderError(scenario.error, text)}</li></ul>`;
  const notes = renderScenarioNotes(scenario);
  return (
    `<section class="scenario st-${scenario.status}" id="${text.text(anchors.of(scenario))}" data-status="${scenario.status}" data-title="${text.text(title)}"${problem ? ' data-problem=""' : ''}>\n` +
    `<details${open ? ' open' : ''}><summary><h2><span class="st">${STATUS_WORDS[scenario.status]}</span> ${text.text(title)}</h2></summary>\n` +
    `<p class="meta">${meta}</p>${error}${notes}\n<ol class="steps">\n`
  );
}

export function renderScenarioTail(): string {
  return '</ol></details></section>\n';
}

/** The end of the content without the page around it (the `fragment` option of the HTML reporter). */
export function renderFragmentFoot(): string {
  return '</div>\n';
}

export function renderPageFoot(): string {
  return `</main>\n<script>${PAGE_SCRIPT}</script>\n</body>\n</html>\n`;
}

/** Summary rows for hooks, teardowns and flakiness, each only when the run has any. */
function lifecycleRows(run: RunResult): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  // --timeout stops a run as Ctrl-C does: the status alone (INTERRUPTED) did not say which.
  if (run.timedOut === true) rows.push(['Stopped by', "the run's time limit (--timeout)"]);
  if (run.cancelled === true) rows.push(['Stopped by', 'a cancel (sortie run --remote interrupted, or the server cancelled the run)']);
  const hooks = run.scenarios.filter((s) => s.hook !== undefined);
  if (hooks.length > 0) rows.push(['Hooks', hooks.map((h) => `${h.hook} ${h.notRun === undefined ? h.status : 'not run'}`).join(', ')]);
  const teardowns = run.scenarios.filter((s) => s.teardown !== undefined);
  if (teardowns.length > 0) {
    const failed = teardowns.filter((s) => s.teardown === 'failed' || s.teardown === 'error').length;
    rows.push(['Teardowns', `${teardowns.length} (${failed} failed)`]);
  }
  const flakySteps = run.totals.flaky ?? 0;
  const flakyScenarios = run.scenarios.filter((s) => s.flaky === true).length;
  if (flakySteps > 0 || flakyScenarios > 0) {
    const note = run.failOnFlaky === true ? ' — counted as failures (--fail-on-flaky)' : '';
    rows.push(['Flaky', `${describeFlakyCounts(flakySteps, flakyScenarios)}${note}`]);
  }
  return rows;
}

/** Under a scenario's meta line: its teardown's failure, and how --retry-failed went. */
function renderScenarioNotes(scenario: ScenarioResult): string {
  const notes: string[] = [];
  if (scenario.hook !== undefined) notes.push(`<li>project hook: ${scenario.hook}</li>`);
  if (scenario.teardown === 'failed' || scenario.teardown === 'error')
    notes.push(`<li class="ko">${describeTeardown(scenario.teardown)}</li>`);
  if (scenario.flaky === true && scenario.attempts !== undefined)
    notes.push(`<li class="flaky">${describeFlakyScenario(scenario.attempts)}</li>`);
  else if (scenario.attempts !== undefined)
    notes.push(`<li class="ko">failed on each of ${scenario.attempts.length + 1} attempts (--retry-failed)</li>`);
  return notes.length === 0 ? '' : `<ul class="notes">${notes.join('')}</ul>`;
}

function countStatuses(scenarios: ScenarioResult[]): Record<StepStatus, number> {
  const counts: Record<StepStatus, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const s of scenarios) counts[s.status] += 1;
  return counts;
}
