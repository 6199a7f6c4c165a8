/**
 * Results are data. The engine never throws for an API's behaviour: a failed assertion is a
 * `failed` step, a step that could not run is an `error` step. Reporters read these only.
 */
import type { ErrorInfo, SourceLocation } from './errors.js';
import type { STEP_KINDS } from './step-schema.js';

export type StepStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** Where something is written in a scenario file: file, line, column, JSON path, and that line's text. */
export interface SourceExcerpt extends SourceLocation {
  /** The text of the line (without its line break); left out for a line over 4,096 characters (minified JSON). */
  text?: string;
}

/**
 * Where a step ran when not in the test itself: a scenario's `setup`, or a teardown (the scenario's,
 * or a group's, loop pass's or forEach pass's). A teardown's failures are reported apart from the
 * test's outcome (ScenarioResult.teardown).
 */
export type StepPhase = 'setup' | 'teardown';

/** The kind of a step result: a step type of the scenario format, or `iteration` (one pass of a loop or forEach). */
export type StepKind = (typeof STEP_KINDS)[number] | 'iteration';

/** Phases of one HTTP exchange, in milliseconds (undefined when the phase did not happen, e.g. a reused connection). */
export interface Timings {
  /** DNS lookup. */
  dns?: number;
  /** TCP connect. */
  connect?: number;
  /** TLS handshake. */
  tls?: number;
  /** From sending the request until the first response byte (headers). */
  firstByte: number;
  /** From the first byte until the body was read. */
  download: number;
  /** Whole exchange, including redirects. */
  total: number;
}

/** A body as kept in a report: text (maybe truncated) and its size in bytes. */
export interface BodyPreview {
  /** Text of the body (UTF-8), base64 when `encoding` is base64. Cut at the configured size. */
  text: string;
  encoding?: 'utf8' | 'base64';
  /** Full size in bytes. */
  size: number;
  truncated: boolean;
}

export type HeaderList = Array<[name: string, value: string]>;

export interface RequestRecord {
  method: string;
  url: string;
  headers: HeaderList;
  body?: BodyPreview;
  /** Bytes on the wire for the body. */
  bodySize: number;
}

export interface ResponseRecord {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: HeaderList;
  body?: BodyPreview;
  /** Decoded body size in bytes. */
  bodySize: number;
  /** Body bytes as received (before decompression), when known. */
  encodedBodySize?: number;
  timings: Timings;
  /** URLs followed by redirects, in order, ending with the final one. */
  redirects?: string[];
}

/** A database operation as kept in a report: what ran (placeholders, never values) and what came back. */
export interface DbRecord {
  connection: string;
  /** The statement or command with placeholders (`?`), never parameter values. */
  operation: string;
  rowCount?: number;
  affectedRows?: number;
  /** The result as JSON text, cut at the report's body size. */
  result?: BodyPreview;
  durationMs: number;
}

/** One attempt of a request step that has retries. */
export interface AttemptRecord {
  /** 1-based. */
  attempt: number;
  /** Response status, when a response came. */
  status?: number;
  error?: ErrorInfo;
  durationMs: number;
  /** Delay waited before this attempt (0 for the first). */
  delayMs: number;
}

/** A console line of a script. */
export interface ScriptLogRecord {
  level: 'log' | 'info' | 'warn' | 'error';
  message: string;
  /** Name of the script that printed it. */
  script?: string;
}

/** One evaluated assertion. */
export interface AssertionResult {
  /** Human description of what was checked, e.g. `jsonpath $.items[0].id`. */
  selector: string;
  /** Operator name, e.g. `equals`. */
  operator: string;
  expected?: unknown;
  actual?: unknown;
  passed: boolean;
  /**
   * Not run: a script's `pm.test.skip` (Postman's skipped test). Counted among the assertions, as
   * Newman counts it, and never failed (`passed` is true).
   */
  skipped?: true;
  /** Why it failed, e.g. "expected 200 but was 404". */
  message?: string;
  /** Optional user-given name. */
  name?: string;
  /** Where the assertion came from. */
  source?: 'assert' | 'script' | 'contract';
  /** Where a failed `assert` is written (the operator's expected value). */
  location?: SourceExcerpt;
  /** A contract violation: the JSON pointer of the offending value in the response body, or `/headers/<name>`. */
  pointer?: string;
}

export interface StepResult {
  /** Stable id inside a run, e.g. `0`, `2.1`. */
  id: string;
  name: string;
  /** Step type (request, wait, …, or `iteration` for one pass of a loop). */
  kind: StepKind;
  /** Names of the enclosing steps (group, loop[2] …), outermost first. */
  path: string[];
  status: StepStatus;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  request?: RequestRecord;
  response?: ResponseRecord;
  /** Database operations run by this step (a db step, or db processors), in order. */
  db?: DbRecord[];
  /** Every attempt, when the step has retries. */
  attempts?: AttemptRecord[];
  /** The step passed only on a retry: an earlier attempt failed (its status is `passed`; `attempts` says how). */
  flaky?: true;
  /** Set on the steps of a setup or teardown (and everything inside them); absent for the test's steps. */
  phase?: StepPhase;
  /** Console output of the step's scripts. */
  logs?: ScriptLogRecord[];
  /** `pm.visualizer.set(template, data)` of a script, kept for the HTML report. */
  visualizer?: { template: string; data: unknown };
  assertions: AssertionResult[];
  /** Names of the variables this step set. */
  extracted: string[];
  error?: ErrorInfo;
  /** The step failed or errored but its on-error policy is `ignore`: it does not fail the scenario. */
  ignored?: boolean;
  /** Where a step that errored is written (a request's `url`, else the step). */
  location?: SourceExcerpt;
  /** Children (groups, loop iterations), when the step has any. */
  children?: StepResult[];
}

