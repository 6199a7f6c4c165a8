import type { RunRecord, ScheduleRecord } from '../../store/store.js';
import { formatTime, formatWhen, shortId } from '../format.js';
import { type Html, html } from '../html.js';
import { csrfField, may, postButton, renderLayout, type Viewer } from './layout.js';
import { statusBadge } from './runs-page.js';

export interface SchedulesPageData {
  version: string;
  viewer: Viewer;
  schedules: ScheduleRecord[];
  /** The latest run of each schedule. */
  lastRuns: ReadonlyMap<string, RunRecord>;
  /** When each active schedule fires next (ms since the epoch); empty while Redis is away. */
  nextRuns: ReadonlyMap<string, number>;
  /** Stored plans a new schedule may run (id → name). */
  plans: ReadonlyMap<string, string>;
  /** A refused creation: its message and what was typed, shown again. */
  error?: string;
  form?: Record<string, string>;
}

function renderControls(schedule: ScheduleRecord, viewer: Viewer): Html {
  const base = `/schedules/${schedule.id}`;
  return html`${may(viewer, 'submit') ? postButton(viewer, `${base}/run`, 'Run now') : ''}${
    may(viewer, 'admin')
      ? html`${schedule.paused ? postButton(viewer, `${base}/resume`, 'Resume') : postButton(viewer, `${base}/pause`, 'Pause')}${postButton(
          viewer,
          `${base}/delete`,
          'Delete',
          { className: 'danger', confirm: `Delete the schedule "${schedule.name}"?` },
        )}`
      : ''
  }`;
}

/** When it fires next, as the dashboard's other times; none while paused, unknown while Redis is away. */
function renderNextRun(schedule: ScheduleRecord, next: number | undefined): Html {
  if (schedule.paused) return html`<span class="muted">paused</span>`;
  if (next === undefined) return html`<span class="muted" title="Redis does not answer">unknown</span>`;
  return html`${formatTime(next)}`;
}

function renderCreateForm(data: SchedulesPageData): Html {
  const form = data.form ?? {};
  const plans = [...data.plans];
  return html`<section class="create">
<h2>New schedule</h2>
${data.error === undefined ? '' : html`<p class="error" role="alert">${data.error}</p>`}
<form method="post" action="/schedules" class="grid">${csrfField(data.viewer)}
<label>Name <input name="name" required value="${form.name ?? ''}"></label>
<label>Plan <select name="planId" required>${
    plans.length === 0
      ? html`<option value="">no stored plan yet: submit a run first</option>`
      : plans.map(([id, name]) => html`<option value="${id}"${form.planId === id ? ' selected' : ''}>${name} (${shortId(id)})</option>`)
  }</select></label>
<label>Cron <input name="cron" value="${form.cron ?? ''}" placeholder="*/15 * * * *"></label>
<label>or every <input name="everyMinutes" type="number" min="1" step="1" value="${form.everyMinutes ?? ''}" size="5"> minutes</label>
<label>Pool <input name="pool" value="${form.pool ?? 'default'}" size="12"></label>
<button type="submit">Create schedule</button>
</form>
</section>`;
}

export function renderSchedulesPage(data: SchedulesPageData): string {
  const { viewer } = data;
  const controls = may(viewer, 'submit');
  const rows = data.schedules.map((schedule) => {
    const last = data.lastRuns.get(schedule.id);
    return html`<tr data-schedule="${schedule.id}">
<td class="name">${schedule.name}</td>
<td class="name">${data.plans.get(schedule.planId) ?? shortId(schedule.planId)}</td>
<td><code>${formatWhen(schedule)}</code></td>
<td class="name">${schedule.pool}</td>
<td>${statusBadge(schedule.paused ? 'paused' : 'active')}</td>
<td>${renderNextRun(schedule, data.nextRuns.get(schedule.id))}</td>
<td>${last === undefined ? html`<span class="muted">never</span>` : html`<a href="/runs/${last.id}">${statusBadge(last.status)} ${formatTime(last.createdAt)}</a>`}</td>
${controls ? html`<td class="actions">${renderControls(schedule, viewer)}</td>` : ''}
</tr>`;
  });
  const body = html`<main>
<h1>Schedules</h1>
<table class="list">
<thead><tr><th>Name</th><th>Plan</th><th>When</th><th>Pool</th><th>State</th><th>Next run</th><th>Last run</th>${controls ? html`<th>Actions</th>` : ''}</tr></thead>
<tbody>
${rows.length === 0 ? html`<tr><td colspan="${controls ? 8 : 7}" class="empty">No schedule yet.</td></tr>` : rows}
</tbody>
</table>
${may(viewer, 'admin') ? renderCreateForm(data) : ''}
</main>`;
  return renderLayout({ title: 'Schedules', version: data.version, viewer, active: 'schedules', body });
}

/** A page for a refused or impossible request (403, 404). */
export function renderMessagePage(options: { version: string; viewer?: Viewer; title: string; message: string }): string {
  const body = html`<main><h1>${options.title}</h1><p>${options.message}</p><p><a href="/">Back to the runs</a></p></main>`;
  return renderLayout({ title: options.title, version: options.version, viewer: options.viewer, body });
}
