/**
 * One step as HTML: a list item holding a `<details>` whose summary is the step's line (status,
 * name, request, response status, duration, a link to the step) and whose content is everything
 * the step recorded. Failed assertions and errors are written outside the `<details>`, so they show
 * without a click, without JavaScript and without CSS. A container's children are an `<ol>` inside
 * its `<details>`, open unless it passed and holds many steps.
 *
 * Pure functions of a StepResult: the HTML reporter and the server's dashboard share them.
 */
import { CONTAINER_STEP_KINDS, type StepResult } from '@sortie/core';
import { formatDuration } from '../cli/format-duration.js';
import type { HtmlText } from './escape-html.js';
import { renderAssertions, renderDb, renderError, renderExtracted, renderLogs } from './render-checks.js';
import { renderAttempts, renderRequest, renderResponse } from './render-exchange.js';
import type { StepAnchors } from './step-anchors.js';

/** What rendering a step needs besides the step. */
export interface StepRenderContext {
  text: HtmlText;
  /** The scenario run's step anchors (element ids), e.g. `s-users-json.2`. */
  anchors: StepAnchors;
}

/** A passed container with more steps inside than this starts collapsed. */
export const COLLAPSE_ABOVE = 50;

const STATUS_LABELS: Record<StepResult['status'], string> = {
  passed: '✓ passed',
  failed: '✗ failed',
  error: '! error',
  skipped: '– skipped',
};

/**
 * A list of steps is cut into lists of this many: `</ol><ol class="steps" start="51">` after every
 * 50th step. The stylesheet gives each list after the first `content-visibility:auto`, so the
 * browser lays out, paints and observes one box per 50 steps away from the viewport — with one per
 * step, a page of 10,000 steps spent more time tracking them than showing them.
 */
export const STEPS_PER_LIST = 50;

/** What goes before the step at `index` (0-based) of a list: the cut to a new list every STEPS_PER_LIST steps. */
export function renderListBreak(index: number): string {
  return index > 0 && index % STEPS_PER_LIST === 0 ? `</ol><ol class="steps" start="${index + 1}">\n` : '';
}

/** Whether a step kind holds other steps. */
export function isContainer(step: Pick<StepResult, 'kind'>): boolean {
  return CONTAINER_STEP_KINDS.has(step.kind);
}

/** A leaf step: one complete `<li>`. */
export function renderLeafStep(step: StepResult, context: StepRenderContext): string {
  const { text } = context;
  const anchor = context.anchors.end(step.id, step.kind);
  const details =
    (step.request === undefined ? '' : renderRequest(step.request, text)) +
    (step.response === undefined ? '' : renderResponse(step.response, text)) +
    (step.attempts === undefined || step.attempts.length === 0 ? '' : renderAttempts(step.attempts, text)) +
    renderAssertions(step.assertions, text) +
    renderExtracted(step.extracted, text) +
    renderDb(step.db ?? [], text) +
    renderLogs(step.logs ?? [], text);
  const body = details === '' ? '<p class="empty">Nothing recorded.</p>' : details;
  return `${openItem(step, anchor, context, 'leaf')}<details><summary>${renderLine(step, anchor, context)}</summary><div class="detail">${body}</div></details>${renderProblems(step, context)}</li>\n`;
}

/**
 * The start of a container: its `<li>`, its line and own problems, and the opening of its children's
 * list. Its anchor stays open for its children: `context.anchors.end` it after them.
 */
export function renderContainerHead(step: StepResult, context: StepRenderContext, open: boolean): string {
  const anchor = context.anchors.start(step.id, step.kind);
  const own =
    renderAssertions(step.assertions, context.text) +
    renderExtracted(step.extracted, context.text) +
    renderLogs(step.logs ?? [], context.text);
  return `${openItem(step, anchor, context, 'container')}<details${open ? ' open' : ''}><summary>${renderLine(step, anchor, context)}</summary>${renderProblems(step, context)}${own === '' ? '' : `<div class="detail">${own}</div>`}<ol class="steps">\n`;
}

