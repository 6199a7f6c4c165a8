/** Runs scenario objects through the real engine and collects every event. */
import { join } from 'node:path';
import { Redactor, type RunEvent, type RunResult, type Scenario, ScenarioSchema, type StepEndEvent, type StepResult } from '@sortie/core';
import { hydratePlan, loadPlan } from '@sortie/project';
import { type RunOptions, runScenarios } from '../../src/index.js';

export interface FlowRun {
  result: RunResult;
  events: RunEvent[];
  /** Results of every step:end, in order. */
  steps: StepResult[];
  /** `id name status` of every step:end, in order (readable assertions on the tree). */
  trace: string[];
}

/**
 * Validates `scenario` with the real schema and runs it; `dir` is where included files resolve, and
 * `includes` (file names in `dir`) are loaded and validated with `loadPlan`, as a run does.
 */
export async function runFlow(
  scenario: unknown,
  options: Partial<RunOptions> & { dir?: string; file?: string; include?: string[] } = {},
): Promise<FlowRun> {
  const value: Scenario = ScenarioSchema.parse(scenario);
  const dir = options.dir ?? process.cwd();
  const includes = new Map(options.includes);
  if (options.include !== undefined && options.include.length > 0) {
    const plan = hydratePlan(await loadPlan({ paths: options.include, cwd: dir }));
    for (const loaded of plan.scenarios) includes.set(join(dir, loaded.file), loaded);
  }
  return runFlows([{ value, file: options.file ?? 'flow.json', dir }], { ...options, includes });
}

/** Runs several scenarios in one run. */
export async function runFlows(scenarios: RunOptions['scenarios'], options: Partial<RunOptions> = {}): Promise<FlowRun> {
  const events: RunEvent[] = [];
  const result = await runScenarios({
    redactor: new Redactor(),
    ...options,
    scenarios,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  const steps = events.filter((e): e is StepEndEvent => e.type === 'step:end').map((e) => e.result);
  const trace = steps.map((s) => `${s.id} ${[...s.path, s.name].join(' › ')} ${s.status}${s.ignored ? ' ignored' : ''}`);
  return { result, events, steps, trace };
}

/** Builds an `if` step; the scenario format's branch key `then` is spelled out here only. */
export function ifStep(condition: unknown, thenSteps: unknown[], elseSteps?: unknown[], extra: Record<string, unknown> = {}): unknown {
  // biome-ignore lint/suspicious/noThenProperty: `then` is the branch of the scenario format's if step, not a promise
  const branch: Record<string, unknown> = { condition, then: thenSteps };
  if (elseSteps !== undefined) branch.else = elseSteps;
  return { ...extra, if: branch };
}
