import { hostname } from 'node:os';
import type { SharedTokenStore } from '@sortie/api';
import { quietRepeats, RunCancelled, settlesWithin, sleep } from '@sortie/core';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Heartbeat, refuseLiveName } from './heartbeat.js';
import {
  blockingConnectionReady,
  bullmqConnection,
  CANCEL_FLAG,
  closeWhenReady,
  DEFAULT_POOL,
  emptyCounts,
  packReport,
  queueName,
  REDIS_KEYS,
  type RunJobData,
  type RunJobResult,
} from './protocol.js';
import { RedisTokenStore } from './redis-token-store.js';
import { RunStreamWriter } from './run-stream.js';

/** What running one job needs; the agent wires it to the library's `run` (the same call as `sortie run`). */
export interface ExecuteContext {
  /** Aborted by a cancel (`reason` a RunCancelled) or at the end of the shutdown grace (`reason` 'interrupted'). */
  signal: AbortSignal;
  /** Aborted when another shard of the run bailed: the run stops as its own --bail would (RunOptions.bailSignal). */
  bailSignal?: AbortSignal;
  /** Every run event, in order; they reach the server's progress stream. */
  onEvent(event: unknown): void;
  agent: string;
  attempt: number;
  /** The tokens shared with the other agents, when the agent has a `tokenKey`. */
  sharedTokens?: SharedTokenStore;
  /**
   * A shard of a run with `--timeout-run`: the milliseconds left of the run's time limit, which counts
   * from when its first shard started (a shard that waited for an agent gets only what is left; 0 or
   * less when the time was up as it started).
   */
  timeLeftMs?: number;
}

export interface ExecuteResult {
  status: RunJobResult['status'];
  counts: RunJobResult['counts'];
  message?: string;
  /**
   * The run's report files, content by file name (the name the server stores it under). They are
   * made in memory (the reporters' `onReport`): a file per report, written, renamed and read back,
   * was about a fifth of an agent's CPU per one-request run (BENCHMARKS.md, issue 13).
   */
  reports: Map<string, Buffer>;
  /** `--bail` stopped the run. */
  bailed?: boolean;
}

export type ExecuteRun = (job: RunJobData, context: ExecuteContext) => Promise<ExecuteResult>;

export interface AgentOptions {
  /** `--redis`: a redis:// URL. */
  redis: string;
  /** `--pool` (default `default`). */
  pool?: string;
  /** `--concurrency`: runs at the same time (default 1). */
  concurrency?: number;
  /** `--name` (default host name and process id). */
  name?: string;
  version: string;
  execute: ExecuteRun;
  /**
   * How long a job's lock lasts without renewal, in ms (default 30,000): an agent killed mid-run is
   * noticed after about this long, and its run handed to another agent.
   */
  lockDurationMs?: number;
  /** How often agents look for runs whose agent died (default: `lockDurationMs`). */
  stalledIntervalMs?: number;
  /** Times a run may be handed on after its agent was lost (default 1); after that it ends as "agent lost". */
  maxStalledCount?: number;
  /** Heartbeat interval in ms (default 2,000). */
  heartbeatMs?: number;
  /**
   * SORTIE_TOKEN_KEY: share OAuth tokens with the other agents through Redis, encrypted under a key
   * derived from it (every agent of a team needs the same one). Without it, each agent keeps its
   * tokens to itself.
   */
  tokenKey?: string;
  /** Something for the operator (the CLI prints it; the library never does). */
  onLog?: (message: string) => void;
}

export interface RunningAgent {
  readonly name: string;
  /** Runs in hand. */
  busy(): number;
  /**
   * Graceful stop: takes no new job and waits for the runs in hand; after `graceMs` they are
   * interrupted (reported as interrupted) and the agent waits for them to end.
   */
  stop(graceMs?: number): Promise<void>;
}

/** After the grace, how long interrupted runs get to report before the agent stops without them. */
const STOP_AFTER_INTERRUPT_MS = 10_000;

