import type { StepResult, StepStatus } from '@sortie/core';

/** error when the step could not run, failed when an assertion failed, else passed. */
export function statusOf(result: StepResult): StepStatus {
  if (result.error !== undefined) return 'error';
  for (const assertion of result.assertions) if (!assertion.passed) return 'failed';
  return 'passed';
}
