import { emptyTotals, type ScenarioResult, STEP_KINDS, type Step, type StepResult, type Totals, toErrorInfo } from '@sortie/core';
import type { ScenarioContext } from './context.js';
import { runDbStep } from './db-step.js';
import { runRequestStep } from './request-step.js';

/** Outcome of a scenario run, plus whether the run as a whole must stop (--bail). */
export interface ScenarioOutcome {
  result: ScenarioResult;
  bail: boolean;
}

/**
 * Runs the steps of one scenario in order, applying the on-error policy: `end` stops the scenario
 * (remaining steps are reported as skipped), `continue` goes on, `ignore` goes on and the step does
 * not fail the scenario.
 */
export async function runScenario(ctx: ScenarioContext, bail: boolean): Promise<ScenarioOutcome> {
  const scenario = ctx.scenario.value;
  const startedAt = Date.now();
  const started = performance.now();
  const totals = emptyTotals();
  ctx.emit({ type: 'scenario:start', name: scenario.name, file: ctx.scenario.file });
  let stopped = false;
  let stopRun = false;
  for (let index = 0; index < scenario.steps.length; index++) {
    const step = scenario.steps[index]!;
    const place = { id: String(index), name: stepName(step, index), path: [] as string[] };
    const kind = stepKind(step);
    ctx.emit({ type: 'step:start', id: place.id, name: place.name, kind, path: place.path, scenario: ctx.key });
    let result: StepResult;
    if (stopped || ctx.signal?.aborted) {
      result = skippedStep(place.id, place.name, kind, place.path);
    } else {
      if ('request' in step) result = await runRequestStep(step, place, ctx);
      else if ('db' in step) result = await runDbStep(step, place, ctx);
      else throw new Error(`step type ${kind} is not wired into the engine yet`);
      if (result.status === 'failed' || result.status === 'error') {
        const policy = ('onError' in step ? step.onError : undefined) ?? ctx.options.onError;
        if (policy === 'ignore') result.ignored = true;
        else if (policy === 'end') stopped = true;
        if (bail && policy !== 'ignore') {
          stopped = true;
          stopRun = true;
        }
      }
    }
    count(totals, result);
    ctx.emit({ type: 'step:end', scenario: ctx.key, result });
  }
  const result: ScenarioResult = {
    name: scenario.name,
    file: ctx.scenario.file,
    status: scenarioStatus(totals),
    startedAt,
    durationMs: performance.now() - started,
    totals,
  };
  ctx.emit({ type: 'scenario:end', result });
  return { result, bail: stopRun };
}

/** Name used in reports: the step's name, else `METHOD url` as written. */
export function stepName(step: Step, index: number): string {
  if (step.name !== undefined && step.name !== '') return step.name;
  if ('request' in step) return `${step.request.method} ${step.request.url}`;
  if ('db' in step) return `db ${step.db.connection}`;
  return `step ${index + 1}`;
}

/** The step type, as reports name it. */
export function stepKind(step: Step): string {
  return STEP_KINDS.find((kind) => kind in step) ?? 'step';
}

function skippedStep(id: string, name: string, kind: string, path: string[]): StepResult {
  return { id, name, kind, path, status: 'skipped', startedAt: Date.now(), durationMs: 0, assertions: [], extracted: [] };
}

/** Adds one leaf step into the totals. */
export function count(totals: Totals, result: StepResult): void {
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
  if (result.status === 'passed') totals.passed++;
  else if (result.status === 'failed') totals.failed++;
  else if (result.status === 'error') totals.errors++;
  else totals.skipped++;
}

function scenarioStatus(totals: Totals) {
  if (totals.errors > 0) return 'error' as const;
  if (totals.failed > 0) return 'failed' as const;
  return totals.passed > 0 || totals.steps === 0 ? ('passed' as const) : ('skipped' as const);
}

/** A scenario that could not start (e.g. its variables did not render). */
export function failedScenario(ctx: ScenarioContext, error: unknown): ScenarioResult {
  const totals = emptyTotals();
  return {
    name: ctx.scenario.value.name,
    file: ctx.scenario.file,
    status: 'error',
    startedAt: Date.now(),
    durationMs: 0,
    totals,
    error: ctx.redactor.redactValue(toErrorInfo(error)),
  };
}