/**
 * `sortie agent`: a BullMQ worker on the pool's queue. For each job it streams the run's events to
 * Redis, runs the plan with `execute`, stores the reports for the server, and returns the outcome.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const pool = options.pool ?? DEFAULT_POOL;
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const log = options.onLog ?? (() => {});
  // ioredis reconnects by itself; BullMQ's worker opens and closes its own connections.
  const data = new Redis(options.redis, { maxRetriesPerRequest: null });
  const subscriber = new Redis(options.redis, { maxRetriesPerRequest: null });
  for (const client of [data, subscriber]) client.on('error', () => {});
  /** The jobs in hand by job id (a run's own id, or a shard's: one agent may run several shards of a run). */
  const running = new Map<string, RunningJob>();
  const sharedTokens =
    options.tokenKey === undefined || options.tokenKey === '' ? undefined : new RedisTokenStore({ redis: data, secret: options.tokenKey });
  // Before anything is taken from the queue: a second agent of a live agent's name is refused.
  try {
    await refuseLiveName(data, name, options.heartbeatMs === undefined ? {} : { intervalMs: options.heartbeatMs });
  } catch (error) {
    data.disconnect();
    subscriber.disconnect();
    throw error;
  }
  const heartbeat = new Heartbeat(
    data,
    { name, pool, version: options.version, concurrency: options.concurrency ?? 1, startedAt: Date.now() },
    options.heartbeatMs === undefined ? {} : { intervalMs: options.heartbeatMs },
  );

  await subscriber.subscribe(REDIS_KEYS.cancelChannel);
  subscriber.on('message', (_channel: string, runId: string) => {
    const jobs = [...running.values()].filter((job) => job.runId === runId);
    if (jobs.length === 0) return;
    // The flag says why: another shard of the run bailed (its --bail stops this shard as its own
    // would: no new scenario run), or a cancel.
    void data.get(REDIS_KEYS.cancelFlag(runId)).then(
      (flag) => {
        for (const job of jobs) stopJob(job, flag);
      },
      () => {
        for (const job of jobs) stopJob(job, CANCEL_FLAG.cancel);
      },
    );
  });

  const processJob = async (job: Job<RunJobData, RunJobResult>): Promise<RunJobResult> => {
    const { runId, shard } = job.data;
    const jobId = job.id ?? runId;
    const attempt = job.stalledCounter + 1;
    const controller = new AbortController();
    const bail = new AbortController();
    const inHand: RunningJob = { runId, controller, bail };
    running.set(jobId, inHand);
    heartbeat.setBusy(running.size);
    const writer = new RunStreamWriter(data, runId, attempt, shard === undefined ? {} : { shard: shard.index });
    const what = shard === undefined ? `run ${runId}` : `run ${runId} shard ${shard.index + 1}/${shard.count}`;
    const startedAt = Date.now();
    try {
      // Cancelled before it started (a shard left queued when its run was cancelled): it reports its scenario runs as not run.
      const flag = await writer.start(name, REDIS_KEYS.cancelFlag(runId));
      const cancelledFirst = flag !== undefined && flag !== CANCEL_FLAG.bail;
      if (flag !== undefined) stopJob(inHand, flag);
      log(`${what}: started (attempt ${attempt})`);
      const timeoutRun = job.data.options.timeoutRun;
      const timeLeftMs = shard !== undefined && typeof timeoutRun === 'number' ? await runTimeLeft(data, runId, timeoutRun) : undefined;
      let outcome: ExecuteResult;
      try {
        outcome = await options.execute(await withPlan(data, job.data), {
          signal: controller.signal,
          bailSignal: bail.signal,
          onEvent: (event) => writer.event(event),
          agent: name,
          attempt,
          ...(sharedTokens === undefined ? {} : { sharedTokens }),
          ...(timeLeftMs === undefined ? {} : { timeLeftMs }),
        });
      } catch (error) {
        outcome = {
          status: 'error',
          counts: emptyCounts(),
          message: `the agent could not run the plan: ${describe(error)}`,
          reports: new Map(),
        };
      }
      if (inHand.lockLost === true) {
        // Another agent runs it (or will: the stalled check hands it on): an end written now could be
        // read as the run's before the next attempt starts. BullMQ refuses to finish the job for us anyway.
        log(`${what}: stopped, job lock lost (Redis away longer than the lock duration?): the run is handed to another agent`);
        await writer.flush().catch(() => {});
        throw new Error(`the lock of job ${jobId} was lost`);
      }
      if (cancelledFirst && outcome.status === 'cancelled') outcome.message = 'cancelled before it started';
      const files = new Map<string, Buffer>();
      for (const [fileName, content] of outcome.reports) files.set(fileName, packReport(content));
      const result: RunJobResult = {
        runId,
        agent: name,
        status: outcome.status,
        counts: outcome.counts,
        startedAt,
        endedAt: Date.now(),
        reports: [...files.keys()],
      };
      if (outcome.message !== undefined) result.message = outcome.message;
      if (shard !== undefined) result.shard = shard.index;
      // What the server makes the split run's reports of, even if Redis lost the run's jobs meanwhile.
      if (shard !== undefined && job.data.runReports !== undefined) result.runReports = job.data.runReports;
      if (outcome.bailed === true) result.bailed = true;
      // The reports and the end entry in one MULTI: the server never reads an end without its reports.
      await writer.end(result, { key: REDIS_KEYS.reports(runId, shard?.index), files, ttlSeconds: REPORTS_TTL_SECONDS });
      log(`${what}: ${result.status}`);
      return result;
    } finally {
      running.delete(jobId);
      heartbeat.setBusy(running.size);
    }
  };

  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker<RunJobData, RunJobResult>(queueName(pool), processJob, {
    connection: bullmqConnection(options.redis),
    concurrency: options.concurrency ?? 1,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? lockDuration,
    maxStalledCount: options.maxStalledCount ?? 1,
    autorun: false,
  });
  const blockingReady = blockingConnectionReady(worker);
  const queueLog = quietRepeats(log);
  worker.on('error', (error) => queueLog(`queue error: ${describe(error)}`));
  // The lock of a job in hand could not be renewed because it is gone or another worker holds it
  // (Redis was away longer than the lock duration): BullMQ hands the job to another agent as stalled,
  // and this attempt went on beside the next one, making every request again. It is stopped.
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    for (const jobId of jobIds) {
      const inHand = running.get(jobId);
      if (inHand === undefined || inHand.lockLost === true) continue;
      inHand.lockLost = true;
      inHand.controller.abort('interrupted');
    }
  });
  await heartbeat.start();
  void worker.run();

  let stopping: Promise<void> | undefined;
  return {
    name,
    busy: () => running.size,
    stop(graceMs = 30_000) {
      stopping ??= (async () => {
        // BullMQ's close waits on Redis, and closed while Redis is down it can fail later with an
        // 'error' nobody listens to any more: it is left alone then (with Redis down no new run can
        // come anyway) and the runs in hand are waited for here.
        const closing = (await answers(data)) ? closeWhenReady(worker, [blockingReady]) : undefined;
        const grace = setTimeout(() => {
          for (const { controller } of running.values()) controller.abort('interrupted');
        }, graceMs);
        // The runs in hand end within the grace, or soon after being interrupted; then BullMQ's close
        // records their outcome. With Redis down or frozen that cannot happen: the agent goes once no
        // run is in hand and Redis does not answer, or at the latest a while after the grace. BullMQ
        // hands a run that could not report on as stalled once Redis is back.
        const deadline = Date.now() + graceMs + STOP_AFTER_INTERRUPT_MS;
        for (;;) {
          if (closing === undefined ? running.size === 0 : await settlesWithin(closing, 500)) break;
          if (closing === undefined) await sleep(250);
          if (Date.now() > deadline || (running.size === 0 && !(await answers(data)))) {
            if (running.size > 0) log(`stopping without reaching Redis: ${running.size} run(s) will be handed on when it is back`);
            break;
          }
        }
        clearTimeout(grace);
        await settlesWithin(subscriber.unsubscribe(), 1_000);
        await settlesWithin(heartbeat.stop(), 1_000);
        for (const client of [data, subscriber]) client.disconnect();
      })();
      return stopping;
    },
  };
}

