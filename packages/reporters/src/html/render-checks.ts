/** The non-HTTP part of a step's details: assertions, extracted variables, console output, DB operations, errors. */
import { type AssertionResult, countNoun, type DbRecord, type ErrorInfo, type ScriptLogRecord } from '@sortie/core';
import { formatDuration } from '../cli/format-duration.js';
import type { HtmlText } from './escape-html.js';
import { renderBody } from './render-body.js';

export function renderAssertions(assertions: AssertionResult[], text: HtmlText): string {
  if (assertions.length === 0) return '';
  const rows = assertions.map((a) => {
    const check =
      a.source === 'script'
        ? `${text.text(a.name ?? a.selector)} <small>(script test)</small>`
        : `${text.text(a.selector)} ${text.own(a.operator)}`;
    const named = a.name !== undefined && a.source !== 'script' ? `${text.text(a.name)}: ` : '';
    const [row, result] = a.skipped === true ? ['skip', '– skipped'] : a.passed ? ['ok', '✓ passed'] : ['ko', '✗ failed'];
    return (
      `<tr class="${row}"><td>${result}</td><td>${named}${check}</td>` +
      `<td><code>${text.value(a.expected)}</code></td><td><code>${text.value(a.actual)}</code></td><td>${text.text(a.message ?? '')}</td></tr>`
    );
  });
  return (
    '<section class="assertions"><h3>Assertions</h3><table><thead><tr><th>Result</th><th>Check</th><th>Expected</th><th>Actual</th><th>Message</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

export function renderExtracted(names: string[], text: HtmlText): string {
  if (names.length === 0) return '';
  return `<section class="extracted"><h3>Variables set</h3><p>${names.map((n) => `<code>${text.text(n)}</code>`).join(', ')}</p></section>`;
}

export function renderLogs(logs: ScriptLogRecord[], text: HtmlText): string {
  if (logs.length === 0) return '';
  const lines = logs.map(
    (l) =>
      `<li class="log-${l.level}"><span class="level">${l.level}</span>${l.script === undefined ? '' : ` <small>${text.text(l.script)}</small>`} <pre>${text.text(l.message)}</pre></li>`,
  );
  return `<section class="logs"><h3>Console</h3><ol>${lines.join('')}</ol></section>`;
}

export function renderDb(records: DbRecord[], text: HtmlText): string {
  if (records.length === 0) return '';
  const items = records.map((r) => {
    const counts = [
      r.rowCount === undefined ? '' : countNoun(r.rowCount, 'row'),
      r.affectedRows === undefined ? '' : `${r.affectedRows} affected`,
    ]
      .filter(Boolean)
      .join(', ');
    return (
      `<li><p><strong>${text.text(r.connection)}</strong> <code>${text.text(r.operation)}</code> ` +
      `<span class="dur">${formatDuration(r.durationMs)}</span>${counts === '' ? '' : ` — ${counts}`}</p>` +
      `${renderBody('Records', r.result, 0, text, 'application/json')}</li>`
    );
  });
  return `<section class="db"><h3>Database</h3><ol>${items.join('')}</ol></section>`;
}

/** An error as a paragraph: `Title: message`, its hint and where it was. */
export function renderError(error: ErrorInfo, text: HtmlText): string {
  const location = error.location;
  const at =
    location === undefined
      ? ''
      : `<br><small>at ${text.text(location.file)}${location.line === undefined ? '' : `:${location.line}`}${location.column === undefined ? '' : `:${location.column}`}${location.path === undefined ? '' : ` (${text.text(location.path)})`}</small>`;
  const hint = error.hint === undefined ? '' : `<br><small>hint: ${text.text(error.hint)}</small>`;
  return `<strong>${text.text(error.title)}</strong>: ${text.text(error.message)} <small>[${text.own(error.code)}]</small>${hint}${at}`;
}
