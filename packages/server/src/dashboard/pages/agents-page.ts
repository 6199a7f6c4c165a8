import type { AgentStatus } from '@sortie/agent';
import { formatAge, formatTime } from '../format.js';
import { type Html, html } from '../html.js';
import { renderLayout, type Viewer } from './layout.js';
import { statusBadge } from './runs-page.js';

export interface AgentsPageData {
  version: string;
  viewer: Viewer;
  agents: AgentStatus[];
  now: number;
}

/** The table of agents (refreshed in place by the page script). */
export function renderAgentsTable(data: AgentsPageData): Html {
  const rows = data.agents.map(
    (agent) => html`<tr data-agent="${agent.name}" class="agent-${agent.state}">
<td class="name">${agent.name}</td>
<td>${statusBadge(agent.state)}</td>
<td class="name">${agent.pool}</td>
<td>${agent.version}</td>
<td>${agent.busy} / ${agent.concurrency}</td>
<td><span title="${formatTime(agent.lastSeen)}">${formatAge(agent.lastSeen, data.now)}</span></td>
<td>${formatTime(agent.startedAt)}</td>
</tr>`,
  );
  const pools = new Map<string, { live: number; slots: number; busy: number }>();
  for (const agent of data.agents) {
    const pool = pools.get(agent.pool) ?? { live: 0, slots: 0, busy: 0 };
    if (agent.state !== 'lost') {
      pool.live += 1;
      pool.slots += agent.concurrency;
      pool.busy += agent.busy;
    }
    pools.set(agent.pool, pool);
  }
  const summary = [...pools].map(
    ([name, pool]) =>
      html`<li><strong>${name}</strong>: ${pool.live} live agent${pool.live === 1 ? '' : 's'}, ${pool.busy} of ${pool.slots} slots busy</li>`,
  );
  return html`<div id="agents" class="region" data-refresh-ms="2000">
${summary.length === 0 ? '' : html`<ul class="pools">${summary}</ul>`}
<table class="list">
<thead><tr><th>Agent</th><th>State</th><th>Pool</th><th>Version</th><th>Busy / slots</th><th>Last seen</th><th>Started</th></tr></thead>
<tbody>
${rows.length === 0 ? html`<tr><td colspan="7" class="empty">No agent has registered. Start one with <code>sortie agent --redis redis://…</code>.</td></tr>` : rows}
</tbody>
</table>
</div>`;
}

export function renderAgentsPage(data: AgentsPageData): string {
  const body = html`<main>
<h1>Agents</h1>
<p class="muted">An agent that has not sent a heartbeat for 10 seconds is shown as lost; it goes from the list after a day.</p>
${renderAgentsTable(data)}
</main>`;
  return renderLayout({ title: 'Agents', version: data.version, viewer: data.viewer, active: 'agents', body });
}
