export { runScenarios } from './engine.js';
export { lintScenario, type ScenarioLintProblem } from './flow/lint-scenario.js';
export {
  computeDelay,
  DEFAULT_RETRY_STATUSES,
  type RetryOutcome,
  readRetryAfter,
  type SendWithRetryOptions,
  sendWithRetry,
} from './flow/retry.js';
export type { RunOptions, SourceFile } from './run-options.js';
export { DEFAULT_MAX_BODY_IN_REPORT, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS } from './run-options.js';
export { checkScriptUses, type ScriptUseProblem } from './scripts/check-uses.js';
export { LIBRARY_MANIFEST, type LoadedLibrary, loadScriptLibraries } from './scripts/script-library.js';
export { isScriptSourcePath } from './scripts/script-source-path.js';
