/**
 * @sortie/api — Sortie as a library: load and validate a run plan, run it, report it. The `sortie`
 * command line is a shell over these functions; a runner agent calls the same ones.
 */
export type {
  ErrorInfo,
  LogEvent,
  RunEndEvent,
  RunEvent,
  RunEventListener,
  RunResult,
  RunStartEvent,
  ScenarioEndEvent,
  ScenarioResult,
  ScenarioStartEvent,
  StepEndEvent,
  StepResult,
  StepStartEvent,
  TokenEvent,
} from '@sortie/core';
export { ErrorCode, isSortieError, Redactor, SortieError } from '@sortie/core';
export type { SharedTokenStore } from '@sortie/engine';
export { isRunTimeoutLog } from '@sortie/engine';
export {
  type ClientCertificateOptions,
  type ConnectionPool,
  type CookieFileEntry,
  createConnectionPool,
  formatCookieFile,
  parseCookieFile,
} from '@sortie/http';
export {
  hydratePlan,
  type LoadedPlan,
  loadPlan,
  loadPlanWithSecrets,
  PLAN_FORMAT,
  type PlanInputs,
  type PlanNote,
  type PlanSource,
  planBodyFiles,
  type RunPlan,
  resolveGlobalSecrets,
  resolvePlanSecrets,
} from '@sortie/project';
export {
  type CliReporterOptions,
  closeReporters,
  createCliReporter,
  createEventLogReporter,
  createHtmlReporter,
  createJsonReporter,
  createJunitReporter,
  dispatchEvent,
  type FileReporterOptions,
  type HtmlReporterOptions,
  type LiveStatusOptions,
  mergeShards,
  type Reporter,
} from '@sortie/reporters';
export { Variables } from '@sortie/template';
export { createRunHttpClient, type HttpClientSettings } from './http-client.js';
export { type RunOutcome, type RunSettings, run } from './run.js';
export { type ValidateOptions, validate } from './validate.js';
