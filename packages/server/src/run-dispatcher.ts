import { randomUUID } from 'node:crypto';
import {
  bullmqConnection,
  CANCEL_FLAG,
  closeWhenReady,
  DEFAULT_POOL,
  POOL_NAME,
  queueName,
  REDIS_KEYS,
  type RunJobData,
  type RunJobResult,
  SHARD_LOG,
  SHARED_PLAN_BYTES,
  type StreamEntry,
  shardJobId,
  VIEW_REPORT,
  writeEndEntry,
} from '@sortie/agent';
import { ErrorCode, SortieError } from '@sortie/core';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PlanStorage } from './plan-storage.js';
import { requireRedis } from './redis-connection.js';
import { endResult } from './run-end.js';
import type { RunRecord, RunTrigger, ScheduleRecord, Store } from './store/store.js';

/** The report files a run can ask for, by reporter name. */
export const REPORT_NAMES = ['json', 'junit', 'html'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface SubmitRunOptions {
  planId: string;
  pool?: string;
  trigger: RunTrigger;
  scheduleId?: string;
  /** The `sortie run` options (environment, variables, iterations, parallel, bail, …). */
  options?: Record<string, unknown>;
  /** Reports to produce (default json and junit). */
  reports?: ReportName[];
}

/** How long the plan of a run split into shards is kept in Redis at most (the tracker deletes it when the run ends). */
const PLAN_TTL_SECONDS = 7 * 86_400;

/** How many shards a run's options ask for (`shards`, already checked: 1 to MAX_SHARDS); 1 when none. */
export function shardCount(options: Record<string, unknown>): number {
  return typeof options.shards === 'number' && options.shards > 1 ? options.shards : 1;
}

/**
 * Refuses to split a plan whose project has beforeAll/afterAll hooks into shards: the hooks run once
 * per run, and every shard would run them.
 */
function checkShards(plan: unknown, options: Record<string, unknown>): void {
  const hooks = (plan as { hooks?: { beforeAll?: unknown; afterAll?: unknown } }).hooks;
  if (shardCount(options) > 1 && (hooks?.beforeAll !== undefined || hooks?.afterAll !== undefined)) {
    throw new SortieError(
      ErrorCode.USAGE,
      'Cannot split the run',
      'the project has beforeAll/afterAll hooks, which run once per run: shards would each run them',
      { hint: 'run it without --shards (options.shards), or move the hooks into the scenarios' },
    );
  }
}

/**
 * Refuses run options that carry a secret value: an `envVars` entry of a secret the plan declares,
 * a `globals` entry named in `globalSecrets`. `sortie run --remote` refuses them before uploading;
 * any other client was taken at its word, and the value was kept in the run history and the job.
 * The error names them, never their values.
 */
function checkSecrets(plan: unknown, options: Record<string, unknown>): void {
  const declared = (plan as { secrets?: unknown }).secrets;
  const secrets = Array.isArray(declared) ? declared : [];
  const globalSecrets = Array.isArray(options.globalSecrets) ? options.globalSecrets : [];
  const named = (field: string, values: unknown, names: unknown[]) =>
    Object.keys(typeof values === 'object' && values !== null ? values : {})
      .filter((name) => names.includes(name))
      .map((name) => `options.${field}.${name}`);
  const found = [...named('envVars', options.envVars, secrets), ...named('globals', options.globals, globalSecrets)];
  if (found.length === 0) return;
  throw new SortieError(ErrorCode.USAGE, 'Secret in the run options', `${found.join(', ')} would send a secret value to the agents`, {
    hint: 'secret values never travel: set them in the environment (or .env) of the agents',
    details: found.map((path) => new SortieError(ErrorCode.USAGE, 'Secret in the run options', `${path} is a secret`)),
  });
}

/** The BullMQ states of a job no agent has taken yet. */
const QUEUED_STATES: ReadonlySet<string> = new Set(['waiting', 'delayed', 'prioritized']);

/** The `shard-end` entry of a shard taken off the queue by a cancel. */
function cancelledShard(run: RunRecord, shard: number, now: number): StreamEntry {
  return {
    kind: 'shard-end',
    attempt: 1,
    shard,
    result: { ...endResult(run), status: 'cancelled', startedAt: now, endedAt: now, message: 'cancelled before it started', shard },
  };
}

/** Puts runs on their pool's BullMQ queue and takes them off again (cancel). */
export class RunDispatcher {
  readonly #store: Store;
  readonly #plans: PlanStorage;
  readonly #redis: Redis;
  readonly #queues = new Map<string, Queue<RunJobData, RunJobResult>>();
  /** Told of every run put on a queue (the server's tracker follows it from there). */
  onSubmit: (run: RunRecord) => void = () => {};

  readonly #redisUrl: string;

  constructor(options: { store: Store; plans: PlanStorage; redis: Redis; redisUrl: string }) {
    this.#store = options.store;
    this.#plans = options.plans;
    this.#redis = options.redis;
    this.#redisUrl = options.redisUrl;
  }

  /** The stored plan `planId` (parsed; the plan storage keeps the recent ones). */
  readPlan(planId: string): Promise<unknown> {
    return this.#plans.readPlan(planId);
  }

  queue(pool: string): Queue<RunJobData, RunJobResult> {
    let queue = this.#queues.get(pool);
    if (queue === undefined) {
      // A connection of the queue's own, which BullMQ closes (see bullmqConnection).
      queue = new Queue(queueName(pool), { connection: bullmqConnection(this.#redisUrl) });
      queue.on('error', () => {});
      this.#queues.set(pool, queue);
    }
    return queue;
  }

  /**
   * "Run now" of a stored schedule: its plan, pool and options, started by hand, through the API
   * (trigger `api`) or the dashboard's button (`dashboard`); `scheduleId` ties the run to the schedule.
   */
  runScheduleNow(schedule: ScheduleRecord, trigger: 'api' | 'dashboard'): Promise<RunRecord> {
    return this.submit({
      planId: schedule.planId,
      pool: schedule.pool,
      options: schedule.options,
      trigger,
      scheduleId: schedule.id,
    });
  }

  async submit(request: SubmitRunOptions, now = Date.now()): Promise<RunRecord> {
    const pool = request.pool ?? DEFAULT_POOL;
    if (!POOL_NAME.test(pool)) {
      throw new SortieError(ErrorCode.USAGE, 'Invalid pool', `invalid pool name ${JSON.stringify(pool)}`, {
        hint: 'letters, digits, "-" and "_", at most 63 characters',
      });
    }
    // Before anything is stored: the queue's commands would wait for Redis, and the client's request with them.
    this.requireRedis('the run was not queued');
    if ((await this.#store.getPlan(request.planId)) === undefined) {
      throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Unknown plan', `no stored plan ${request.planId}`);
    }
    const reports = request.reports ?? ['json', 'junit'];
    const run: RunRecord = {
      id: randomUUID(),
      status: 'queued',
      trigger: request.trigger,
      pool,
      planId: request.planId,
      options: request.options ?? {},
      attempt: 1,
      createdAt: now,
      reports: [],
    };
    if (request.scheduleId !== undefined) run.scheduleId = request.scheduleId;
    const plan = await this.#plans.readPlan(request.planId);
    const shards = shardCount(run.options);
    checkShards(plan, run.options);
    checkSecrets(plan, run.options);
    await this.#store.insertRun(run);
    const jobOptions = { attempts: 1, removeOnComplete: { age: 3_600 }, removeOnFail: { age: 86_400 } };
    if (shards > 1) {
      // One job per shard, each making its event log: the tracker makes the run's reports from them.
      // The plan is stored once for them all (deleted when the run ends; the expiry only in case it never does).
      await this.#redis.set(REDIS_KEYS.plan(run.id), JSON.stringify(plan), 'EX', PLAN_TTL_SECONDS);
      // Its job ids come from the run id: one set of jobs per run, however often a submission is retried.
      await this.queue(pool).addBulk(
        Array.from({ length: shards }, (_, index) => ({
          name: 'run',
          data: {
            runId: run.id,
            options: run.options,
            reports: [SHARD_LOG.name],
            shard: { index, count: shards },
            runReports: [...reports, VIEW_REPORT.name],
          },
          opts: { ...jobOptions, jobId: shardJobId(run.id, index) },
        })),
      );
    } else {
      // The dashboard's step view is made with every run, whatever reports the submission asked for.
      const data: RunJobData = { runId: run.id, options: run.options, reports: [...reports, VIEW_REPORT.name] };
      if ((await this.#plans.planBytes(run.planId)) > SHARED_PLAN_BYTES) {
        // A large plan once for all its runs, kept while runs of it may wait (each submission renews it).
        const key = REDIS_KEYS.storedPlan(run.planId);
        if ((await this.#redis.expire(key, PLAN_TTL_SECONDS)) === 0) {
          await this.#redis.set(key, await this.#plans.planText(run.planId), 'EX', PLAN_TTL_SECONDS);
        }
        data.planKey = key;
      } else {
        data.plan = plan;
      }
      // The run id is the job id: one job per run, however often a submission is retried.
      await this.queue(pool).add('run', data, { ...jobOptions, jobId: run.id });
    }
    this.onSubmit(run);
    return run;
  }

  /**
   * Throws the error `submit` would throw for these options of this stored plan when they ask to
   * split a plan that cannot be split or carry a secret value: a schedule says so when it is created,
   * not each time it fires.
   */
  async checkOptions(planId: string, options: Record<string, unknown>): Promise<void> {
    const plan = await this.#plans.readPlan(planId);
    checkShards(plan, options);
    checkSecrets(plan, options);
  }

  /**
   * The BullMQ jobs of a run: its own (by its id), or one per shard of a run split into shards, in
   * shard order (undefined where a job is gone).
   */
  async jobsOf(run: RunRecord): Promise<(Job<RunJobData, RunJobResult> | undefined)[]> {
    const shards = shardCount(run.options);
    const ids = shards > 1 ? Array.from({ length: shards }, (_, index) => shardJobId(run.id, index)) : [run.id];
    return Promise.all(ids.map((id) => this.queue(run.pool).getJob(id)));
  }

  /**
   * Cancels a run: a queued one leaves the queue at once; a running one is told to stop (its agent
   * reports it as cancelled, with the part that ran). A finished run is left as it is.
   *
   * A run split into shards leaves the queue only while none of its shards has started. Once one
   * has, the shards still queued stay: the agent that takes one finds the cancel flag before it
   * starts and reports the shard's scenario runs as not run (making no request), so the run's
   * report lists every scenario run of the plan, as a cancelled run's report does.
   */
  async cancel(runId: string, now = Date.now()): Promise<RunRecord | undefined> {
    const run = await this.#store.getRun(runId);
    if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) return run;
    this.requireRedis('the run was not cancelled');
    await this.#redis.set(REDIS_KEYS.cancelFlag(runId), CANCEL_FLAG.cancel, 'EX', 86_400);
    const jobs = await this.jobsOf(run);
    const states = await Promise.all(jobs.map((job) => job?.getState()));
    const sharded = jobs.length > 1;
    // Once a shard has started, the queued ones stay queued: their agents see the flag and list their
    // scenario runs as not run, so the report still lists every scenario run of the plan.
    if (sharded && states.some((state) => state !== undefined && !QUEUED_STATES.has(state))) {
      await this.#redis.publish(REDIS_KEYS.cancelChannel, runId);
      return run;
    }
    const removed: number[] = [];
    for (const [shard, job] of jobs.entries()) {
      if (job === undefined || !QUEUED_STATES.has(states[shard] as string)) continue;
      try {
        await job.remove();
        removed.push(shard);
      } catch {
        // It became active meanwhile: the agent sees the flag or the message below.
      }
    }
    if (removed.length === jobs.length) {
      if (sharded) await this.#redis.del(REDIS_KEYS.plan(runId));
      // Recorded before the end entry: the tracker, reading that end, finds the run already ended.
      const cancelled = await this.#store.updateRun(runId, { status: 'cancelled', endedAt: now, message: 'cancelled before it started' });
      if (cancelled !== undefined) await writeEndEntry(this.#redis, endResult(cancelled), cancelled.attempt);
      return cancelled;
    }
    // A shard started while the others were taken off the queue: those end here, the run once the started one has.
    if (sharded) {
      for (const shard of removed) {
        await this.#redis.xadd(REDIS_KEYS.events(runId), '*', 'e', JSON.stringify(cancelledShard(run, shard, now)));
      }
    }
    await this.#redis.publish(REDIS_KEYS.cancelChannel, runId);
    return run;
  }

  /**
   * Stops a run's shards that are still at work (its cancel flag, and the agents told), as a cancel
   * does, without ending the run: a shard stopped by an other shard's `--bail`.
   */
  async stopShards(runId: string): Promise<void> {
    // A cancel's flag, already set, stays: the shards are then cancelled.
    await this.#redis.set(REDIS_KEYS.cancelFlag(runId), CANCEL_FLAG.bail, 'EX', 86_400, 'NX');
    await this.#redis.publish(REDIS_KEYS.cancelChannel, runId);
  }

  /** Throws a 503 "Redis unavailable" saying `what` was not done, unless the server's Redis connection is up. */
  requireRedis(what: string): void {
    requireRedis(this.#redis, what);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((queue) => closeWhenReady(queue)));
  }
}
