export type { SharedTokenStore } from '@sortie/auth/session';
export { runScenarios } from './engine.js';
export { DEFAULT_TEARDOWN_GRACE_MS, isRunTimeoutLog } from './flow/grace.js';
export {
  computeDelay,
  DEFAULT_RETRY_STATUSES,
  type RetryOutcome,
  readRetryAfter,
  type SendWithRetryOptions,
  sendWithRetry,
} from './flow/retry.js';
export { resolveHttpSettings } from './http-settings.js';
export type { IterationRowList, PlannedHook, RunOptions, RunShard, SourceFile } from './run-options.js';
export { DEFAULT_MAX_BODY_IN_REPORT, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS } from './run-options.js';
