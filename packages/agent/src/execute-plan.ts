import { basename, extname } from 'node:path';
import {
  type ConnectionPool,
  createEventLogReporter,
  createHtmlReporter,
  createJsonReporter,
  createJunitReporter,
  isSortieError,
  Redactor,
  type Reporter,
  type RunOutcome,
  type RunPlan,
  type RunResult,
  type RunSettings,
  resolveGlobalSecrets,
  run,
  type SharedTokenStore,
} from '@sortie/api';
import { RunCancelled, RunTimeLimitReached } from '@sortie/core';
import type { ExecuteResult, ExecuteRun } from './agent.js';
import { emptyCounts, type RunJobResult, SHARD_LOG, VIEW_REPORT } from './protocol.js';
import { runOptionsOf } from './run-options.js';

export interface PlanExecutorOptions {
  /** The agent's process environment: where secret values come from (with `.env` in `cwd`). */
  env: Record<string, string | undefined>;
  /** The agent's working directory: the plan's root on this machine (its `.env`, exports). */
  cwd: string;
  version: string;
  /** The bundled CLI's sandbox libraries folder. */
  sandboxLibrariesDir?: string;
  /**
   * Tokens shared with the other agents (a {@link RedisTokenStore}); else the one `startAgent` made
   * from its `tokenKey` (`context.sharedTokens`), else each run keeps its tokens to itself.
   */
  sharedTokens?: SharedTokenStore;
  /**
   * Keep-alive connections the runs share (`createConnectionPool`; the caller closes it when the agent
   * stops): each run still has its own HTTP client and cookie jar, but not a new connection. Default:
   * each run opens its own connections, and closes them at its end.
   */
  connectionPool?: ConnectionPool;
}

/** Report file names by reporter name, and how each reporter is made (the same as `sortie run`'s). */
const REPORTS: Record<
  string,
  {
    file: string;
    create: (
      options: { file: string; redactor: Redactor; toolVersion: string; onReport: (content: Buffer) => void },
      plan: RunPlan,
    ) => Reporter;
  }
> = {
  json: { file: 'report.json', create: (options) => createJsonReporter(options) },
  junit: { file: 'junit.xml', create: (options) => createJunitReporter(options) },
  html: {
    file: 'report.html',
    create: (options, plan) => {
      const environment = environmentName(plan);
      return createHtmlReporter(environment === undefined ? options : { ...options, environment });
    },
  },
  // A shard's events, from which the server makes the reports of a run split into shards.
  [SHARD_LOG.name]: { file: SHARD_LOG.file, create: (options) => createEventLogReporter(options) },
  [VIEW_REPORT.name]: {
    file: VIEW_REPORT.file,
    create: (options, plan) => {
      const environment = environmentName(plan);
      return createHtmlReporter(environment === undefined ? { ...options, fragment: true } : { ...options, environment, fragment: true });
    },
  },
};

/**
 * The reporters of the report names `names` (unknown names are left out), each making its report in
 * memory: `made` has each report's bytes by file name once the reporters are closed. The agent makes
 * a run's reports with them, the server a run's split into shards (from the shards' event logs).
 */
export function reportersFor(
  names: readonly string[],
  plan: RunPlan,
  options: { redactor: Redactor; toolVersion: string },
): { reporters: Reporter[]; made: Map<string, Buffer> } {
  const reporters: Reporter[] = [];
  const made = new Map<string, Buffer>();
  for (const name of names) {
    const report = REPORTS[name];
    if (report === undefined) continue;
    const onReport = (content: Buffer) => made.set(report.file, content);
    reporters.push(report.create({ file: report.file, redactor: options.redactor, toolVersion: options.toolVersion, onReport }, plan));
  }
  return { reporters, made };
}

/** The file name of report `name` (`json` → `report.json`), if it is one. */
export function reportFileOf(name: string): string | undefined {
  return REPORTS[name]?.file;
}

/**
 * The agent's executor: runs a job's plan with the library's `run`, the same call as `sortie run`.
 * Secret values come from the agent's own environment; a missing one is a run error naming the agent.
 */
