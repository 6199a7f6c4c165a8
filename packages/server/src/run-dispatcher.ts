import { randomUUID } from 'node:crypto';
import {
  bullmqConnection,
  closeWhenReady,
  DEFAULT_POOL,
  POOL_NAME,
  queueName,
  REDIS_KEYS,
  type RunJobData,
  type RunJobResult,
  VIEW_REPORT,
  writeEndEntry,
} from '@sortie/agent';
import { ErrorCode, SortieError } from '@sortie/core';
import { Queue } from 'bullmq';
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
    await this.#store.insertRun(run);
    // The dashboard's step view is made with every run, whatever reports the submission asked for.
    const data: RunJobData = {
      runId: run.id,
      plan: await this.#plans.readPlan(request.planId),
      options: run.options,
      reports: [...reports, VIEW_REPORT.name],
    };
    // The run id is the job id: one job per run, however often a submission is retried.
    await this.queue(pool).add('run', data, {
      jobId: run.id,
      attempts: 1,
      removeOnComplete: { age: 3_600 },
      removeOnFail: { age: 86_400 },
    });
    this.onSubmit(run);
    return run;
  }

  /**
   * Cancels a run: a queued one leaves the queue at once; a running one is told to stop (its agent
   * reports it as cancelled, with the part that ran). A finished run is left as it is.
   */
  async cancel(runId: string, now = Date.now()): Promise<RunRecord | undefined> {
    const run = await this.#store.getRun(runId);
    if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) return run;
    this.requireRedis('the run was not cancelled');
    await this.#redis.set(REDIS_KEYS.cancelFlag(runId), '1', 'EX', 86_400);
    const job = await this.queue(run.pool).getJob(runId);
    const state = await job?.getState();
    if (job !== undefined && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      try {
        await job.remove();
        const cancelled = await this.#store.updateRun(runId, { status: 'cancelled', endedAt: now, message: 'cancelled before it started' });
        if (cancelled !== undefined) await writeEndEntry(this.#redis, endResult(cancelled), cancelled.attempt);
        return cancelled;
      } catch {
        // It became active meanwhile: the agent sees the flag or the message below.
      }
    }
    await this.#redis.publish(REDIS_KEYS.cancelChannel, runId);
    return run;
  }

  /** Throws a 503 "Redis unavailable" saying `what` was not done, unless the server's Redis connection is up. */
  requireRedis(what: string): void {
    requireRedis(this.#redis, what);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((queue) => closeWhenReady(queue)));
  }
}
