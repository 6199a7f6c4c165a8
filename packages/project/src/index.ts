/**
 * @sortie/project — one path from what a user names (files, folders, environment, data file,
 * script libraries) to a validated, self-contained, JSON-serialisable run plan.
 */

export { checkScriptArguments } from './check-arguments.js';
export { checkScenario } from './check-scenario.js';
export { checkScriptUses, type ScriptUseProblem } from './check-uses.js';
export { discoverScenarioFiles } from './discover.js';
export { type HydratedHook, type HydratedPlan, hydratePlan, hydrateSource } from './hydrate-plan.js';
export { lintScenario, type ScenarioLintProblem } from './lint-scenario.js';
export { type LoadedPlan, loadPlan, loadPlanWithSecrets, type PlanInputs } from './load-plan.js';
export { planBodyFiles } from './plan-files.js';
export { RUN_HOOK_NAMES } from './plan-hooks.js';
export { type PlanSecretsOptions, resolveGlobalSecrets, resolvePlanSecrets } from './plan-secrets.js';
export type { PlanNote, SecretVariable } from './postman-inputs.js';
export {
  fromPlanPath,
  PLAN_FORMAT,
  type PlanFile,
  type PlanHook,
  type PlanIterationData,
  type PlanLibrary,
  type PlanSource,
  planSecretValues,
  type RunPlan,
  toPlanPath,
} from './run-plan.js';
export { resolveScriptLibraries, type ScriptLibraries } from './script-libraries.js';
export {
  findLibraryScript,
  LIBRARY_MANIFEST,
  type LibraryScript,
  type LoadedLibrary,
  loadScriptLibraries,
  readLibraryScript,
} from './script-library.js';
export type { KeptStep, KeptSteps } from './select-steps.js';
