/**
 * Synthetic run-event sequences, shaped like the engine's: run:start, per scenario
 * scenario:start, (step:start, step:end)*, scenario:end, then run:end. A container's step:start
 * comes before its children's events and its step:end after them, carrying light copies of its
 * children (as the engine's lightenResult), unless the plan lists it in `nestedOnly`.
 */
import {
  type AssertionResult,
  addTotals,
  type ErrorInfo,
  emptyTotals,
  type RunEvent,
  type RunResult,
  type ScenarioResult,
  type StepKind,
  type StepResult,
  type StepStatus,
  type Totals,
  worstStatus,
} from '@sortie/core';

export const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

export function passedAssertion(selector: string, operator: string, expected: unknown): AssertionResult {
  return { selector, operator, expected, actual: expected, passed: true, source: 'assert' };
}

export function failedAssertion(selector: string, operator: string, expected: unknown, actual: unknown, message: string): AssertionResult {
  return { selector, operator, expected, actual, passed: false, message, source: 'assert' };
}

interface RequestStepInit {
  id: string;
  name: string;
  path?: string[];
  status?: StepStatus;
  method?: string;
  url?: string;
  responseStatus?: number;
  responseBody?: string;
  requestHeaders?: Array<[string, string]>;
  assertions?: AssertionResult[];
  error?: ErrorInfo;
  durationMs?: number;
  noResponse?: boolean;
  extracted?: string[];
}

export function requestStep(init: RequestStepInit): StepResult {
  const status = init.status ?? 'passed';
  const step: StepResult = {
    id: init.id,
    name: init.name,
    kind: 'request',
    path: init.path ?? [],
    status,
    startedAt: T0 + 100,
    durationMs: init.durationMs ?? 12.4,
    assertions: init.assertions ?? [],
    extracted: init.extracted ?? [],
  };
  if (status === 'skipped') return step;
  step.request = {
    method: init.method ?? 'GET',
    url: init.url ?? 'http://127.0.0.1:4010/users',
    headers: init.requestHeaders ?? [['accept', 'application/json']],
    bodySize: 0,
  };
  if (init.noResponse !== true) {
    const body = init.responseBody ?? '{"ok":true}';
    step.response = {
      status: init.responseStatus ?? 200,
      statusText: init.responseStatus === 404 ? 'Not Found' : 'OK',
      httpVersion: '1.1',
      headers: [['content-type', 'application/json']],
      body: { text: body, size: Buffer.byteLength(body), truncated: false },
      bodySize: Buffer.byteLength(body),
      timings: { firstByte: 5, download: 1, total: init.durationMs ?? 12.4 },
    };
  }
  if (init.error !== undefined) step.error = init.error;
  return step;
}

export function containerStep(
  id: string,
  name: string,
  kind: StepKind,
  children: StepResult[] | undefined,
  path: string[] = [],
): StepResult {
  let status: StepStatus = 'skipped';
  for (const child of children ?? []) status = worstStatus(status, child.status);
  const step: StepResult = { id, name, kind, path, status, startedAt: T0 + 50, durationMs: 30, assertions: [], extracted: [] };
  if (children !== undefined) step.children = children;
  return step;
}

/** Totals of leaf steps (containers walked into). */
export function totalsOf(steps: StepResult[]): Totals {
  const totals = emptyTotals();
  const visit = (step: StepResult): void => {
    if (step.children !== undefined && step.children.length > 0) {
      step.children.forEach(visit);
      return;
    }
    totals.steps += 1;
    if (step.request !== undefined) totals.requests += 1;
    totals.assertions += step.assertions.length;
    totals.failedAssertions += step.assertions.filter((a) => !a.passed).length;
    if (step.status === 'passed') totals.passed += 1;
    else if (step.status === 'failed') totals.failed += 1;
    else if (step.status === 'error') totals.errors += 1;
    else totals.skipped += 1;
  };
  steps.forEach(visit);
  return totals;
}

export interface ScenarioPlan {
  name: string;
  file: string;
  iteration?: number;
  /** Top-level results (containers with their full children), emitted in order. */
  steps: StepResult[];
  /** Ids of containers emitted as one step:end with their children nested, no events of their own. */
  nestedOnly?: string[];
  /** Leaf steps, for totals (defaults to `steps`). */
  leaves?: StepResult[];
  /** The scenario could not run at all. */
  error?: ErrorInfo;
}

export function scenarioKey(plan: ScenarioPlan): string {
  return plan.iteration === undefined ? plan.file : `${plan.file}#${plan.iteration}`;
}

export function scenarioResult(plan: ScenarioPlan, index: number): ScenarioResult {
  const totals = totalsOf(plan.leaves ?? plan.steps);
  let status: StepStatus = plan.error === undefined ? 'skipped' : 'error';
  for (const step of plan.steps) status = worstStatus(status, step.status);
  const result: ScenarioResult = { name: plan.name, file: plan.file, status, startedAt: T0 + index * 1000, durationMs: 250.5, totals };
  if (plan.iteration !== undefined) result.iteration = plan.iteration;
  if (plan.error !== undefined) result.error = plan.error;
  return result;
}

