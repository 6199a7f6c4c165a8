import { type ErrorInfo, isSortieError, Redactor, type RunEvent, type RunEventListener, type RunResult } from '@sortie/core';
import { type RunOptions, runScenarios } from '@sortie/engine';
import { hydratePlan, planSecretValues, type RunPlan, resolvePlanSecrets } from '@sortie/project';
import { closeReportersSettled, dispatchEvent, type Reporter } from '@sortie/reporters';
import { Variables } from '@sortie/template';
import { checkRunSettings } from './check-run-settings.js';

/** How to run a plan: everything a user sets besides the inputs. */
export interface RunSettings {
  /** The process environment: secret values (with `.env`), looked up here, never carried by the plan. */
  env?: Record<string, string | undefined>;
  /** Secret values already looked up ({@link resolvePlanSecrets}); `env` is not consulted then. */
  secrets?: Record<string, string>;
  /** Where the plan's folder is on this machine (default: where it was made). */
  root?: string;
  /** Reporters: each receives every event; closed before `run` resolves. */
  reporters?: readonly Reporter[];
  /** Receives every run event, in order (after the reporters). */
  onEvent?: RunEventListener;
  /**
   * Every secret the run touches is registered here. Pass your own to give it to the reporters you
   * create (secrets are registered before the first event).
   */
  redactor?: Redactor;
  /**
   * Environment and global variables of the run; pass your own to read what the run changed
   * (project variables become globals, secrets are marked secret).
   */
  variables?: Variables;
  /** `--env-var`: environment-scope variables over the environment file's. */
  envVars?: Record<string, string>;
  /** `-g`'s values (their JSON types kept, as Newman keeps them) and `--global-var` (strings): global-scope variables. */
  globals?: Record<string, unknown>;
  /** Extra CA certificates (PEM text). */
  ca?: string[];
  /** The other engine options (see RunOptions of @sortie/engine). */
  options?: Omit<
    RunOptions,
    | 'scenarios'
    | 'includes'
    | 'environment'
    | 'iterationData'
    | 'scriptLibraries'
    | 'files'
    | 'onEvent'
    | 'redactor'
    | 'sharedVariables'
    | 'envVars'
    | 'globals'
    | 'ca'
    | 'hooks'
  >;
}

/** What `run` resolves with: the run's result, and the reports that could not be written. */
export interface RunOutcome extends RunResult {
  /**
   * One per reporter whose report could not be written (an unwritable path, a full disk): code
   * `SORTIE_USAGE`, title `Cannot write report`, the file and the system error code. The run happened
   * all the same: `status` and `totals` tell how it went. Absent when every report was written.
   */
  reportErrors?: ErrorInfo[];
}

/**
 * Runs a plan (from `loadPlan`, or received as JSON from another machine) and resolves with the
 * result. Secret values are looked up first and registered with the redactor; events go to the
 * reporters and `onEvent`; the reporters are closed (reports written) before it resolves; a report that could not be
 * written is listed in `reportErrors`, next to the run's result. Never prints. Rejects for missing
 * secrets or an invalid plan, before any event; and, once the run is over and the reporters are
 * closed, with the first error `onEvent` or a reporter threw (the run went on) — a reporter's bug,
 * not a report that could not be written.
 */
export async function run(plan: RunPlan, settings: RunSettings = {}): Promise<RunOutcome> {
  checkRunSettings(settings);
  const hydrated = hydratePlan(plan, settings.root);
  const root = settings.root ?? plan.root;
  const secrets = settings.secrets ?? (await resolvePlanSecrets(plan, { env: settings.env ?? {}, root }));
  const redactor = settings.redactor ?? new Redactor();
  const variables = settings.variables ?? new Variables();
  for (const [name, value] of Object.entries(hydrated.project?.value.variables ?? {})) variables.set('global', name, value);
  for (const [name, value] of Object.entries(secrets)) {
    variables.markSecret(name);
    redactor.add(value);
  }
  // The values of a Postman collection's variables typed secret are in the plan itself.
  for (const value of planSecretValues(plan)) redactor.add(value);
  const envVars = settings.envVars ?? {};
  for (const [name, value] of Object.entries(envVars)) if (variables.isSecret(name)) redactor.add(value);
  const reporters = settings.reporters ?? [];
  // A listener or reporter that throws is the caller's bug, not the API's: the run goes on (the engine
  // would take the error for its own and end the scenario), and run() rejects with it at the end.
  let listenerError: { error: unknown } | undefined;
  const options: RunOptions = {
    ...settings.options,
    scenarios: hydrated.scenarios,
    includes: hydrated.includes,
    scriptLibraries: hydrated.libraries,
    files: hydrated.files,
    envVars: { ...secrets, ...envVars },
    globals: settings.globals ?? {},
    sharedVariables: variables,
    redactor,
    onEvent: (event: RunEvent) => {
      try {
        dispatchEvent(reporters, event);
        settings.onEvent?.(event);
      } catch (error) {
        listenerError ??= { error };
      }
    },
  };
  if (hydrated.environment !== undefined) options.environment = hydrated.environment;
  if (hydrated.iterationData !== undefined) options.iterationData = hydrated.iterationData;
  if (hydrated.hooks !== undefined) options.hooks = hydrated.hooks;
  if (settings.ca !== undefined && settings.ca.length > 0) options.ca = settings.ca;
  let result: RunResult;
  try {
    result = await runScenarios(options);
  } catch (error) {
    await closeReportersSettled(reporters);
    throw error;
  }
  const failures = await closeReportersSettled(reporters);
  if (listenerError !== undefined) throw listenerError.error;
  // A report that could not be written (a SortieError from the file reporters) does not undo the run;
  // anything else a reporter's close threw is that reporter's bug.
  const other = failures.find((failure) => !isSortieError(failure));
  if (other !== undefined) throw other;
  if (failures.length === 0) return result;
  return { ...result, reportErrors: failures.filter(isSortieError).map((failure) => failure.toJSON()) };
}