/** A job in hand: `controller` aborts it (a cancel, the end of the grace), `bail` stops it as --bail does. */
interface RunningJob {
  runId: string;
  controller: AbortController;
  bail: AbortController;
  /** The job's lock was lost (BullMQ hands, or has handed, the run to another agent): this attempt no longer counts. */
  lockLost?: boolean;
}

/** Stops a job for its run's cancel flag: as --bail would when another shard bailed, else cancelled. */
function stopJob(job: RunningJob, flag: string | null): void {
  if (flag === CANCEL_FLAG.bail) job.bail.abort();
  else job.controller.abort(new RunCancelled());
}

/**
 * The job with its plan: a shard job's is stored once for the run's shards (REDIS_KEYS.plan), a large
 * plan's once for all its runs (`planKey`).
 */
async function withPlan(redis: Redis, job: RunJobData): Promise<RunJobData> {
  if (job.plan !== undefined) return job;
  const text = await redis.get(job.planKey ?? REDIS_KEYS.plan(job.runId));
  if (text === null) throw new Error('its plan is no longer in Redis (the run ended, or Redis lost its data)');
  return { ...job, plan: JSON.parse(text) as unknown };
}

/** Report files wait in Redis, one hash per run, until the server takes them (a day at most). */
const REPORTS_TTL_SECONDS = 86_400;

/** Whether Redis answers a PING within a second (a command waits for ever while it is down or frozen). */
async function answers(redis: Redis): Promise<boolean> {
  let ok = false;
  await settlesWithin(
    redis.ping().then(() => {
      ok = true;
    }),
    1_000,
  );
  return ok;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What is left of the `--timeout-run` of a run split into shards: its time limit counts from when its
 * first shard started, by Redis's clock (the same for every agent), as a run's counts from its start.
 * 0 or less: the time was up when this shard started.
 */
async function runTimeLeft(redis: Redis, runId: string, timeoutRun: number): Promise<number> {
  const [seconds, micros] = await redis.time();
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const key = REDIS_KEYS.shardsStarted(runId);
  await redis.set(key, String(now), 'EX', 86_400, 'NX');
  const started = Number((await redis.get(key)) ?? now);
  return timeoutRun - Math.max(0, now - started);
}