export function runResult(scenarios: ScenarioResult[]): RunResult {
  const totals = emptyTotals();
  let status: StepStatus = 'skipped';
  for (const scenario of scenarios) {
    addTotals(totals, scenario.totals);
    status = worstStatus(status, scenario.status);
  }
  return { status, startedAt: T0, durationMs: 1234.5, totals, scenarios };
}

/** What the engine keeps of a child in its container's result: no request, response, logs or grandchildren. */
export function lightCopy(step: StepResult): StepResult {
  const light: StepResult = {
    id: step.id,
    name: step.name,
    kind: step.kind,
    path: step.path,
    status: step.status,
    startedAt: step.startedAt,
    durationMs: step.durationMs,
    assertions: step.assertions.filter((a) => !a.passed),
    extracted: step.extracted,
  };
  if (step.error !== undefined) light.error = step.error;
  if (step.ignored === true) light.ignored = true;
  return light;
}

/** The events of one step as the engine emits them (see the module comment). */
export function stepEvents(plan: ScenarioPlan, step: StepResult): RunEvent[] {
  const scenario = scenarioKey(plan);
  const start: RunEvent = { type: 'step:start', id: step.id, name: step.name, kind: step.kind, path: step.path, scenario };
  if (step.children === undefined || plan.nestedOnly?.includes(step.id)) return [start, { type: 'step:end', scenario, result: step }];
  const inner = step.children.flatMap((child) => stepEvents(plan, child));
  return [start, ...inner, { type: 'step:end', scenario, result: { ...step, children: step.children.map(lightCopy) } }];
}

function scenarioStart(plan: ScenarioPlan): RunEvent {
  const event: RunEvent = { type: 'scenario:start', name: plan.name, file: plan.file };
  if (plan.iteration !== undefined) event.iteration = plan.iteration;
  return event;
}

/** Scenario runs one after another. */
export function sequentialRun(plans: ScenarioPlan[]): RunEvent[] {
  const events: RunEvent[] = [{ type: 'run:start', startedAt: T0, files: plans.map((p) => p.file) }];
  const results: ScenarioResult[] = [];
  plans.forEach((plan, index) => {
    events.push(scenarioStart(plan));
    for (const step of plan.steps) events.push(...stepEvents(plan, step));
    const result = scenarioResult(plan, index);
    results.push(result);
    events.push({ type: 'scenario:end', result });
  });
  events.push({ type: 'run:end', result: runResult(results) });
  return events;
}

/** Two scenario runs in parallel: their step events alternate, the second one ends first. */
export function interleavedRun(first: ScenarioPlan, second: ScenarioPlan): RunEvent[] {
  const events: RunEvent[] = [{ type: 'run:start', startedAt: T0, files: [first.file, second.file] }];
  events.push(scenarioStart(first), scenarioStart(second));
  const count = Math.max(first.steps.length, second.steps.length);
  for (let i = 0; i < count; i += 1) {
    for (const plan of [first, second]) {
      const step = plan.steps[i];
      if (step === undefined) continue;
      events.push(...stepEvents(plan, step));
    }
  }
  const results = [scenarioResult(first, 0), scenarioResult(second, 1)];
  events.push({ type: 'scenario:end', result: results[1]! }, { type: 'scenario:end', result: results[0]! });
  events.push({ type: 'run:end', result: runResult(results) });
  return events;
}

/**
 * The same events as the engine sends them with keepResults 'problems': scenario:end carries the
 * run's place (its place in the run result's planned order, or `places[that]` for the runs of one
 * shard of a bigger plan), run:end lists only the runs that did not pass.
 */
export function placed(events: RunEvent[], places?: readonly number[]): RunEvent[] {
  const end = events.at(-1) as { type: 'run:end'; result: RunResult };
  const order = end.result.scenarios;
  const problem = (s: ScenarioResult) => s.status === 'failed' || s.status === 'error';
  const omitted = order.filter((s) => !problem(s));
  const result: RunResult = {
    ...end.result,
    scenarios: order.filter(problem),
    omittedScenarios: omitted.length,
    omittedCounts: {
      passed: omitted.filter((s) => s.status === 'passed').length,
      skipped: omitted.filter((s) => s.status === 'skipped').length,
      teardowns: omitted.filter((s) => s.teardown !== undefined).length,
    },
  };
  const placeOf = (at: number) => (places === undefined ? at : (places[at] as number));
  return [
    ...events
      .slice(0, -1)
      .map((event) => (event.type === 'scenario:end' ? { ...event, index: placeOf(order.indexOf(event.result)) } : event)),
    { type: 'run:end', result },
  ];
}
