import { type AuthSessionOptions, openAuthSession } from '@sortie/auth/session';
import {
  addTotals,
  type Environment,
  ErrorCode,
  emptyTotals,
  findDeselectedSteps,
  isRunTimeLimit,
  type NotRunReason,
  type OmittedCounts,
  RunCancelled,
  type RunEvent,
  type RunResult,
  type Scenario,
  type ScenarioAttempt,
  type ScenarioResult,
  type ScenarioStartEvent,
  SortieError,
  type StepStatus,
  type Totals,
  worstStatus,
} from '@sortie/core';
import type { DatabaseConnection, DbConnections } from '@sortie/db';
import { loadSelectorSupport } from '@sortie/extract';
import { createHttpClient, DEFAULT_MAX_RESPONSE_BYTES, type HttpClient } from '@sortie/http';
import {
  createBuiltinDynamicValues,
  createDynamicValues,
  type DynamicValues,
  renderValue,
  scenarioRunSeed,
  Variables,
} from '@sortie/template';
import { checkRunOptions } from './check-run-options.js';
import { type ResolvedOptions, readServices, type ScenarioContext } from './context.js';
import { loadContracts } from './contracts.js';
import { endDbScope } from './db-operation.js';
import { CarriedVariables } from './flow/carried-variables.js';
import { DEFAULT_TEARDOWN_GRACE_MS, startGrace, startRunTimeout } from './flow/grace.js';
import { letSignalsIn, shouldLetSignalsIn } from './flow/let-signals-in.js';
import { reportNotRun } from './flow/not-run.js';
import { retryFailed } from './flow/retry-failed.js';
import { runPool } from './flow/run-pool.js';
import { formatRunKey, planScenarioRuns, type ScenarioRun } from './flow/scenario-runs.js';
import { SharedTotals } from './flow/shared-totals.js';
import { resolveHttpSettings } from './http-settings.js';
import { redactEvent } from './redact-event.js';
import { DEFAULT_MAX_BODY_IN_REPORT, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS, type RunOptions, type SourceFile } from './run-options.js';
import { scanScenarioNeeds, scriptSourcesNeedDynamicValues } from './scenario-needs.js';
import { failedScenario, runScenario, type ScenarioOutcome, type ScenarioRunExtra } from './scenario-runner.js';
import { createScriptHost, type ScriptHostOptions } from './scripts/script-host.js';

/**
 * Runs every scenario run — each scenario once, or once per iteration-data row / `iterations` times —
 * `parallel` at a time (default 1), and reports everything as events. Each scenario run has its own
 * variables (local, data, scenario); environment and global scopes, the HTTP client and the database
 * connections are shared. RunResult.scenarios keeps the planned order (file, then iteration) whatever
 * order parallel runs end in; nothing of a finished scenario run is kept but its ScenarioResult.
 * Resolves with the run result; never rejects for anything an API or a scenario does.
 */
