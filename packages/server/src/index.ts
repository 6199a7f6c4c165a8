export {
  authenticateBearer,
  createApiToken,
  generateApiToken,
  hashApiToken,
  isTokenScope,
  scopeAllows,
  TOKEN_SCOPES,
} from './api-tokens.js';
export { buildApp } from './app.js';
export { type BundleEntry, type BundleLimits, checkPath, DEFAULT_BUNDLE_LIMITS, readBundle } from './bundle/read-bundle.js';
export { writeBundle } from './bundle/write-bundle.js';
export { loadBundlePlan } from './load-bundle-plan.js';
export { BUNDLE_MANIFEST, type BundleManifest, type LoadBundlePlan, PlanStorage } from './plan-storage.js';
export { REPORT_NAMES, type ReportName, RunDispatcher, type SubmitRunOptions } from './run-dispatcher.js';
export { RunTracker } from './run-tracker.js';
export { type NewSchedule, Schedules } from './schedules.js';
export { type RunningServer, type ServerOptions, startServer } from './server.js';
export { type OpenStoreOptions, openStore, sqliteFile } from './store/open-store.js';
export type {
  PlanRecord,
  RunCounts,
  RunPatch,
  RunQuery,
  RunRecord,
  RunStatus,
  RunTrigger,
  ScheduleRecord,
  Store,
  TokenRecord,
  TokenScope,
} from './store/store.js';
export { FINAL_RUN_STATUSES } from './store/store.js';
