/** The one place run events are routed to reporters' hooks. */
import type { RunEvent } from '@sortie/core';
import type { Reporter } from './reporter.js';

/** Calls the hook of each reporter for `event`, in the order the reporters are given. */
export function dispatchEvent(reporters: readonly Reporter[], event: RunEvent): void {
  for (const reporter of reporters) {
    switch (event.type) {
      case 'run:start':
        reporter.onRunStart?.(event);
        break;
      case 'scenario:start':
        reporter.onScenarioStart?.(event);
        break;
      case 'step:start':
        reporter.onStepStart?.(event);
        break;
      case 'step:end':
        reporter.onStepEnd?.(event);
        break;
      case 'scenario:end':
        reporter.onScenarioEnd?.(event);
        break;
      case 'run:end':
        reporter.onRunEnd?.(event);
        break;
      case 'log':
        reporter.onLog?.(event);
        break;
      case 'token':
        reporter.onToken?.(event);
        break;
    }
  }
}

/** Closes every reporter (all of them, even when one fails); resolves with their failures, in reporter order. */
export async function closeReportersSettled(reporters: readonly Reporter[]): Promise<unknown[]> {
  const outcomes = await Promise.allSettled(reporters.map((reporter) => reporter.close?.()));
  return outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected').map((outcome) => outcome.reason);
}

/** Closes every reporter (all of them, even when one fails); rejects with the first failure. */
export async function closeReporters(reporters: readonly Reporter[]): Promise<void> {
  const failures = await closeReportersSettled(reporters);
  if (failures.length > 0) throw failures[0];
}
