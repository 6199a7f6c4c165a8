/**
 * Step kinds and the counting rules every report shares: which step results are shown as a step of
 * their own (a line in the terminal, a JUnit test case, a step in the totals) and with which status.
 * The engine's totals, the CLI lines and JUnit's counts all go through these, so they agree.
 */
import type { StepKind, StepResult, StepStatus, Totals } from './results.js';

/** Step kinds that hold other steps. */
export const CONTAINER_STEP_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(['group', 'if', 'loop', 'forEach', 'include', 'iteration']);

/** Whether a step has a problem of its own (an error, a failed assertion) rather than through its children. */
export function hasOwnProblem(result: StepResult): boolean {
  return result.error !== undefined || result.assertions.some((a) => !a.passed);
}

/**
 * Whether a step result is shown as a step of its own. A leaf always is; a container only for a
 * problem of its own, or when nothing inside it was shown and it did not pass (e.g. skipped).
 * `reportedInside`: some step inside it was shown on its own (default: it has children).
 */
export function countsAsReportedStep(result: StepResult, reportedInside = (result.children?.length ?? 0) > 0): boolean {
  if (!CONTAINER_STEP_KINDS.has(result.kind)) return true;
  if (hasOwnProblem(result)) return true;
  return !reportedInside && result.status !== 'passed';
}

/**
 * The status a reported step counts with: an ignored problem (on-error `ignore`) as passed, a
 * container shown for its own problem with that problem's status (not its children's).
 */
export function reportedStatus(result: StepResult): StepStatus {
  if (result.ignored === true) return 'passed';
  if (!CONTAINER_STEP_KINDS.has(result.kind) || !hasOwnProblem(result)) return result.status;
  return result.error !== undefined ? 'error' : 'failed';
}

/**
 * Adds a step into the totals: its assertions always, the step itself when countsAsReportedStep
 * (with reportedStatus). A request counts when it was sent.
 */
export function countStep(totals: Totals, result: StepResult, reportedInside?: boolean): void {
  for (const assertion of result.assertions) {
    totals.assertions++;
    if (!assertion.passed) totals.failedAssertions++;
  }
  if (!countsAsReportedStep(result, reportedInside)) return;
  totals.steps++;
  if (result.flaky === true) totals.flaky = (totals.flaky ?? 0) + 1;
  if (result.kind === 'request' && result.request !== undefined) totals.requests++;
  const status = reportedStatus(result);
  if (status === 'passed') totals.passed++;
  else if (status === 'failed') totals.failed++;
  else if (status === 'error') totals.errors++;
  else totals.skipped++;
}
