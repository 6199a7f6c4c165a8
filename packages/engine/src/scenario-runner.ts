import {
  ErrorCode,
  emptyTotals,
  type Scenario,
  type ScenarioResult,
  SortieError,
  type StepStatus,
  type Totals,
  toErrorInfo,
} from '@sortie/core';
import type { ScenarioContext } from './context.js';
import type { FlowFrame } from './flow/flow-frame.js';
import { lintScenario } from './flow/lint-scenario.js';
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
  /** Loads an included scenario file (by absolute path), once per run. */
  loadInclude(file: string): Promise<SourceFile<Scenario>>;
}

/**
 * Runs the steps of one scenario run (flow control included, see flow/run-steps.ts) between
 * scenario:start and scenario:end. The on-error policy decides after each failed step: `end` skips
 * the remaining steps (reported as skipped), `continue` goes on, `ignore` goes on and the step does
 * not fail the scenario, `break` leaves the innermost loop. A scenario that fails the load-time
 * checks (lintScenario) does not run: it ends as an error.
 */
export async function runScenario(ctx: ScenarioContext, options: ScenarioRunOptions): Promise<ScenarioOutcome> {
  const scenario = ctx.scenario.value;
  const problems = lintOnce(scenario);
  if (problems !== undefined) {
    const result = failedScenario(ctx, problems);
    ctx.emit(scenarioStart(ctx));
    ctx.emit({ type: 'scenario:end', result });
    return { result, bail: options.bail ?? false };
  }
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
    loadInclude: options.loadInclude,
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

const lintCache = new WeakMap<Scenario, SortieError | null>();

/** Lints a scenario once however many iterations run it. */
function lintOnce(scenario: Scenario): SortieError | undefined {
  let cached = lintCache.get(scenario);
  if (cached === undefined) {
    const problems = lintScenario(scenario);
    cached =
      problems.length === 0
        ? null
        : new SortieError(
            ErrorCode.INVALID_INPUT,
            'Invalid scenario',
            problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; '),
          );
    lintCache.set(scenario, cached);
  }
  return cached ?? undefined;
}

function formatPath(path: (string | number)[]): string {
  return `$${path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('')}`;
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
