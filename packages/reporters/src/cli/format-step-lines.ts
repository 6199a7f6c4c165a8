/**
 * The lines the CLI reporter prints for one leaf step: a status line (with the number of attempts
 * when a request was retried), failed and skipped assertions or the error under it, and with `verbose` the
 * passed assertions, the console lines of the step's scripts, the request and response, and what
 * each database operation ran and returned.
 */
import {
  type BodyPreview,
  formatError,
  type HeaderList,
  type Redactor,
  type ScriptLogRecord,
  type StepResult,
  type StepStatus,
} from '@sortie/core';
import { formatAssertionTitle, formatStepTitle } from '../shared/titles.js';
import { type Paint, sanitizeTerminalLine, sanitizeTerminalText } from './ansi.js';
import { formatDuration } from './format-duration.js';
import { formatBodyExcerpt, formatSourceExcerpt } from './format-failure-detail.js';

const DETAIL_INDENT = '      ';
/** Under a failed assertion's `✗ `. */
const EXCERPT_INDENT = `${DETAIL_INDENT}  `;

/** What formatting needs besides the step. */
export interface StepFormatContext {
  paint: Paint;
  verbose: boolean;
  redactor?: Redactor;
}

/** Returns the status symbol of a step, coloured. */
export function formatStatusSymbol(status: StepStatus, paint: Paint): string {
  switch (status) {
    case 'passed':
      return paint('green', '✓');
    case 'failed':
      return paint('red', '✗');
    case 'error':
      return paint('red', '!');
    default:
      return paint('yellow', '-');
  }
}

/** Longest URL the step line shows whole; the reports keep it whole. */
const MAX_URL_CHARACTERS = 500;

/** A URL past MAX_URL_CHARACTERS cut, saying how much was left out (a 300,000-character URL was one 300,000-character line). */
function shortenUrl(url: string): string {
  if (url.length <= MAX_URL_CHARACTERS) return url;
  return `${url.slice(0, MAX_URL_CHARACTERS)}… (${(url.length - MAX_URL_CHARACTERS).toLocaleString('en-US')} more characters)`;
}

/** Formats every line printed for a leaf step (without trailing newlines). */
export function formatStepLines(step: StepResult, context: StepFormatContext): string[] {
  const { paint } = context;
  let line = `  ${formatStatusSymbol(step.status, paint)} ${sanitizeTerminalLine(formatStepTitle(step))}`;
  if (step.request !== undefined) {
    line += `  ${sanitizeTerminalLine(step.request.method)} ${sanitizeTerminalLine(shortenUrl(step.request.url))}`;
    if (step.response !== undefined) line += ` → ${paintHttpStatus(step.response.status, paint)}`;
  }
  if (step.status !== 'skipped') line += ` ${paint('dim', `(${formatDuration(step.durationMs)})`)}`;
  const attempts = step.attempts?.length ?? 0;
  if (attempts > 1) line += ` ${paint('yellow', step.flaky === true ? `(${attempts} attempts, flaky)` : `(${attempts} attempts)`)}`;
  if (step.ignored === true) line += ` ${paint('yellow', '(ignored)')}`;
  const lines = [line];
  for (const assertion of step.assertions) {
    if (!assertion.passed) {
      const text = clean(`${formatAssertionTitle(assertion)}: ${assertion.message ?? 'assertion failed'}`);
      lines.push(...indentText(`${paint('red', '✗')} ${text}`, DETAIL_INDENT));
      if (assertion.location !== undefined)
        lines.push(...formatSourceExcerpt(assertion.location, paint, sanitizeTerminalLine).map((l) => EXCERPT_INDENT + l));
    } else if (assertion.skipped === true) {
      // Shown as Newman shows it, with or without --verbose: a test that did not run is worth knowing of.
      lines.push(
        ...indentText(`${paint('yellow', '-')} ${clean(formatAssertionTitle(assertion))} ${paint('dim', '(skipped)')}`, DETAIL_INDENT),
      );
    } else if (context.verbose) {
      lines.push(...indentText(`${paint('green', '✓')} ${clean(formatAssertionTitle(assertion))}`, DETAIL_INDENT));
    }
  }
  if (step.error !== undefined) {
    lines.push(...formatError(step.error, { style: 'step', paint, clean }).split('\n'));
    if (step.location !== undefined)
      lines.push(...formatSourceExcerpt(step.location, paint, sanitizeTerminalLine).map((l) => DETAIL_INDENT + l));
  }
  // The response that made the step fail (--verbose shows every body anyway).
  const failing = step.status === 'failed' || step.status === 'error';
  if (failing && !context.verbose && step.response?.body !== undefined) {
    lines.push(...formatBodyExcerpt(step.response.body, paint, sanitizeTerminalLine).map((l) => DETAIL_INDENT + l));
  }
  // Script console lines are printed as Newman prints them: always, under their step.
  for (const log of step.logs ?? []) lines.push(...formatScriptLog(log, paint));
  if (context.verbose) lines.push(...formatExchange(step, context));
  return lines;
}

