/**
 * Run events. The engine emits them in order; reporters and the CLI only listen.
 * Every string in an event has already passed through the redactor.
 */
import type { RunHookName, RunResult, ScenarioResult, StepKind, StepPhase, StepResult } from './results.js';

export interface RunStartEvent {
  type: 'run:start';
  startedAt: number;
  /** Scenario files in run order. */
  files: string[];
}
export interface ScenarioStartEvent {
  type: 'scenario:start';
  name: string;
  file: string;
  iteration?: number;
  /** A project hook (beforeAll / afterAll) rather than a scenario. */
  hook?: RunHookName;
  /** --retry-failed: the scenario runs again (2 for its first rerun). */
  attempt?: number;
}
export interface StepStartEvent {
  type: 'step:start';
  id: string;
  name: string;
  kind: StepKind;
  path: string[];
  scenario: string;
  /** Set inside a setup or teardown. */
  phase?: StepPhase;
}
export interface StepEndEvent {
  type: 'step:end';
  scenario: string;
  result: StepResult;
}
export interface ScenarioEndEvent {
  type: 'scenario:end';
  result: ScenarioResult;
  /**
   * The run's place in the plan (0-based; a rerun keeps its place), so a consumer can list the runs
   * in planned order without RunResult.scenarios. Absent for project hooks.
   */
  index?: number;
}
export interface RunEndEvent {
  type: 'run:end';
  result: RunResult;
}
export interface LogEvent {
  type: 'log';
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  scenario?: string;
  stepId?: string;
}
/** Auth-state manager activity. Never carries a token or secret. */
export interface TokenEvent {
  type: 'token';
  action: 'obtained' | 'refreshed' | 'reused' | 'failed';
  profile: string;
  grant?: string;
  durationMs?: number;
  expiresAt?: number;
  message?: string;
}

export type RunEvent =
  | RunStartEvent
  | ScenarioStartEvent
  | StepStartEvent
  | StepEndEvent
  | ScenarioEndEvent
  | RunEndEvent
  | LogEvent
  | TokenEvent;

export type RunEventListener = (event: RunEvent) => void;
