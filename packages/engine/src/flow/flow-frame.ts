import type { AuthChoice, OnErrorPolicy, Scenario, Step, StepPhase, StepResult, Totals } from '@sortie/core';
import type { ScenarioContext } from '../context.js';
import type { SourceFile } from '../run-options.js';
import type { StepPlace } from '../step-place.js';

/**
 * What happens after a step: `next` goes on, `break` leaves the innermost loop, `end` skips the rest
 * of the scenario run, `bail` skips the rest of the whole run (--bail).
 */
export type FlowSignal = 'next' | 'break' | 'end' | 'bail';

/** A step's result and what comes next. */
export interface StepOutcome {
  result: StepResult;
  signal: FlowSignal;
}

/** Where a list of steps sits: the id of its container (none at the top), the readable path, the inherited auth, the phase. */
export interface StepParent {
  id?: string;
  path: string[];
  auth?: AuthChoice;
  /** Where the inherited `auth` name is declared when not in this file (see StepPlace.authScenario). */
  authScenario?: SourceFile<Scenario>;
  phase?: StepPhase;
}

/** Runs a list of steps in order; returns light copies of their results and the signal that stopped it. */
export type RunStepsFn = (
  steps: readonly Step[],
  parent: StepParent,
  frame: FlowFrame,
  start?: FlowSignal,
) => Promise<{ children: StepResult[]; signal: FlowSignal }>;

/** Everything the flow needs besides the step: one per scenario run, copied (never mutated) when entering a container. */
export interface FlowFrame {
  ctx: ScenarioContext;
  /** Step totals of the scenario run's setup and test (the teardowns' go to teardownTotals). */
  totals: Totals;
  /** Step totals of the scenario run's teardowns (its own and its containers'), apart from the test's. */
  teardownTotals: Totals;
  /** --bail: the first failed or errored step stops the whole run. */
  bail: boolean;
  /** Loops entered (a `break` leaves the innermost one). */
  loopDepth: number;
  /** On-error policy inherited from the enclosing containers (a step's own `onError` wins). */
  onError?: OnErrorPolicy;
  /** Includes entered (bounded so a file including itself cannot recurse forever). */
  includeDepth: number;
  /** --tag: the scenario or a container around this point carries a selected tag (so an included scenario's tagged steps all run). */
  tagSelected?: boolean;
  /** The included scenario file at an absolute path, from the run's validated includes. */
  findInclude(file: string): SourceFile<Scenario>;
  runSteps: RunStepsFn;
}

/** The on-error policy of a step: its own, else the enclosing container's, else the scenario's. */
export function policyOf(step: Step, frame: FlowFrame): OnErrorPolicy {
  return ('onError' in step ? step.onError : undefined) ?? frame.onError ?? frame.ctx.options.onError;
}

/**
 * Applies the on-error policy to a step that failed or errored: `ignore` marks it ignored and goes
 * on, `continue` goes on, `break` leaves the innermost loop (and acts as `end` outside a loop),
 * `end` skips the rest of the scenario run; with --bail anything but `ignore` stops the whole run.
 */
export function decideNext(result: StepResult, policy: OnErrorPolicy, frame: FlowFrame): FlowSignal {
  if (result.status !== 'failed' && result.status !== 'error') return 'next';
  if (policy === 'ignore') {
    result.ignored = true;
    return 'next';
  }
  if (frame.bail) return 'bail';
  if (policy === 'continue') return 'next';
  if (policy === 'break') return frame.loopDepth > 0 ? 'break' : 'end';
  return 'end';
}

/**
 * Where the children of a container go: under its id, its path plus its name (or `path`), with its
 * auth and the file that declares it (or `auth`, a choice written in the current file, with
 * `authScenario` when written elsewhere) and its phase (a container inside a teardown holds teardown steps).
 */
export function childParent(
  place: StepPlace,
  options: { path?: string[]; auth?: AuthChoice | undefined; authScenario?: SourceFile<Scenario> | undefined } = {},
): StepParent {
  const parent: StepParent = { id: place.id, path: options.path ?? [...place.path, place.name] };
  const own = 'auth' in options;
  const auth = own ? options.auth : place.auth;
  const authScenario = own ? options.authScenario : place.authScenario;
  if (auth !== undefined) parent.auth = auth;
  if (authScenario !== undefined) parent.authScenario = authScenario;
  if (place.phase !== undefined) parent.phase = place.phase;
  return parent;
}

/** Builds the place of a step in a list. */
export function placeStep(parent: StepParent, index: number, name: string): StepPlace {
  const place: StepPlace = { id: parent.id === undefined ? String(index) : `${parent.id}.${index}`, name, path: parent.path };
  if (parent.auth !== undefined) place.auth = parent.auth;
  if (parent.authScenario !== undefined) place.authScenario = parent.authScenario;
  if (parent.phase !== undefined) place.phase = parent.phase;
  return place;
}
