import type { StepResult, StepStatus, Totals } from '@sortie/core';
import { worstStatus } from '@sortie/core';
import type { StepPlace } from '../step-place.js';

/** Step kinds that hold other steps (`iteration` is one pass of a loop or forEach). */
export const CONTAINER_STEP_KINDS: ReadonlySet<string> = new Set(['group', 'if', 'loop', 'forEach', 'include', 'iteration']);

/** A step that did not run (the scenario ended, the run was interrupted or bailed). */
export function skippedStep(place: StepPlace, kind: string): StepResult {
  return {
    id: place.id,
    name: place.name,
    kind,
    path: place.path,
    status: 'skipped',
    startedAt: Date.now(),
    durationMs: 0,
    assertions: [],
    extracted: [],
  };
}

/** A new result for a step at `place`, passed until something says otherwise. */
export function startResult(place: StepPlace, kind: string): StepResult {
  return {
    id: place.id,
    name: place.name,
    kind,
    path: place.path,
    status: 'passed',
    startedAt: Date.now(),
    durationMs: 0,
    assertions: [],
    extracted: [],
  };
}

/**
 * What a container keeps of a child: the summary without request, response, database records,
 * attempts, logs or grandchildren. Full results go out in the child's own `step:end`; keeping only
 * this makes a loop of 10,000 iterations cost kilobytes, not the bodies of every response.
 */
export function lightenResult(result: StepResult): StepResult {
  const light: StepResult = {
    id: result.id,
    name: result.name,
    kind: result.kind,
    path: result.path,
    status: result.status,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    assertions: result.assertions.some((a) => !a.passed) ? result.assertions.filter((a) => !a.passed) : [],
    extracted: result.extracted,
  };
  if (result.error !== undefined) light.error = result.error;
  if (result.ignored === true) light.ignored = true;
  return light;
}

/** The status a container gets from its children: the worst one, where an ignored child counts as passed. */
export function childrenStatus(children: readonly StepResult[]): StepStatus {
  let status: StepStatus = 'passed';
  for (const child of children) status = worstStatus(status, child.ignored === true ? 'passed' : child.status);
  return status;
}

/** Whether a step has a problem of its own (an error, a failed assertion) rather than through its children. */
export function hasOwnProblem(result: StepResult): boolean {
  return result.error !== undefined || result.assertions.some((a) => !a.passed);
}

/**
 * Adds a step into the totals. Leaf steps count; a container counts as a step only when reports show
 * it as one (its own error or failed assertion, or no children and not passed, e.g. skipped); a
 * container's assertions always count.
 */
export function countStep(totals: Totals, result: StepResult): void {
  const container = CONTAINER_STEP_KINDS.has(result.kind);
  if (container && !(hasOwnProblem(result) || ((result.children ?? []).length === 0 && result.status !== 'passed'))) {
    for (const assertion of result.assertions) {
      totals.assertions++;
      if (!assertion.passed) totals.failedAssertions++;
    }
    return;
  }
  totals.steps++;
  if (result.kind === 'request' && result.request !== undefined) totals.requests++;
  for (const assertion of result.assertions) {
    totals.assertions++;
    if (!assertion.passed) totals.failedAssertions++;
  }
  if (result.ignored === true) {
    totals.passed++;
    return;
  }
  const status = container && !hasOwnProblem(result) ? result.status : ownStatus(result, container);
  if (status === 'passed') totals.passed++;
  else if (status === 'failed') totals.failed++;
  else if (status === 'error') totals.errors++;
  else totals.skipped++;
}

function ownStatus(result: StepResult, container: boolean): StepStatus {
  if (!container) return result.status;
  if (result.error !== undefined) return 'error';
  return 'failed';
}