export async function runScenarios(options: RunOptions): Promise<RunResult> {
  checkRunOptions(options);
  const startedAt = Date.now();
  const started = performance.now();
  // Every event is redacted once, here, on its way out (see redact-event.ts).
  const emit = (event: RunEvent) => options.onEvent(redactEvent(event, options.redactor));
  emit({ type: 'run:start', startedAt, files: options.scenarios.map((s) => s.file) });

  const includes = options.includes ?? new Map<string, SourceFile<Scenario>>();
  const hookScenarios = [options.hooks?.beforeAll, options.hooks?.afterAll].flatMap((hook) => (hook === undefined ? [] : [hook.scenario]));
  const sources = [...options.scenarios, ...hookScenarios, ...includes.values()];
  const needs = scanScenarioNeeds(sources.map((s) => s.value));
  const scripts = createScriptHost(scriptHostOptions(options));
  if (!needs.faker && needs.scripts) needs.faker = await scriptSourcesNeedDynamicValues(sources, scripts);
  const [dynamic] = await Promise.all([createDynamic(needs.faker, options), loadSelectorSupport({ xml: needs.xml, schema: needs.schema })]);
  // Each OpenAPI description is loaded and compiled once per run (its schemas compiled on first use).
  const contracts = needs.contracts ? await loadContracts([...options.scenarios, ...includes.values()], options.files) : new Map();
  const httpSettings = await resolveHttpSettings(options, options.redactor);
  if (options.connectionPool !== undefined) httpSettings.pool = options.connectionPool;
  const http = createHttpClient(httpSettings);
  const environment = options.environment?.value;
  const { services, defaultService } = readServices(environment);
  // Environment and global scopes are shared by every scenario of the run (like a Postman environment).
  const shared = options.sharedVariables ?? new Variables();
  for (const [name, value] of Object.entries({ ...(environment?.variables ?? {}), ...(options.envVars ?? {}) }))
    shared.set('environment', name, value);
  for (const [name, value] of Object.entries(options.globals ?? {})) shared.set('global', name, value);

  const databases = lazyDatabases(environment?.databases, shared, options);
  await databases.registerPasswords();
  // The sandbox (QuickJS compiled, kernel evaluated: tens of ms) starts now, alongside the first
  // requests, instead of stalling the first script. A failure surfaces at that script, as before.
  if (needs.scripts) scripts.sandbox.get().catch(() => undefined);
  // pm.info.iterationCount: -n, else the number of data rows, else 1.
  const iterationCount = options.iterations ?? (options.iterationData?.length || 1);
  const auth = openAuthSession(authSessionOptions(http, emit, options));

  const plan = planScenarioRuns(options);
  const findInclude = (file: string) => findIncluded(includes, file);
  // Teardowns and afterAll still run after an interrupt, until the grace period ends.
  // --timeout-run stops the run as an interrupt does (teardowns and afterAll still run within the grace period).
  const stop = startRunTimeout(options.signal, options.timeoutRun, emit);
  // …and cuts the request or database operation in flight when it passes, as --timeout's deadline does
  // in `sortie run`: an agent's run (options.timeoutRun) let the request run to its end and pass.
  const deadline = options.deadline ?? (options.timeoutRun === undefined ? undefined : Date.now() + options.timeoutRun);
  const grace = startGrace(stop.signal, options.teardownGrace ?? DEFAULT_TEARDOWN_GRACE_MS);
  // With --seed, each scenario run generates from its own seed (its place in the plan, its attempt):
  // its values do not depend on the runs before it, so a shard of the run (--remote --shards) and a
  // --parallel run generate what the whole run does. Hooks generate from the run's seed.
  const dynamicOf = (extra: ScenarioRunExtra): DynamicValues =>
    options.seed === undefined || extra.index === undefined || dynamic.withSeed === undefined
      ? dynamic
      : dynamic.withSeed(scenarioRunSeed(options.seed, extra.index, extra.attempt ?? 1), { exclusive: (options.parallel ?? 1) === 1 });
  const carried = new CarriedVariables();
  /** Runs one scenario run (or a hook); never rejects. */
  const runOne = async (run: ScenarioRun, extra: ScenarioRunExtra = {}): Promise<ScenarioOutcome> => {
    const vars = shared.fork(['environment', 'global']);
    if (run.row !== undefined) for (const [name, value] of Object.entries(run.row)) vars.set('data', name, value);
    const ctx: ScenarioContext = {
      scenario: run.scenario,
      key: formatRunKey(run.scenario.file, run.iteration),
      vars,
      http,
      services,
      // afterAll runs past the time limit, within the grace period, as teardowns do (lifecycle.ts teardownContext).
      options: resolveOptions(run.scenario, options, dynamicOf(extra), extra.hook === 'afterAll' ? undefined : deadline),
      redactor: options.redactor,
      emit,
      databases: databases.open,
      db: {},
      scripts,
      auth,
      contracts,
    };
    if (run.iteration !== undefined) ctx.iteration = run.iteration;
    ctx.iterationCount = iterationCount;
    if (defaultService !== undefined) ctx.defaultService = defaultService;
    if (environment !== undefined) ctx.environment = environment;
    if (options.environment !== undefined) ctx.environmentFile = options.environment;
    const signal = extra.hook === 'afterAll' ? grace.signal : stop.signal;
    if (signal !== undefined) ctx.signal = signal;
    if (grace.signal !== undefined) ctx.teardownSignal = grace.signal;
    try {
      initScenarioVariables(vars, run.scenario, ctx.options);
      carried.restore(run.scenario, vars);
      return await runScenario(ctx, { bail: options.bail ?? false, findInclude, ...extra }).finally(() => {
        carried.save(run.scenario, vars);
        return endDbScope(ctx);
      });
    } catch (error) {
      const result = failedScenario(ctx, error);
      if (extra.hook !== undefined) result.hook = extra.hook;
      emit(scenarioStartOf(result, extra));
      emit(extra.index === undefined ? { type: 'scenario:end', result } : { type: 'scenario:end', result, index: extra.index });
      return { result, bail: options.bail ?? false };
    }
  };
  // Results by run index: parallel runs end in any order, the report keeps the planned order.
  // keepResults 'problems': only the results worth listing, by index; the rest is folded into `kept`'s counts.
  const kept = new KeptResults(plan.count, options.keepResults ?? 'all', options.failOnFlaky === true);
  const hooks: { beforeAll?: ScenarioResult; afterAll?: ScenarioResult } = {};
  let bailed = false;
  let notRun: NotRunReason | undefined;
  try {
    const before = options.hooks?.beforeAll;
    if (before !== undefined) {
      hooks.beforeAll = (await runOne({ scenario: before.scenario }, { hook: 'beforeAll', exports: before.export ?? [] })).result;
      if (isProblem(hooks.beforeAll.status)) notRun = 'beforeAll';
    }
    if (notRun === undefined) {
      const totals = new SharedTotals();
      const job = async (index: number): Promise<boolean> => {
        const outcome = await runOne(plan.at(index), { index: plan.placeOf(index) });
        kept.started(index);
        totals.share(outcome.result);
        kept.set(index, outcome.result);
        if (outcome.bail) bailed = true;
        return outcome.bail;
      };
      const bailedElsewhere = () => options.bailSignal?.aborted === true;
      await runPool(plan.count, options.parallel ?? 1, job, stop.signal, bailedElsewhere);
      // A signal that came while the last job kept the thread busy (a spinning script, until its time
      // limit) is acted on before the verdict: the run is interrupted, not failed (see let-signals-in.ts).
      if (shouldLetSignalsIn()) await letSignalsIn();
      if (bailedElsewhere() && kept.startedCount < plan.count) bailed = true;
      if (!bailed && options.retryFailed !== undefined && options.retryFailed > 0) {
        // Only kept results can have failed: retried by their place in the kept list, written back by run index.
        const indices = kept.indices();
        const list = indices.map((index) => kept.get(index));
        const rerun = (at: number, attempt: number, previous: ScenarioAttempt[]) =>
          runOne(plan.at(indices[at] as number), { attempt, previous, index: plan.placeOf(indices[at] as number) });
        await retryFailed(list, options.retryFailed, rerun, {
          ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
          ...(stop.signal === undefined ? {} : { signal: stop.signal }),
        });
        for (const [at, index] of indices.entries()) kept.replace(index, list[at] as ScenarioResult);
      }
    }
    // A run cut short by a signal or --bail, or whose beforeAll failed, still lists every scenario run: those that never started as skipped.
    if (stop.signal?.aborted === true) notRun ??= stop.signal.reason instanceof RunCancelled ? 'cancelled' : 'interrupted';
    else if (bailed) notRun ??= 'bail';
    if (notRun !== undefined)
      for (let index = kept.startedCount; index < plan.count; index++)
        kept.set(index, reportNotRun(plan.at(index), notRun, emit, plan.placeOf(index)));
    const after = options.hooks?.afterAll;
    if (after !== undefined && grace.signal?.aborted !== true)
      hooks.afterAll = (await runOne({ scenario: after.scenario }, { hook: 'afterAll' })).result;
  } finally {
    stop.dispose();
    grace.dispose();
    scripts.dispose();
    await Promise.all([auth.close(), databases.close()]);
    try {
      if (options.onCookies !== undefined) await options.onCookies(await http.exportCookies());
    } finally {
      await http.close();
    }
  }
  const interrupted = stop.signal?.aborted === true;
  const totals = kept.omittedTotals();
  const scenarios: ScenarioResult[] = [];
  let status: StepStatus = kept.omittedStatus;
  for (const result of [hooks.beforeAll, ...kept.list(), hooks.afterAll]) {
    if (result === undefined) continue;
    scenarios.push(result);
    addTotals(totals, result.totals);
    status = worstStatus(status, runStatusOf(result, options.failOnFlaky === true));
  }
  const result: RunResult = {
    status: interrupted ? 'interrupted' : status,
    startedAt,
    durationMs: performance.now() - started,
    totals,
    scenarios,
  };
  if (options.keepResults === 'problems') {
    result.omittedScenarios = kept.omitted;
    result.omittedCounts = { ...kept.omittedCounts };
  }
  if (bailed) result.bailed = true;
  if (interrupted && isRunTimeLimit(stop.signal?.reason)) result.timedOut = true;
  if (interrupted && stop.signal?.reason instanceof RunCancelled) result.cancelled = true;
  if (options.failOnFlaky === true) result.failOnFlaky = true;
  emit({ type: 'run:end', result });
  return result;
}

