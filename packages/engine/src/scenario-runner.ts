import { emptyTotals, type Scenario, type ScenarioResult, type StepStatus, type Totals, toErrorInfo } from '@sortie/core';
import type { ScenarioContext } from './context.js';
import type { FlowFrame } from './flow/flow-frame.js';
import { runSteps } from './flow/run-steps.js';
import { readScenarioAuth } from './flow/step-names.js';
import type { SourceFile } from './run-options.js';

/** Outcome of a scenario run, plus whether the run as a whole must stop (--bail). */
export interface ScenarioOutcome {
  result: ScenarioResult;
  bail: boolean;
}

/** What a scenario run shares with the rest of the run. */
export interface ScenarioRunOptions {
  /** --bail: the first failed or errored step stops the whole run (default false). */
  bail?: boolean;
  /** The included scenario file at an absolute path (validated with the run's inputs). */
  findInclude(file: string): SourceFile<Scenario>;
}

/**
 * Runs the steps of one scenario run (flow control included, see flow/run-steps.ts) between
 * scenario:start and scenario:end. The on-error policy decides after each failed step: `end` skips
 * the remaining steps (reported as skipped), `continue` goes on, `ignore` goes on and the step does
 * not fail the scenario, `break` leaves the innermost loop. The scenario was validated before the
 * run (`loadPlan` of @sortie/project); it is not checked again here.
 */
export async function runScenario(ctx: ScenarioContext, options: ScenarioRunOptions): Promise<ScenarioOutcome> {
  const scenario = ctx.scenario.value;
  const startedAt = Date.now();
  const started = performance.now();
  const totals = emptyTotals();
  ctx.emit(scenarioStart(ctx));
  const frame: FlowFrame = {
    ctx,
    totals,
    bail: options.bail ?? false,
    loopDepth: 0,
    includeDepth: 0,
    findInclude: options.findInclude,
    runSteps,
  };
  const auth = readScenarioAuth(scenario);
  const { signal } = await runSteps(scenario.steps, auth === undefined ? { path: [] } : { path: [], auth }, frame);
  const result: ScenarioResult = {
    name: scenario.name,
    file: ctx.scenario.file,
    status: scenarioStatus(totals),
    startedAt,
    durationMs: performance.now() - started,
    totals,
  };
  if (ctx.iteration !== undefined) result.iteration = ctx.iteration;
  ctx.emit({ type: 'scenario:end', result });
  return { result, bail: signal === 'bail' };
}

function scenarioStart(ctx: ScenarioContext) {
  const event = { type: 'scenario:start' as const, name: ctx.scenario.value.name, file: ctx.scenario.file };
  return ctx.iteration === undefined ? event : { ...event, iteration: ctx.iteration };
}

function scenarioStatus(totals: Totals): StepStatus {
  if (totals.errors > 0) return 'error';
  if (totals.failed > 0) return 'failed';
  return totals.passed > 0 || totals.steps === 0 ? 'passed' : 'skipped';
}

/** A scenario that could not start (e.g. its variables did not render). */
export function failedScenario(ctx: ScenarioContext, error: unknown): ScenarioResult {
  const result: ScenarioResult = {
    name: ctx.scenario.value.name,
    file: ctx.scenario.file,
    status: 'error',
    startedAt: Date.now(),
    durationMs: 0,
    totals: emptyTotals(),
    error: toErrorInfo(error),
  };
  if (ctx.iteration !== undefined) result.iteration = ctx.iteration;
  return result;
}