export function createPlanExecutor(options: PlanExecutorOptions): ExecuteRun {
  return async (job, context): Promise<ExecuteResult> => {
    const redactor = new Redactor();
    // The reports are made in memory: the agent sends them through Redis, never from a file.
    const { reporters, made } = reportersFor(job.reports, job.plan as RunPlan, { redactor, toolVersion: options.version });
    const settings: RunSettings = {
      env: options.env,
      root: options.cwd,
      redactor,
      reporters,
      onEvent: context.onEvent,
      ...runOptionsOf(job.options),
    };
    settings.options = {
      ...settings.options,
      signal: context.signal,
      ...(context.bailSignal === undefined ? {} : { bailSignal: context.bailSignal }),
      ...(options.sandboxLibrariesDir === undefined ? {} : { sandboxLibrariesDir: options.sandboxLibrariesDir }),
    };
    // With no report to write, the job's result needs only its status and counts: the engine keeps no
    // result per passing scenario run, so a long data-driven job's memory does not grow with its rows.
    if (reporters.length === 0) settings.options.keepResults = 'problems';
    if (job.shard !== undefined) {
      settings.options.shard = job.shard;
      // --timeout-run: what is left of the run's time limit when this shard started. None left: it
      // starts no scenario run (each reported not run, as a run's once its time is up).
      if (context.timeLeftMs !== undefined && context.timeLeftMs > 0) settings.options.timeoutRun = context.timeLeftMs;
      else if (context.timeLeftMs !== undefined) {
        delete settings.options.timeoutRun;
        settings.options.signal = AbortSignal.any([context.signal, AbortSignal.abort(new RunTimeLimitReached())]);
      }
      // Its run:end (in the event log) lists only the runs worth listing, as a long local run's does.
      settings.options.keepResults = 'problems';
    }
    const sharedTokens = options.sharedTokens ?? context.sharedTokens;
    if (sharedTokens !== undefined) settings.options.sharedTokens = sharedTokens;
    if (options.connectionPool !== undefined) settings.options.connectionPool = options.connectionPool;
    let result: RunOutcome;
    try {
      // Globals a globals file (-g) types secret travel as names only: their values are this agent's.
      const globalSecrets = await resolveGlobalSecrets(job.plan as RunPlan, stringList(job.options.globalSecrets), {
        env: options.env,
        root: options.cwd,
      });
      for (const value of Object.values(globalSecrets)) redactor.add(value);
      settings.globals = { ...globalSecrets, ...settings.globals };
      result = await run(job.plan as RunPlan, settings);
    } catch (error) {
      const message = isSortieError(error) ? `${error.title}: ${error.message}` : error instanceof Error ? error.message : String(error);
      return { status: 'error', counts: emptyCounts(), message: `agent ${context.agent}: ${redactor.redact(message)}`, reports: new Map() };
    }
    // In the order the submission named them (a reporter hands its report over when the run ends).
    const reports = new Map<string, Buffer>();
    for (const name of job.reports) {
      const file = reportFileOf(name);
      const content = file === undefined ? undefined : made.get(file);
      if (file !== undefined && content !== undefined) reports.set(file, content);
    }
    const aborted = !context.signal.aborted ? undefined : context.signal.reason instanceof RunCancelled ? 'cancelled' : 'interrupted';
    const outcome: ExecuteResult = { status: aborted ?? jobStatusOf(result), counts: countsOf(result), reports };
    if (result.bailed === true) outcome.bailed = true;
    if (aborted !== undefined)
      outcome.message = aborted === 'cancelled' ? 'cancelled while it ran' : `interrupted: agent ${context.agent} was stopping`;
    // A report the agent could not make (its temporary files, a full disk): the run's outcome stands, the report is missing.
    else if (result.reportErrors !== undefined)
      outcome.message = `agent ${context.agent}: ${redactor.redact(result.reportErrors.map((error) => `${error.title}: ${error.message}`).join('; '))}`;
    return outcome;
  };
}

/** The environment's name for the HTML report's summary, as `sortie run` shows it. */
function environmentName(plan: RunPlan): string | undefined {
  const file = plan.environmentFile;
  return file?.value.name ?? (file === undefined ? undefined : basename(file.file, extname(file.file)));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A job's status from its run's result (a run of skipped scenarios passed). */
export function jobStatusOf(result: RunResult): RunJobResult['status'] {
  return result.status === 'passed' || result.status === 'skipped' ? 'passed' : result.status === 'failed' ? 'failed' : 'error';
}

function countsOf(result: RunResult): RunJobResult['counts'] {
  const { totals } = result;
  return {
    scenarios: result.scenarios.length + (result.omittedScenarios ?? 0),
    steps: totals.steps,
    requests: totals.requests,
    passed: totals.passed,
    failed: totals.failed,
    errored: totals.errors,
    skipped: totals.skipped,
  };
}