/** The end of a container (after its children). */
export function renderContainerTail(childCount: number): string {
  return `${childCount === 0 ? '<li class="empty">No steps ran.</li>' : ''}</ol></details></li>\n`;
}

/** A step with its nested children (a result that carries them), rendered whole. */
export function renderStepTree(step: StepResult, context: StepRenderContext): string {
  if (!isContainer(step)) return renderLeafStep(step, context);
  const children = step.children ?? [];
  const open = step.status === 'failed' || step.status === 'error' || countSteps(children) <= COLLAPSE_ABOVE;
  const head = renderContainerHead(step, context, open);
  const body = children.map((child, index) => renderListBreak(index) + renderStepTree(child, context)).join('');
  context.anchors.end(step.id, step.kind);
  return head + body + renderContainerTail(children.length);
}

function countSteps(steps: StepResult[]): number {
  let count = 0;
  for (const step of steps) count += 1 + countSteps(step.children ?? []);
  return count;
}

/** Whether the step has a problem of its own (not only one of its children's). */
export function hasOwnProblem(step: StepResult): boolean {
  return step.error !== undefined || step.assertions.some((a) => !a.passed);
}

function openItem(step: StepResult, anchor: string, context: StepRenderContext, shape: 'leaf' | 'container'): string {
  const problem = shape === 'leaf' ? step.status === 'failed' || step.status === 'error' : hasOwnProblem(step);
  const { text } = context;
  const classes = `${step.ignored === true ? ' ignored' : ''}${step.phase === undefined ? '' : ` phase-${step.phase}`}${step.flaky === true ? ' flaky' : ''}`;
  return `<li class="step ${shape} st-${step.status}${classes}" id="${text.text(anchor)}" data-status="${step.status}" data-kind="${text.own(step.kind)}"${problem ? ' data-problem=""' : ''}>`;
}

/** The step's one-line summary. */
function renderLine(step: StepResult, anchor: string, context: StepRenderContext): string {
  const { text } = context;
  const parts = [`<span class="st">${STATUS_LABELS[step.status]}</span>`];
  // A step of a setup or teardown says so: the test's outcome is told apart from them.
  if (step.phase !== undefined) parts.push(`<span class="phase">${step.phase}</span>`);
  if (step.kind !== 'request') parts.push(`<span class="kind">${text.own(step.kind)}</span>`);
  parts.push(`<span class="name">${text.text(step.name)}</span>`);
  if (step.request !== undefined) parts.push(`<code class="req">${text.text(step.request.method)} ${text.text(step.request.url)}</code>`);
  if (step.response !== undefined) parts.push(`<span class="code">→ ${step.response.status}</span>`);
  parts.push(`<span class="dur">${formatDuration(step.durationMs)}</span>`);
  if (step.ignored === true) parts.push('<span class="ign">(ignored)</span>');
  if (step.flaky === true) {
    const attempts = step.attempts?.length ?? 0;
    parts.push(`<span class="flaky" title="passed only on a retry">flaky · passed on attempt ${attempts}</span>`);
  }
  parts.push(`<a class="anchor" href="#${text.text(anchor)}" title="Link to this step">#</a>`);
  return parts.join(' ');
}

/** Failed assertions and the error, always visible. */
function renderProblems(step: StepResult, context: StepRenderContext): string {
  const { text } = context;
  const items = step.assertions
    .filter((a) => !a.passed)
    .map((a) => {
      const what = a.source === 'script' ? text.text(a.name ?? a.selector) : `${text.text(a.selector)} ${text.own(a.operator)}`;
      return `<li class="failure">✗ ${what}: ${text.text(a.message ?? 'failed')}</li>`;
    });
  if (step.error !== undefined) items.push(`<li class="error">${renderError(step.error, text)}</li>`);
  return items.length === 0 ? '' : `<ul class="problems">${items.join('')}</ul>`;
}
