/** The HTTP part of a step's details: request, response (headers, timings, redirects, body) and retry attempts. */
import type { AttemptRecord, HeaderList, RequestRecord, ResponseRecord, Timings } from '@sortie/core';
import { formatDuration } from '../cli/format-duration.js';
import type { HtmlText } from './escape-html.js';
import { renderBody } from './render-body.js';

export function renderRequest(request: RequestRecord, text: HtmlText): string {
  const contentType = findHeader(request.headers, 'content-type');
  return (
    `<section class="request"><h4>Request</h4><p><code>${text.text(request.method)} ${text.text(request.url)}</code></p>` +
    renderHeaders(request.headers, text) +
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
    `<section class="response"><h4>Response</h4><p><code>${version}${response.status} ${text.text(response.statusText)}</code></p>` +
    redirects +
    renderHeaders(response.headers, text) +
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
  return `<section class="attempts"><h4>Attempts</h4><table><thead><tr><th>#</th><th>Outcome</th><th>Duration</th><th>Waited before</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function renderHeaders(headers: HeaderList, text: HtmlText): string {
  if (headers.length === 0) return '';
  const rows = headers.map(([name, value]) => `<tr><th scope="row">${text.text(name)}</th><td>${text.text(value)}</td></tr>`);
  return `<table class="headers"><caption>Headers</caption><tbody>${rows.join('')}</tbody></table>`;
}

const TIMING_NAMES: Array<[keyof Timings, string]> = [
  ['dns', 'DNS'],
  ['connect', 'Connect'],
  ['tls', 'TLS'],
  ['firstByte', 'First byte'],
  ['download', 'Download'],
  ['total', 'Total'],
];

function renderTimings(timings: Timings): string {
  const cells = TIMING_NAMES.filter(([key]) => timings[key] !== undefined).map(
    ([key, label]) => `<tr><th scope="row">${label}</th><td>${formatMs(timings[key] as number)}</td></tr>`,
  );
  return `<table class="timings"><caption>Timings</caption><tbody>${cells.join('')}</tbody></table>`;
}

/** Milliseconds with two decimals below 10 ms (timings are often fractions of a millisecond). */
function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : formatDuration(ms);
}

function findHeader(headers: HeaderList, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}
