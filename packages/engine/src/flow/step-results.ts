import type { StepKind, StepPhase, StepResult, StepStartEvent, StepStatus } from '@sortie/core';
import { worstStatus } from '@sortie/core';
import type { StepPlace } from '../step-place.js';

/** A step that did not run (the scenario ended, the run was interrupted or bailed). */
export function skippedStep(place: StepPlace, kind: StepKind): StepResult {
  return withPhase(place, {
    id: place.id,
    name: place.name,
    kind,
    path: place.path,
    status: 'skipped',
    startedAt: Date.now(),
    durationMs: 0,
    assertions: [],
    extracted: [],
  });
}

/** A new result for a step at `place`, passed until something says otherwise. */
export function startResult(place: StepPlace, kind: StepKind): StepResult {
  return withPhase(place, {
    id: place.id,
    name: place.name,
    kind,
    path: place.path,
    status: 'passed',
    startedAt: Date.now(),
    durationMs: 0,
    assertions: [],
    extracted: [],
  });
}

/** The step:start event of a step at `place` in the scenario run `scenario`. */
export function stepStartEvent(place: StepPlace, kind: StepKind, scenario: string): StepStartEvent {
  const event: StepStartEvent = { type: 'step:start', id: place.id, name: place.name, kind, path: place.path, scenario };
  if (place.phase !== undefined) event.phase = place.phase;
  return event;
}

function withPhase(place: StepPlace, result: StepResult): StepResult {
  if (place.phase !== undefined) result.phase = place.phase;
  return result;
}

/**
 * What a container keeps of a child: the summary without request, response, database records,
 * attempts, logs or grandchildren. Full results go out in the child's own `step:end`; keeping only
 * this makes a loop of 10,000 iterations cost kilobytes, not the bodies of every response.
 */
export function lightenResult(result: StepResult): StepResult {
  const light: StepResult = {
    id: result.id,
    name: result.name,
    kind: result.kind,
    path: result.path,
    status: result.status,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    assertions: result.assertions.some((a) => !a.passed) ? result.assertions.filter((a) => !a.passed) : [],
    extracted: result.extracted,
  };
  if (result.error !== undefined) light.error = result.error;
  if (result.ignored === true) light.ignored = true;
  if (result.flaky === true) light.flaky = true;
  if (result.phase !== undefined) light.phase = result.phase;
  return light;
}

/**
 * The status a container gets from its children: the worst one, where an ignored child counts as
 * passed and the container's teardown does not count (its failures are teardown failures) — unless
 * the container is itself inside a teardown (`phase`).
 */
export function childrenStatus(children: readonly StepResult[], phase?: StepPhase): StepStatus {
  let status: StepStatus = 'passed';
  for (const child of children) {
    if (child.phase === 'teardown' && phase !== 'teardown') continue;
    status = worstStatus(status, child.ignored === true ? 'passed' : child.status);
  }
  return status;
}
