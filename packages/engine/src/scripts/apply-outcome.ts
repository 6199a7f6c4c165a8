import type { ScriptOutcome } from '@sortie/sandbox';
import type { ScenarioContext } from '../context.js';
import type { ProcessorState } from '../processor-state.js';

/**
 * Folds what a script did into the step: `pm.test` results become assertions like declarative
 * ones, console lines go to the step's logs, a changed request replaces the one to send, and
 * `skipRequest` / `setNextRequest` / the visualizer are kept. A script error makes the step an error.
 */
export function applyScriptOutcome(outcome: ScriptOutcome, scriptName: string, state: ProcessorState, ctx: ScenarioContext): void {
  for (const assertion of outcome.assertions) state.assertions.push(assertion);
  if (outcome.logs.length > 0) {
    state.logs ??= [];
    for (const log of outcome.logs) state.logs.push({ level: log.level, message: log.message, script: scriptName });
  }
  if (outcome.request !== undefined && state.request !== undefined && changed(state.request, outcome.request)) {
    state.request = outcome.request;
    state.requestChanged = true;
  }
  if (outcome.skipRequest) state.skip = true;
  if (outcome.nextRequest !== undefined) ctx.nextStep = outcome.nextRequest;
  if (outcome.visualizer !== undefined) state.visualizer = outcome.visualizer;
  if (outcome.error !== undefined) throw outcome.error;
}

function changed(a: NonNullable<ProcessorState['request']>, b: NonNullable<ProcessorState['request']>): boolean {
  return (
    a.method !== b.method ||
    a.url !== b.url ||
    a.body !== b.body ||
    JSON.stringify(a.headers) !== JSON.stringify(b.headers) ||
    JSON.stringify(a.form) !== JSON.stringify(b.form) ||
    JSON.stringify(a.graphql) !== JSON.stringify(b.graphql)
  );
}