/** A console line of a script: `[level] script: message`, multi-line messages kept under it. */
function formatScriptLog(log: ScriptLogRecord, paint: Paint): string[] {
  const style = log.level === 'error' ? 'red' : log.level === 'warn' ? 'yellow' : 'dim';
  const source = log.script === undefined ? '' : `${paint('dim', `${sanitizeTerminalLine(log.script)}:`)} `;
  return indentText(`${paint(style, `[${log.level}]`)} ${source}${clean(log.message)}`, DETAIL_INDENT);
}

function paintHttpStatus(status: number, paint: Paint): string {
  return paint(status >= 400 ? 'red' : status >= 300 ? 'yellow' : 'green', String(status));
}

/** Request and response headers and bodies, as `> ` / `< ` lines like curl's verbose output. */
function formatExchange(step: StepResult, context: StepFormatContext): string[] {
  const lines: string[] = [];
  const { request, response } = step;
  if (request !== undefined) {
    lines.push(`> ${request.method} ${request.url}`);
    lines.push(...formatHeaders('> ', request.headers, context.redactor));
    if (request.body !== undefined) lines.push('>', ...formatBody('> ', request.body));
  }
  if (response !== undefined) {
    for (const url of response.redirects ?? []) lines.push(`* redirected to ${url}`);
    lines.push(`< HTTP/${response.httpVersion} ${response.status} ${response.statusText}`.trimEnd());
    lines.push(...formatHeaders('< ', response.headers, context.redactor));
    if (response.body !== undefined) lines.push('<', ...formatBody('< ', response.body));
  }
  for (const record of step.db ?? []) {
    lines.push(`db ${record.connection}: ${record.operation}`);
    if (record.result !== undefined) lines.push(...formatBody('= ', record.result));
  }
  if (step.extracted.length > 0) lines.push(`* extracted: ${step.extracted.join(', ')}`);
  return lines.flatMap((line) => indentText(context.paint('dim', clean(line)), DETAIL_INDENT));
}

function formatHeaders(prefix: string, headers: HeaderList, redactor: Redactor | undefined): string[] {
  return headers.map(([name, value]) => `${prefix}${name}: ${redactor === undefined ? value : redactor.redactHeader(name, value)}`);
}

function formatBody(prefix: string, body: BodyPreview): string[] {
  if (body.encoding === 'base64') return [`${prefix}[binary body, ${body.size} bytes]`];
  const lines = body.text.split(/\r?\n/).map((line) => `${prefix}${line}`);
  if (body.truncated) lines.push(`${prefix}… (truncated, ${body.size} bytes in total)`);
  return lines;
}

/** Indents every line of a text (multi-line messages stay under their step). */
export function indentText(text: string, indent: string): string[] {
  return text.split('\n').map((line) => indent + line);
}

/** Text from a scenario or a response, made safe to print; line feeds are kept. */
function clean(text: string): string {
  return sanitizeTerminalText(text.replace(/\r\n/g, '\n'));
}