export interface Totals {
  steps: number;
  requests: number;
  assertions: number;
  failedAssertions: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** Steps that passed only on a retry (StepResult.flaky); absent when none. */
  flaky?: number;
}

/** A run of a scenario that `--retry-failed` ran again: how that earlier run ended. */
export interface ScenarioAttempt {
  /** 1-based: 1 is the first run. */
  attempt: number;
  status: StepStatus;
  durationMs: number;
  totals: Totals;
}

export interface ScenarioResult {
  name: string;
  /** Path of the scenario file as given (relative to cwd when possible). */
  file: string;
  iteration?: number;
  status: StepStatus;
  startedAt: number;
  durationMs: number;
  totals: Totals;
  /** Set when the scenario could not run at all. */
  error?: ErrorInfo;
  /**
   * Set when the scenario run never started because the run stopped first: `bail` (--bail stopped
   * it at the first failure) or `interrupted` (SIGINT, SIGTERM). Its status is `skipped`, and its
   * steps are reported as skipped.
   */
  notRun?: NotRunReason;
  /**
   * Set when an interrupt (SIGINT, SIGTERM, --timeout) cut the scenario run short: it started and
   * steps were left unrun (reported as skipped). Its status is the outcome of what ran.
   */
  interrupted?: true;
  /**
   * How its teardowns ended (the scenario's and its containers'), when it has any: apart from
   * `status` (the setup's and the test's outcome). A failed teardown makes the run fail.
   */
  teardown?: StepStatus;
  /** A project hook (sortie.config.json beforeAll / afterAll) rather than a scenario of the run. */
  hook?: RunHookName;
  /** --retry-failed: the scenario failed, then passed when run again (its status is `passed`). */
  flaky?: true;
  /** --retry-failed: the earlier runs of this scenario, which failed, oldest first (this result is the last run). */
  attempts?: ScenarioAttempt[];
}

/** The project hooks of a run. */
export type RunHookName = 'beforeAll' | 'afterAll';

/** Why a scenario run never started: --bail, a signal, or a failed beforeAll hook. */
export type NotRunReason = 'bail' | 'interrupted' | 'cancelled' | 'beforeAll';

/** RunResult.omittedCounts: the scenario runs `keepResults: 'problems'` left out, counted. */
export interface OmittedCounts {
  passed: number;
  skipped: number;
  /** Of those, the runs that ran teardowns. */
  teardowns: number;
}

/** How a run ended: the worst status of its scenario runs, or `interrupted` when a signal cut it short. */
export type RunStatus = StepStatus | 'interrupted';

export interface RunResult {
  status: RunStatus;
  startedAt: number;
  durationMs: number;
  totals: Totals;
  scenarios: ScenarioResult[];
  /**
   * With the engine's `keepResults: 'problems'`: how many scenario runs passed (or were skipped by
   * tags) and are left out of `scenarios`; `totals` and `status` still count them. Absent otherwise.
   */
  omittedScenarios?: number;
  /**
   * With `keepResults: 'problems'`: the runs left out of `scenarios`, by status (they only passed or
   * were skipped), and how many of them ran teardowns (which passed or were skipped).
   */
  omittedCounts?: OmittedCounts;
  /** --bail stopped the run at its first failure; the rest is reported as skipped. */
  bailed?: boolean;
  /** With status `interrupted`: the run's time limit (`--timeout`, `timeoutRun`) stopped it, not a signal. */
  timedOut?: true;
  /** With status `interrupted`: the run was cancelled (`--remote`'s Ctrl-C, the server's cancel), not stopped by a signal. */
  cancelled?: true;
  /** --fail-on-flaky: flaky steps and scenarios made the run fail. */
  failOnFlaky?: boolean;
}

export function emptyTotals(): Totals {
  return { steps: 0, requests: 0, assertions: 0, failedAssertions: 0, passed: 0, failed: 0, errors: 0, skipped: 0 };
}

/** Adds `b` into `a`. */
export function addTotals(a: Totals, b: Totals): Totals {
  a.steps += b.steps;
  a.requests += b.requests;
  a.assertions += b.assertions;
  a.failedAssertions += b.failedAssertions;
  a.passed += b.passed;
  a.failed += b.failed;
  a.errors += b.errors;
  a.skipped += b.skipped;
  if (b.flaky !== undefined) a.flaky = (a.flaky ?? 0) + b.flaky;
  return a;
}

/** The worst of two statuses: error > failed > passed > skipped. */
export function worstStatus(a: StepStatus, b: StepStatus): StepStatus {
  const rank: Record<StepStatus, number> = { skipped: 0, passed: 1, failed: 2, error: 3 };
  return rank[a] >= rank[b] ? a : b;
}