/** What one scenario run makes of the run's status. */
function runStatusOf(result: ScenarioResult, failOnFlaky: boolean): StepStatus {
  let status: StepStatus = result.status === 'skipped' ? 'passed' : result.status;
  // A teardown that failed makes the run fail, though the scenario's own outcome stands.
  if (result.teardown !== undefined) status = worstStatus(status, result.teardown === 'skipped' ? 'passed' : result.teardown);
  if (failOnFlaky && isFlaky(result)) status = worstStatus(status, 'failed');
  return status;
}

/**
 * The results of the scenario runs by run index (runs start in index order: see runPool). With
 * 'all', every result in a list as long as the plan; with 'problems', only those worth listing
 * (not simply passed) in a map, and the others added to totals, a status and a count as they end,
 * so memory does not grow with the number of passing runs.
 */
class KeptResults {
  readonly #all: Array<ScenarioResult | undefined> | undefined;
  readonly #problems = new Map<number, ScenarioResult>();
  readonly #omittedTotals = emptyTotals();
  readonly #failOnFlaky: boolean;
  omittedStatus: StepStatus = 'passed';
  omitted = 0;
  readonly omittedCounts: OmittedCounts = { passed: 0, skipped: 0, teardowns: 0 };
  /** Runs 0..startedCount-1 started (and so ended by the time the pool resolves). */
  startedCount = 0;

