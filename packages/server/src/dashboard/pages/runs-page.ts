import { countNoun } from '@sortie/core';
import type { RunRecord, RunStatus, RunTrigger } from '../../store/store.js';
import { formatDuration, formatTime, formatTrigger, runDuration, shortId } from '../format.js';
import { type Html, html } from '../html.js';
import { renderLayout, type Viewer } from './layout.js';

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'passed', 'failed', 'error', 'cancelled', 'interrupted'];
export const RUN_TRIGGERS: readonly RunTrigger[] = ['remote', 'api', 'schedule', 'dashboard'];
export const RUNS_PER_PAGE = 25;

/** The filter of the run list, as its query string has it. */
export interface RunFilter {
  status?: RunStatus;
  trigger?: RunTrigger;
  pool?: string;
  /** 1-based. */
  page: number;
}

export interface RunsPageData {
  version: string;
  viewer: Viewer;
  runs: RunRecord[];
  total: number;
  filter: RunFilter;
  /** Names of the plans and schedules the runs refer to. */
  planNames: ReadonlyMap<string, string>;
  scheduleNames: ReadonlyMap<string, string>;
  now: number;
}

/** A status as a badge; a `live` one is updated by the run page's script while the run goes on. */
export function statusBadge(status: string, live = false): Html {
  return html`<span class="badge st-${status}"${live ? html` data-live-status=""` : ''}>${status}</span>`;
}

/** The query string of a filter (what the filter form and the paging links use). */
export function filterQuery(filter: RunFilter, page = filter.page): string {
  const params = new URLSearchParams();
  if (filter.status !== undefined) params.set('status', filter.status);
  if (filter.trigger !== undefined) params.set('trigger', filter.trigger);
  if (filter.pool !== undefined) params.set('pool', filter.pool);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query === '' ? '/' : `/?${query}`;
}

function renderCounts(run: RunRecord): Html {
  const c = run.counts;
  if (c === undefined) return html`<span class="muted">—</span>`;
  return html`<span class="counts" title="${countNoun(c.scenarios, 'scenario')}, ${countNoun(c.steps, 'step')}, ${countNoun(c.requests, 'request')}">${countNoun(c.steps, 'step')}: <span class="n-passed">${c.passed} passed</span>${c.failed > 0 ? html`, <span class="n-failed">${c.failed} failed</span>` : ''}${c.errored > 0 ? html`, <span class="n-error">${c.errored} errored</span>` : ''}${c.skipped > 0 ? html`, ${c.skipped} skipped` : ''}</span>`;
}

function renderTrigger(run: RunRecord, scheduleNames: ReadonlyMap<string, string>): Html {
  const schedule = run.scheduleId === undefined ? undefined : (scheduleNames.get(run.scheduleId) ?? 'deleted schedule');
  return html`${formatTrigger(run.trigger)}${schedule === undefined ? '' : html` <span class="muted">· ${schedule}</span>`}`;
}

/** The table of runs (refreshed in place by the page script while runs are open). */
export function renderRunsTable(data: RunsPageData): Html {
  const { runs, filter, total } = data;
  const first = (filter.page - 1) * RUNS_PER_PAGE;
  const open = runs.some((run) => run.status === 'queued' || run.status === 'running');
  const rows = runs.map(
    (run) => html`<tr data-run="${run.id}" data-status="${run.status}">
<td><a href="/runs/${run.id}"><code>${shortId(run.id)}</code></a></td>
<td class="name">${data.planNames.get(run.planId) ?? 'unknown plan'}</td>
<td>${statusBadge(run.status)}</td>
<td class="name">${renderTrigger(run, data.scheduleNames)}</td>
<td class="name">${run.pool}</td>
<td class="name">${run.agent ?? html`<span class="muted">—</span>`}</td>
<td>${formatTime(run.startedAt ?? run.createdAt)}${run.startedAt === undefined ? html` <span class="muted">(queued)</span>` : ''}</td>
<td>${formatDuration(runDuration(run, data.now))}</td>
<td>${renderCounts(run)}</td>
</tr>`,
  );
  const pages = Math.max(1, Math.ceil(total / RUNS_PER_PAGE));
  // A page past the last (a bookmark from when there were more runs, runs deleted by the retention):
  // it says so and leads to the last page, not "Runs 2451–2450 of 29 · page 99 of 2" and a link to page 98.
  const past = filter.page > pages;
  const where = past
    ? `No runs on page ${filter.page}: ${total === 0 ? 'none match' : `${total === 1 ? '1 run' : `${total} runs`}, ${pages === 1 ? '1 page' : `${pages} pages`}`}`
    : total === 0
      ? `No runs · page ${filter.page} of ${pages}`
      : `Runs ${first + 1}–${first + runs.length} of ${total} · page ${filter.page} of ${pages}`;
  const paging = html`<nav class="paging" aria-label="Pages">${
    filter.page > 1
      ? html`<a rel="prev" href="${filterQuery(filter, Math.min(filter.page - 1, pages))}">${past ? `← Last page (${pages})` : '← Newer'}</a>`
      : html`<span class="muted">← Newer</span>`
  } <span class="where">${where}</span> ${
    filter.page < pages
      ? html`<a rel="next" href="${filterQuery(filter, filter.page + 1)}">Older →</a>`
      : html`<span class="muted">Older →</span>`
  }</nav>`;
  return html`<div id="runs" class="region"${open ? html` data-refresh-ms="2000"` : html` data-refresh-ms="10000"`}>
<table class="list">
<thead><tr><th>Run</th><th>Plan</th><th>Status</th><th>Trigger</th><th>Pool</th><th>Agent</th><th>Started</th><th>Duration</th><th>Results</th></tr></thead>
<tbody>
${rows.length === 0 ? html`<tr><td colspan="9" class="empty">No run matches.</td></tr>` : rows}
</tbody>
</table>
${paging}
</div>`;
}

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}"${selected ? ' selected' : ''}>${label}</option>`;
}

/** The run list with its filter form. */
export function renderRunsPage(data: RunsPageData): string {
  const { filter } = data;
  const body = html`<main>
<h1>Runs</h1>
<form class="filters" method="get" action="/" role="search">
<label>Status <select name="status">${option('', 'any', filter.status === undefined)}${RUN_STATUSES.map((s) => option(s, s, filter.status === s))}</select></label>
<label>Trigger <select name="trigger">${option('', 'any', filter.trigger === undefined)}${RUN_TRIGGERS.map((t) => option(t, formatTrigger(t), filter.trigger === t))}</select></label>
<label>Pool <input name="pool" value="${filter.pool ?? ''}" size="12" placeholder="any"></label>
<button type="submit">Filter</button>${filter.status !== undefined || filter.trigger !== undefined || filter.pool !== undefined ? html` <a href="/">Clear</a>` : ''}
</form>
${renderRunsTable(data)}
</main>`;
  return renderLayout({ title: 'Runs', version: data.version, viewer: data.viewer, active: 'runs', body });
}
