import type { AgentStatus } from '@sortie/agent';
import { countNoun } from '@sortie/core';
import { FINAL_RUN_STATUSES, type RunRecord } from '../../store/store.js';
import { formatDuration, formatTime, formatTrigger, runDuration, shortId } from '../format.js';
import { type Html, html, trusted } from '../html.js';
import { may, postButton, renderLayout, type Viewer } from './layout.js';
import { statusBadge } from './runs-page.js';

export interface RunPageData {
  version: string;
  viewer: Viewer;
  run: RunRecord;
  planName?: string;
  scheduleName?: string;
  /** The agents as listed when the page was made (undefined while Redis is away): an open run's page says what it waits for. */
  agents?: readonly Pick<AgentStatus, 'name' | 'pool' | 'state'>[];
  /** The agent's step view of the finished run (the HTML report's content), when it made one. */
  view?: string;
  now: number;
}

/** Option names a run page lists (values of variables are left out: they are the submitter's business). */
function describeOptions(options: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') {
      const names = Object.keys(value as object);
      if (names.length > 0) parts.push(`${key}: ${names.join(', ')}`);
    } else parts.push(`${key}: ${String(value)}`);
  }
  return parts.length === 0 ? '—' : parts.join(' · ');
}

function renderFacts(data: RunPageData): Html {
  const { run } = data;
  const c = run.counts;
  const rows: Array<[string, Html | string]> = [
    ['Status', statusBadge(run.status, true)],
    ['Plan', data.planName ?? 'unknown plan'],
    [
      'Trigger',
      // A run of a schedule deleted since says so, as the run list does (it read "Schedule" alone).
      html`${formatTrigger(run.trigger)}${
        data.scheduleName !== undefined
          ? html` · <a href="/schedules">${data.scheduleName}</a>`
          : run.scheduleId !== undefined
            ? html` <span class="muted">· deleted schedule</span>`
            : ''
      }`,
    ],
    ['Pool', run.pool],
    ['Agent', html`<span id="run-agent">${run.agent ?? '—'}</span>${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}`],
    ['Queued', formatTime(run.createdAt)],
    ['Started', html`<span id="run-started">${formatTime(run.startedAt)}</span>`],
    ['Ended', formatTime(run.endedAt)],
    // An open run's duration goes on in the page (it stood at its value when the page was served):
    // the script counts from `data-since` (the start, in the server's clock) with the server's `data-now`.
    [
      'Duration',
      FINAL_RUN_STATUSES.has(run.status)
        ? formatDuration(runDuration(run, data.now))
        : html`<span id="run-duration" data-now="${data.now}"${run.startedAt === undefined ? '' : html` data-since="${run.startedAt}"`}>${formatDuration(runDuration(run, data.now))}</span>`,
    ],
    [
      'Results',
      c === undefined
        ? '—'
        : `${countNoun(c.scenarios, 'scenario')}, ${countNoun(c.steps, 'step')} (${c.passed} passed, ${c.failed} failed, ${c.errored} errored, ${c.skipped} skipped), ${countNoun(c.requests, 'request')}`,
    ],
    ['Options', describeOptions(run.options)],
  ];
  if (run.message !== undefined) rows.push(['Message', html`<span class="message">${run.message}</span>`]);
  return html`<table class="facts"><tbody>${rows.map(([name, value]) => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`)}</tbody></table>`;
}

function renderDownloads(run: RunRecord): Html {
  if (run.reports.length === 0) return html``;
  return html`<p class="downloads">Reports: ${run.reports.map(
    (name, index) => html`${index > 0 ? ' · ' : ''}<a href="/runs/${run.id}/reports/${name}" download>${name}</a>`,
  )}</p>`;
}

/**
 * What an open run waits for, as `sortie run --remote` says it: no live agent serves its pool (a
 * mistyped pool, no agent started), its agents are all busy, or its agent is lost with none left to
 * take the run over. The page said "Waiting for an agent of pool nobody…" for ever.
 */
export function waitingNotice(run: RunRecord, agents: RunPageData['agents']): string | undefined {
  if (agents === undefined || FINAL_RUN_STATUSES.has(run.status)) return undefined;
  const serving = agents.filter((agent) => agent.pool === run.pool && agent.state !== 'lost');
  if (run.status === 'queued') {
    if (serving.length === 0)
      return `Waiting for an agent of pool ${run.pool}: no live agent serves it (start one with sortie agent --pool ${run.pool}).`;
    if (serving.every((agent) => agent.state === 'busy'))
      return `Waiting for an agent of pool ${run.pool}: its ${serving.length === 1 ? 'agent is' : `${serving.length} agents are`} busy.`;
    return undefined;
  }
  const own = agents.find((agent) => agent.name === run.agent);
  if (run.agent === undefined || (own !== undefined && own.state !== 'lost') || serving.length > 0) return undefined;
  return `Agent ${run.agent}, which runs it, is lost, and no live agent serves pool ${run.pool}: the server ends the run as lost once the agent's lock on it expires, unless one starts first and takes it over (sortie agent --pool ${run.pool}).`;
}

/** A run: its facts, its controls, and either its live progress (open) or its step view (finished). */
export function renderRunPage(data: RunPageData): string {
  const { run, viewer } = data;
  const open = !FINAL_RUN_STATUSES.has(run.status);
  const controls = open && may(viewer, 'submit') ? postButton(viewer, `/runs/${run.id}/cancel`, 'Cancel run', { className: 'danger' }) : '';
  const live = html`<section id="live" data-events="/runs/${run.id}/live">
<h2>Progress</h2>
<p class="live-state" role="status"><span id="live-current">${waitingNotice(run, data.agents) ?? `${run.status === 'queued' ? 'Waiting for an agent of pool ' : 'Running on pool '}${run.pool}…`}</span> <span id="live-counts"></span></p>
<ol class="steps live" id="live-steps"></ol>
<noscript><p>This page updates itself with JavaScript; reload it to see the progress.</p></noscript>
</section>`;
  const finished =
    data.view === undefined
      ? html`<section id="report"><p class="muted">No step view for this run${run.message === undefined ? '' : ' (see its message above)'}.</p></section>`
      : html`<section id="report" class="report">${trusted(data.view)}</section>`;
  // The page's one <main> and <h1>: the step view (the HTML report's fragment) brings neither.
  const body = html`<main class="run">
<h1>Run <code>${shortId(run.id)}</code> ${statusBadge(run.status, true)}</h1>
<p class="muted run-id">${run.id}</p>
<div class="controls">${controls}</div>
${renderFacts(data)}
${renderDownloads(run)}
${open ? live : finished}
</main>`;
  return renderLayout({
    title: `Run ${shortId(run.id)} — ${run.status}`,
    version: data.version,
    viewer,
    active: 'runs',
    body,
    styles: ['/assets/report.css'],
    scripts: open || data.view === undefined ? [] : ['/assets/report.js'],
  });
}