  constructor(count: number, keep: 'all' | 'problems', failOnFlaky: boolean) {
    this.#all = keep === 'all' ? new Array(count) : undefined;
    this.#failOnFlaky = failOnFlaky;
  }

  started(index: number): void {
    this.startedCount = Math.max(this.startedCount, index + 1);
  }

  set(index: number, result: ScenarioResult): void {
    if (this.#all !== undefined) this.#all[index] = result;
    else if (isWorthListing(result)) this.#problems.set(index, result);
    else {
      addTotals(this.#omittedTotals, result.totals);
      this.omittedStatus = worstStatus(this.omittedStatus, runStatusOf(result, this.#failOnFlaky));
      this.omitted++;
      // Not worth listing: it passed or was skipped (by tags), its teardowns too.
      if (result.status === 'skipped') this.omittedCounts.skipped++;
      else this.omittedCounts.passed++;
      if (result.teardown !== undefined) this.omittedCounts.teardowns++;
    }
  }

  /** A rerun's result in place of the earlier one (kept: it carries the earlier attempts). */
  replace(index: number, result: ScenarioResult): void {
    if (this.#all !== undefined) this.#all[index] = result;
    else this.#problems.set(index, result);
  }

  get(index: number): ScenarioResult | undefined {
    return this.#all !== undefined ? this.#all[index] : this.#problems.get(index);
  }

  /** The run indices that hold a result, in order. */
  indices(): number[] {
    if (this.#all !== undefined) return Array.from(this.#all.keys());
    return [...this.#problems.keys()].sort((a, b) => a - b);
  }

  /** The kept results in run order (with 'all', undefined for runs that never ended). */
  list(): Array<ScenarioResult | undefined> {
    return this.#all ?? this.indices().map((index) => this.#problems.get(index));
  }

  omittedTotals(): Totals {
    return { ...this.#omittedTotals };
  }
}

/** A scenario run that did not simply pass (or was skipped by tags): listed even with keepResults 'problems'. */
function isWorthListing(result: ScenarioResult): boolean {
  return (
    isProblem(result.status) ||
    result.notRun !== undefined ||
    result.interrupted === true ||
    isFlaky(result) ||
    result.attempts !== undefined ||
    result.error !== undefined ||
    (result.teardown !== undefined && isProblem(result.teardown)) ||
    result.hook !== undefined
  );
}

function isProblem(status: StepStatus): boolean {
  return status === 'failed' || status === 'error';
}

/** A scenario run that passed only on a rerun, or with steps that passed only on a retry. */
function isFlaky(result: ScenarioResult): boolean {
  return result.flaky === true || (result.totals.flaky ?? 0) > 0;
}

/** The scenario:start of a scenario run that could not start. */
function scenarioStartOf(result: ScenarioResult, extra: ScenarioRunExtra): ScenarioStartEvent {
  const event: ScenarioStartEvent = { type: 'scenario:start', name: result.name, file: result.file };
  if (result.iteration !== undefined) event.iteration = result.iteration;
  if (extra.hook !== undefined) event.hook = extra.hook;
  if (extra.attempt !== undefined) event.attempt = extra.attempt;
  return event;
}

/** An included scenario of the run; one that is not among the validated includes is not run. */
function findIncluded(includes: ReadonlyMap<string, SourceFile<Scenario>>, file: string): SourceFile<Scenario> {
  const found = includes.get(file);
  if (found !== undefined) return found;
  throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Include not loaded', `the included scenario ${file} is not among the run's inputs`, {
    hint: 'load the scenarios with loadPlan (@sortie/project), which validates every included file',
  });
}

/** Scenario defaults, then variables, may refer to the environment and globals: render them once, in order. */
function initScenarioVariables(vars: Variables, scenario: SourceFile<Scenario>, options: ResolvedOptions): void {
  for (const [name, value] of Object.entries(scenario.value.defaults ?? {})) {
    vars.set('defaults', name, renderValue(value, vars, options.render));
  }
  for (const [name, value] of Object.entries(scenario.value.variables ?? {})) {
    vars.set('scenario', name, renderValue(value, vars, options.render));
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
    /**
     * Registers with the redactor, before anything runs, the passwords (plain or inside a `url`) that
     * the settings hold already, written out or from the environment and globals: a response or a log
     * showing one before the first db operation (or in a run without any) is redacted too. Settings
     * that use a variable set later register when the connections open.
     */
    async registerPasswords(): Promise<void> {
      const known: Record<string, DatabaseConnection> = {};
      for (const [name, config] of Object.entries(configs ?? {})) {
        const settings: DatabaseConnection = { type: config.type };
        for (const field of ['password', 'url'] as const) {
          const value = config[field];
          if (typeof value !== 'string') continue;
          const rendered = renderValue(value, vars, { strict: false });
          if (typeof rendered === 'string' && !rendered.includes('{{')) settings[field] = rendered;
        }
        if (settings.password !== undefined || settings.url !== undefined) known[name] = settings;
      }
      if (Object.keys(known).length === 0) return;
      const { registerSecrets } = await import('@sortie/db');
      registerSecrets(options.redactor, known);
    },
  };
}

/** The run's auth: token requests and NTLM handshakes go through the run's HTTP client and stop with the run. */
function authSessionOptions(http: HttpClient, emit: (event: RunEvent) => void, options: RunOptions): AuthSessionOptions {
  const auth: AuthSessionOptions = {
    send: (request) => http.send(request),
    openConnection: (url) => http.sendOnDedicatedConnection(url),
    redactor: options.redactor,
    emit,
  };
  if (options.signal !== undefined) auth.signal = options.signal;
  if (options.tokenCache !== undefined) auth.tokenCache = options.tokenCache;
  if (options.sharedTokens !== undefined) auth.sharedTokens = options.sharedTokens;
  auth.onWarning = (message) => emit({ type: 'log', level: 'warn', message });
  // Someone at a terminal can finish a device sign-in during the run; unattended runs are told to use `sortie auth login`.
  if (options.interactive === true) {
    auth.onDeviceAuthorization = (prompt) => {
      const url = prompt.verificationUriComplete ?? prompt.verificationUri;
      emit({ type: 'log', level: 'warn', message: `To sign in, open ${url} and enter the code ${prompt.userCode}` });
    };
  }
  return auth;
}

function scriptHostOptions(options: RunOptions): ScriptHostOptions {
  const host: ScriptHostOptions = {};
  if (options.scriptLibraries !== undefined) host.libraries = options.scriptLibraries;
  if (options.files !== undefined) host.files = options.files;
  if (options.scriptTimeout !== undefined) host.timeLimitMs = options.scriptTimeout;
  if (options.sandboxLibrariesDir !== undefined) host.librariesDir = options.sandboxLibrariesDir;
  if (options.scriptsStopOnSignals === true) host.watchProcessSignals = true;
  return host;
}

/** Faker is loaded only when a template needs it; `$guid`, `$timestamp`… work without it. */
function createDynamic(faker: boolean, options: RunOptions): Promise<DynamicValues> {
  const settings: { seed?: number; locale?: string } = {};
  if (options.seed !== undefined) settings.seed = options.seed;
  if (options.locale !== undefined) settings.locale = options.locale;
  return faker || options.locale !== undefined ? createDynamicValues(settings) : Promise.resolve(createBuiltinDynamicValues(settings));
}

function resolveOptions(
  scenario: SourceFile<Scenario>,
  options: RunOptions,
  dynamic: DynamicValues,
  deadline: number | undefined,
): ResolvedOptions {
  const own = scenario.value.options ?? {};
  const retry = own.retry ?? (options.retry === undefined ? undefined : { count: options.retry });
  const strictVariables = (options.strictVariables ?? true) && own.allowUnresolved !== true;
  return {
    timeoutRequest: options.timeoutRequest ?? own.timeoutRequest ?? DEFAULT_TIMEOUT_MS,
    followRedirects: own.followRedirects ?? true,
    maxRedirects: own.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    maxBodyInReport: own.maxBodyInReport ?? options.maxBodyInReport ?? DEFAULT_MAX_BODY_IN_REPORT,
    maxResponseBytes: own.maxResponseBytes ?? options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    onError: own.onError ?? 'end',
    dynamic,
    render:
      own.objectsInText === undefined
        ? { strict: strictVariables, dynamic }
        : { strict: strictVariables, dynamic, objects: own.objectsInText },
    deselected: findDeselectedSteps(scenario.value, options.tags ?? []),
    tags: options.tags ?? [],
    ...(retry === undefined ? {} : { retry }),
    ...(options.ignoreRedirects === true ? { ignoreRedirects: true } : {}),
    ...(deadline === undefined ? {} : { deadline }),
    ...(options.delayRequest === undefined || options.delayRequest === 0 ? {} : { delayRequest: options.delayRequest }),
    ...(options.files === undefined ? {} : { files: options.files }),
    ...(own.defaultScheme === undefined ? {} : { defaultScheme: own.defaultScheme }),
  };
}
