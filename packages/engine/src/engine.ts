import type { Environment, Scenario } from '@sortie/core';
import { addTotals, emptyTotals, type RunEvent, type RunResult, type ScenarioResult, type StepStatus, worstStatus } from '@sortie/core';
import type { DbConnections } from '@sortie/db';
import { loadSelectorSupport } from '@sortie/extract';
import { createHttpClient } from '@sortie/http';
import { createBuiltinDynamicValues, createDynamicValues, type DynamicValues, renderValue, Variables } from '@sortie/template';
import { type ResolvedOptions, readServices, type ScenarioContext } from './context.js';
import { DEFAULT_MAX_BODY_IN_REPORT, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS, type RunOptions, type SourceFile } from './run-options.js';
import { scanScenarioNeeds } from './scenario-needs.js';
import { failedScenario, runScenario } from './scenario-runner.js';

/**
 * Runs scenarios one after the other and reports everything as events. Resolves with the run result;
 * never rejects for anything an API or a scenario does.
 */
export async function runScenarios(options: RunOptions): Promise<RunResult> {
  const startedAt = Date.now();
  const started = performance.now();
  const emit = (event: RunEvent) => options.onEvent(event);
  emit({ type: 'run:start', startedAt, files: options.scenarios.map((s) => s.file) });

  const needs = scanScenarioNeeds(options.scenarios.map((s) => s.value));
  const [dynamic] = await Promise.all([createDynamic(needs.faker, options), loadSelectorSupport({ xml: needs.xml, schema: needs.schema })]);
  const httpOptions: Parameters<typeof createHttpClient>[0] = { insecure: options.insecure ?? false };
  if (options.ca !== undefined) httpOptions.ca = options.ca;
  const http = createHttpClient(httpOptions);
  const environment = options.environment?.value;
  const { services, defaultService } = readServices(environment);
  // Environment and global scopes are shared by every scenario of the run (like a Postman environment).
  const shared = options.sharedVariables ?? new Variables();
  for (const [name, value] of Object.entries({ ...(environment?.variables ?? {}), ...(options.envVars ?? {}) }))
    shared.set('environment', name, value);
  for (const [name, value] of Object.entries(options.globals ?? {})) shared.set('global', name, value);

  const databases = lazyDatabases(environment?.databases, shared, options);

  const totals = emptyTotals();
  const scenarios: ScenarioResult[] = [];
  let status: StepStatus = 'passed';
  try {
    for (const scenario of options.scenarios) {
      if (options.signal?.aborted) break;
      const vars = shared.fork(['environment', 'global']);
      const ctx: ScenarioContext = {
        scenario,
        key: scenario.file,
        vars,
        http,
        services,
        options: resolveOptions(scenario, options, dynamic),
        redactor: options.redactor,
        emit,
        databases: databases.open,
      };
      if (defaultService !== undefined) ctx.defaultService = defaultService;
      if (options.signal !== undefined) ctx.signal = options.signal;
      let result: ScenarioResult;
      let bail = false;
      try {
        initScenarioVariables(vars, scenario, ctx.options);
        ({ result, bail } = await runScenario(ctx, options.bail ?? false));
      } catch (error) {
        result = failedScenario(ctx, error);
        emit({ type: 'scenario:start', name: result.name, file: result.file });
        emit({ type: 'scenario:end', result });
        bail = options.bail ?? false;
      }
      scenarios.push(result);
      addTotals(totals, result.totals);
      status = worstStatus(status, result.status === 'skipped' ? 'passed' : result.status);
      if (bail) break;
    }
  } finally {
    await Promise.all([http.close(), databases.close()]);
  }
  const result: RunResult = { status, startedAt, durationMs: performance.now() - started, totals, scenarios };
  emit({ type: 'run:end', result });
  return result;
}

/** Scenario variables may refer to the environment and globals: render them once, in order. */
function initScenarioVariables(vars: Variables, scenario: SourceFile<Scenario>, options: ResolvedOptions): void {
  for (const [name, value] of Object.entries(scenario.value.variables ?? {})) {
    vars.set('scenario', name, renderValue(value, vars, { strict: options.strictVariables, dynamic: options.dynamic }));
  }
}

/**
 * The run's database connections: created on the first db operation (the driver modules load only
 * then), connection settings templated from the environment, closed when the run ends — also after
 * a failure or an interrupt.
 */
function lazyDatabases(configs: Environment['databases'], vars: Variables, options: RunOptions) {
  let connections: Promise<DbConnections> | undefined;
  return {
    open(): Promise<DbConnections> {
      connections ??= import('@sortie/db').then(({ DbConnections }) => {
        const rendered = renderValue(configs ?? {}, vars, { strict: options.strictVariables ?? true });
        return new DbConnections(rendered, { redactor: options.redactor });
      });
      return connections;
    },
    async close(): Promise<void> {
      if (connections !== undefined) await (await connections.catch(() => undefined))?.close();
    },
  };
}

/** Faker is loaded only when a template needs it; `$guid`, `$timestamp`… work without it. */
function createDynamic(faker: boolean, options: RunOptions): Promise<DynamicValues> {
  const settings: { seed?: number; locale?: string } = {};
  if (options.seed !== undefined) settings.seed = options.seed;
  if (options.locale !== undefined) settings.locale = options.locale;
  return faker || options.locale !== undefined ? createDynamicValues(settings) : Promise.resolve(createBuiltinDynamicValues(settings));
}

function resolveOptions(scenario: SourceFile<Scenario>, options: RunOptions, dynamic: DynamicValues): ResolvedOptions {
  const own = scenario.value.options ?? {};
  return {
    timeoutRequest: options.timeoutRequest ?? own.timeoutRequest ?? DEFAULT_TIMEOUT_MS,
    followRedirects: own.followRedirects ?? true,
    maxRedirects: own.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    maxBodyInReport: own.maxBodyInReport ?? options.maxBodyInReport ?? DEFAULT_MAX_BODY_IN_REPORT,
    onError: own.onError ?? 'end',
    strictVariables: options.strictVariables ?? true,
    dynamic,
  };
}
