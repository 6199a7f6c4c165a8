import {
  addTotals,
  ErrorCode,
  emptyTotals,
  hasSelectedTag,
  type RunHookName,
  type Scenario,
  type ScenarioAttempt,
  type ScenarioResult,
  type ScenarioStartEvent,
  SortieError,
  type StepStatus,
  type Totals,
  toErrorInfo,
} from '@sortie/core';
import type { ScenarioContext } from './context.js';
import type { FlowFrame } from './flow/flow-frame.js';
import { runScenarioSteps } from './flow/lifecycle.js';
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
  /** The scenario run is a project hook (beforeAll / afterAll). */
  hook?: RunHookName;
  /** --retry-failed: the scenario runs again, this is its attempt number (2 for the first rerun). */
  attempt?: number;
  /**
   * beforeAll's `export`: these variables, once the steps ran, become global variables of the run
   * (every scenario sees them); one that was not set is an error of the hook.
   */
  exports?: readonly string[];
  /** --retry-failed: the earlier attempts of this scenario run (they failed); a rerun that passes is flaky. */
  previous?: ScenarioAttempt[];
  /** The run's place in the plan, carried by scenario:end (absent for project hooks). */
  index?: number;
}

/** What a scenario run may be besides a plain one: a hook, a rerun; and its place in the plan. */
export type ScenarioRunExtra = Pick<ScenarioRunOptions, 'hook' | 'attempt' | 'exports' | 'previous' | 'index'>;

/**
 * Runs one scenario run — its setup, its steps, its teardown (see flow/lifecycle.ts), flow control
 * included (flow/run-steps.ts) — between scenario:start and scenario:end. The result's status is the
 * setup's and the test's outcome; the teardowns' is apart (`teardown`), its totals count every step. The on-error policy decides after each failed step: `end` skips
 * the remaining steps (reported as skipped), `continue` goes on, `ignore` goes on and the step does
 * not fail the scenario, `break` leaves the innermost loop. The scenario was validated before the
 * run (`loadPlan` of @sortie/project); it is not checked again here.
 */
export async function runScenario(ctx: ScenarioContext, options: ScenarioRunOptions): Promise<ScenarioOutcome> {
  const scenario = ctx.scenario.value;
  const startedAt = Date.now();
  const started = performance.now();
  const totals = emptyTotals();
  const teardownTotals = emptyTotals();
  ctx.emit(scenarioStart(ctx, options));
  const frame: FlowFrame = {
    ctx,
    totals,
    teardownTotals,
    bail: options.bail ?? false,
    loopDepth: 0,
    includeDepth: 0,
    tagSelected: hasSelectedTag(scenario, ctx.options.tags),
    findInclude: options.findInclude,
    runSteps,
  };
  const auth = readScenarioAuth(scenario);
  const { signal } = await runScenarioSteps(scenario, auth === undefined ? { path: [] } : { path: [], auth }, frame);
  const result = withIteration(
    {
      name: scenario.name,
      file: ctx.scenario.file,
      status: scenarioStatus(totals),
      startedAt,
      durationMs: performance.now() - started,
      totals: addTotals(totals, teardownTotals),
    },
    ctx.iteration,
  );
  if (teardownTotals.steps > 0) result.teardown = scenarioStatus(teardownTotals);
  // Steps an interrupt left unrun are reported as skipped: the run did not finish.
  if (ctx.signal?.aborted === true && totals.skipped > 0) result.interrupted = true;
  if (options.hook !== undefined) result.hook = options.hook;
  if (options.exports !== undefined) exportVariables(ctx, options.exports, result);
  if (options.previous !== undefined && options.previous.length > 0) {
    result.attempts = options.previous;
    if (result.status === 'passed') result.flaky = true;
  }
  ctx.emit(options.index === undefined ? { type: 'scenario:end', result } : { type: 'scenario:end', result, index: options.index });
  return { result, bail: signal === 'bail' };
}

function scenarioStart(ctx: ScenarioContext, options: ScenarioRunOptions): ScenarioStartEvent {
  const event: ScenarioStartEvent = { type: 'scenario:start', name: ctx.scenario.value.name, file: ctx.scenario.file };
  if (ctx.iteration !== undefined) event.iteration = ctx.iteration;
  if (options.hook !== undefined) event.hook = options.hook;
  if (options.attempt !== undefined) event.attempt = options.attempt;
  return event;
}

/** Copies a hook's exported variables into the run's global scope; one it did not set makes the hook an error. */
function exportVariables(ctx: ScenarioContext, names: readonly string[], result: ScenarioResult): void {
  const missing = names.filter((name) => !ctx.vars.has(name));
  for (const name of names) if (ctx.vars.has(name)) ctx.vars.set('global', name, ctx.vars.get(name));
  if (missing.length === 0) return;
  const error = new SortieError(
    ErrorCode.UNRESOLVED_VARIABLE,
    'Export not set',
    `${ctx.scenario.file} did not set ${missing.map((m) => `"${m}"`).join(', ')}, named in "export"`,
    { hint: 'set it in a step of the hook (extract, or pm.variables.set in a script), or remove it from "export"' },
  );
  result.error = toErrorInfo(error);
  result.status = 'error';
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

/**
 * The result with its `iteration` (when there is one) built in one object literal, last as before,
 * so V8 gives it an in-object slot. Adding it to the finished literal gave every data-driven
 * ScenarioResult an out-of-object property array of about 40 B, and the run keeps each result until
 * it ends (heap snapshot, BENCHMARKS.md 2026-12-03, issue 17).
 */
function withIteration(base: Omit<ScenarioResult, 'iteration'>, iteration: number | undefined): ScenarioResult {
  if (iteration === undefined) return base;
  return {
    name: base.name,
    file: base.file,
    status: base.status,
    startedAt: base.startedAt,
    durationMs: base.durationMs,
    totals: base.totals,
    iteration,
  };
}
