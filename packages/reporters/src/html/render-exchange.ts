/**
 * The HTTP part of a step's details: request, response (headers, timings, redirects, body) and retry
 * attempts. The start line and headers of a message are one `<pre>` in the message's own form
 * (RFC 9112 §2.1: start line, then `name: value` lines) — a table of them made half the nodes of a
 * report of thousands of steps, which Chromium took seconds to build.
 */
import type { AttemptRecord, HeaderList, RequestRecord, ResponseRecord, Timings } from '@sortie/core';
import { formatDuration } from '../cli/format-duration.js';
import type { HtmlText } from './escape-html.js';
import { renderBody } from './render-body.js';

export function renderRequest(request: RequestRecord, text: HtmlText): string {
  const contentType = findHeader(request.headers, 'content-type');
  return (
    `<section class="request"><h3>Request</h3>${renderHead(`${text.text(oneLine(request.method))} ${text.text(oneLine(request.url))}`, request.headers, text)}` +
    renderBody('Request body', request.body, request.bodySize, text, contentType) +
    '</section>'
  );
}

export function renderResponse(response: ResponseRecord, text: HtmlText): string {
  const contentType = findHeader(response.headers, 'content-type');
  const version = response.httpVersion === '' ? '' : `HTTP/${text.text(response.httpVersion)} `;
  const redirects =
    response.redirects === undefined || response.redirects.length === 0
      ? ''
      : `<p>Redirects:</p><ol class="redirects">${response.redirects.map((url) => `<li><code>${text.text(url)}</code></li>`).join('')}</ol>`;
  return (
    `<section class="response"><h3>Response</h3>${renderHead(`${version}${response.status} ${text.text(oneLine(response.statusText))}`, response.headers, text)}` +
    redirects +
    renderTimings(response.timings) +
    renderBody('Response body', response.body, response.bodySize, text, contentType) +
    '</section>'
  );
}

export function renderAttempts(attempts: AttemptRecord[], text: HtmlText): string {
  const rows = attempts.map((a) => {
    const outcome =
      a.error === undefined
        ? a.status === undefined
          ? ''
          : String(a.status)
        : `${text.text(a.error.title)}: ${text.text(a.error.message)}`;
    return `<tr><td>${a.attempt}</td><td>${outcome}</td><td>${formatDuration(a.durationMs)}</td><td>${formatDuration(a.delayMs)}</td></tr>`;
  });
  return `<section class="attempts"><h3>Attempts</h3><table><thead><tr><th>#</th><th>Outcome</th><th>Duration</th><th>Waited before</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** A message's start line (already page text) and its headers, one a line. */
function renderHead(startLine: string, headers: HeaderList, text: HtmlText): string {
  const lines = headers.map(([name, value]) => `\n${text.text(oneLine(name))}: ${text.text(oneLine(value))}`);
  return `<pre class="head">${startLine}${lines.join('')}</pre>`;
}

/** A line break inside a header name or value as `\r` / `\n`: shown raw, it would read as a header line of its own. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\u0085\u2028\u2029]/g, (char) =>
    char === '\r' ? '\\r' : char === '\n' ? '\\n' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const TIMING_NAMES: Array<[keyof Timings, string]> = [
  ['dns', 'DNS'],
  ['connect', 'Connect'],
  ['tls', 'TLS'],
  ['firstByte', 'First byte'],
  ['download', 'Download'],
  ['total', 'Total'],
];

/** The timings on one line: `Timings: First byte 13 ms · Download 0.09 ms · Total 13 ms`. */
function renderTimings(timings: Timings): string {
  const parts = TIMING_NAMES.filter(([key]) => timings[key] !== undefined).map(
    ([key, label]) => `${label} ${formatMs(timings[key] as number)}`,
  );
  return parts.length === 0 ? '' : `<p class="timings">Timings: ${parts.join(' · ')}</p>`;
}

/** Milliseconds with two decimals below 10 ms (timings are often fractions of a millisecond). */
function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : formatDuration(ms);
}

function findHeader(headers: HeaderList, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}
