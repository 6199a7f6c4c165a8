import { writeFileSync } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EVENT_ENTRY_START,
  emptyCounts,
  listAgents,
  REDIS_KEYS,
  RESULT_FIELD,
  type RunJobData,
  type RunJobResult,
  SHARD_LOG,
  type StreamEntry,
  shardJobId,
  unpackReport,
  VIEW_REPORT,
  writeEndEntry,
} from '@sortie/agent';
import { makeDirectory, makeDirectorySync, quietRepeats } from '@sortie/core';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkPath } from './bundle/read-bundle.js';
import { type RunDispatcher, shardCount } from './run-dispatcher.js';
import { endResult } from './run-end.js';
import { mergeShardedRun, ShardedRun, shardLog } from './sharded-run.js';
import type { RunRecord, Store } from './store/store.js';

const STALLED_REASON = /stalled more than allowable limit/i;
/** Queued runs per pool whose streams every read includes (the ones agents take next). */
const NEXT_PER_POOL = 16;
/** How often a read includes every open run's stream. */
const FULL_READ_MS = 1_000;
/** Streams in one XREAD at most. */
const MAX_KEYS = 500;
/** A run's reports are written synchronously when none is larger than this (a page-cache write of a few µs). */
const SYNC_WRITE_BYTES = 256 * 1024;
/**
 * How long a running job must look stranded (its lock expired, no live agent in its pool) before the
 * server ends it: more than an agent's heartbeat interval, so agents that were only cut off from Redis
 * (and beat again within 2 s of its return) are seen live again first.
 */
const STRANDED_CONFIRM_MS = 5_000;

/**
 * Follows every open run to its end: reads the runs' event streams (one blocking XREAD for all of
 * them), records which agent took a run and its attempt, and on the `end` entry stores the outcome
 * and moves the reports from Redis to `<data-dir>/runs/` (see reportFile). A run whose job failed without an end
 * (its agents died more often than allowed) ends as `error: agent lost`. After a server restart the
 * open runs are followed again from their stream's start or, when that expired, from the job's
 * return value: nothing is lost and nothing recorded twice.
 */
interface OpenRun {
  lastId: string;
  pool: string;
  started: boolean;
  /** The newest attempt started (from the record at first, then the stream's `attempt-start` entries). */
  attempt: number;
  /** The agent of the newest attempt (of a run not split into shards), for the message when it is lost. */
  agent?: string;
  /** When its job (or a shard's) was first seen stranded: active, its lock expired, no live agent in its pool. */
  strandedSince?: number;
  shards?: ShardedRun;
}

export class RunTracker {
  readonly #store: Store;
  readonly #blocking: Redis;
  readonly #redis: Redis;
  readonly #dispatcher: RunDispatcher;
  readonly #runsDir: string;
  /** The `runs/<xx>` folders this server made or found (at most 256 for UUID ids): no mkdir per run. */
  readonly #madeFolders = new Set<string>();
  /**
   * `attempt`: the newest attempt started (an older one's `end` is dropped: its agent lost the job's
   * lock and went on after BullMQ handed the run to another agent).
   */
  readonly #open = new Map<string, OpenRun>();
  #jobChecks = 0;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #lastJobCheck = 0;
  #lastFullRead = 0;
  readonly #onLog: (message: string) => void;
  readonly #version: string;

  constructor(options: {
    store: Store;
    /** A connection of its own: XREAD BLOCK holds it. */
    blocking: Redis;
    redis: Redis;
    dispatcher: RunDispatcher;
    dataDir: string;
    onLog?: (message: string) => void;
    /** Written into the reports the server makes (those of a run split into shards). */
    version?: string;
  }) {
    this.#version = options.version ?? 'unknown';
    this.#store = options.store;
    this.#blocking = options.blocking;
    this.#redis = options.redis;
    this.#dispatcher = options.dispatcher;
    this.#runsDir = join(options.dataDir, 'runs');
    this.#onLog = quietRepeats(options.onLog ?? (() => {}));
  }

  /**
   * Where a run's report is written: `runs/<first two characters of the id>/<id>.<name>`. No folder per
   * run: a `mkdir` per run was ~9 % of the server's CPU per one-request run (BENCHMARKS.md, issue 13);
   * the folders of two characters (256 for UUID ids) are made once. Read reports through
   * {@link findReport}: data dirs of older servers have them in `runs/<id>/<name>`.
   */
  reportFile(runId: string, name: string): string {
    return join(this.#runsDir, runId.slice(0, 2), `${runId}.${name}`);
  }

  /** A run's stored report file, in this layout or in the older one (`runs/<id>/<name>`); undefined if there is none. */
  async findReport(runId: string, name: string): Promise<string | undefined> {
    for (const file of [this.reportFile(runId, name), join(this.#runsDir, runId, name)]) {
      try {
        if ((await stat(file)).isFile()) return file;
      } catch {
        // Not there: the other layout, or no such file.
      }
    }
    return undefined;
  }

  /** Deletes a run's report files (`names`: its reports; the step view always), in both layouts. */
  async deleteReports(runId: string, names: readonly string[]): Promise<void> {
    const files = new Set(plainNames([...names, VIEW_REPORT.file]));
    await Promise.all([...files].map((name) => rm(this.reportFile(runId, name), { force: true })));
    await rm(join(this.#runsDir, runId), { recursive: true, force: true });
  }

  follow(run: RunRecord): void {
    if (this.#open.has(run.id)) return;
    const shards = shardCount(run.options);
    const state: OpenRun = {
      lastId: '0',
      pool: run.pool,
      started: run.status === 'running',
      attempt: run.attempt,
    };
    if (run.agent !== undefined) state.agent = run.agent;
    if (shards > 1) state.shards = new ShardedRun(shards);
    this.#open.set(run.id, state);
  }

  /** Follows every run the store has as queued or running, then loops until `stop()`. */
  async start(): Promise<void> {
    for (const run of await this.#store.listOpenRuns()) this.follow(run);
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#blocking.disconnect();
    // A blocking XREAD on a connection closed while Redis is away may never settle: do not wait on it for ever.
    await Promise.race([this.#loop?.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.#readOnce();
        if (Date.now() - this.#lastJobCheck > 1_000) await this.#checkJobs();
      } catch (error) {
        if (this.#stopped) return;
        this.#onLog(`run tracking: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /**
   * The streams one XREAD waits on. Every run an agent started, and the next {@link NEXT_PER_POOL}
   * queued runs of each pool (a queue hands out runs in the order they were submitted, the order of
   * `#open`); every {@link FULL_READ_MS} every open run (at most {@link MAX_KEYS}), so a run that
   * started out of that order (after a server restart, a run handed on) is still seen. Reading all of
   * them every time made each XREAD carry 500 keys with 500 runs queued, and cost the server and
   * Redis more than the rest of following the runs (agents bench profile).
   */
  #streamsToRead(): string[] {
    const full = Date.now() - this.#lastFullRead >= FULL_READ_MS;
    if (full) this.#lastFullRead = Date.now();
    const ids: string[] = [];
    const queued = new Map<string, number>();
    for (const [id, { pool, started }] of this.#open) {
      if (ids.length >= MAX_KEYS) break;
      if (full || started) {
        ids.push(id);
        continue;
      }
      const ahead = queued.get(pool) ?? 0;
      if (ahead < NEXT_PER_POOL) ids.push(id);
      queued.set(pool, ahead + 1);
    }
    return ids;
  }

  async #readOnce(): Promise<void> {
    const ids = this.#streamsToRead();
    if (ids.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return;
    }
    const keys = ids.map((id) => REDIS_KEYS.events(id));
    const from = ids.map((id) => this.#open.get(id)?.lastId ?? '0');
    const reply = (await this.#blocking.xread('COUNT', 1_000, 'BLOCK', 200, 'STREAMS', ...keys, ...from)) as
      | [string, [string, string[]][]][]
      | null;
    if (reply === null) return;
    for (const [key, entries] of reply) {
      const runId = key.slice('sortie:run:'.length, -':events'.length);
      const state = this.#open.get(runId);
      if (state === undefined) continue;
      const parsed: StreamEntry[] = [];
      // An entry that is not JSON stops the read there, after the entries before it are applied (as
      // when each was applied as it was parsed); the loop logs it and goes on after it.
      let unreadable: unknown;
      for (const [id, fields] of entries) {
        state.lastId = id;
        const text = fields[1];
        // The run's events (most entries, and the largest) are for the event streams' readers, not for
        // the tracker: left unparsed (~10 of ~12 µs per one-request run); any other text is parsed.
        if (text === undefined || text.startsWith(EVENT_ENTRY_START)) continue;
        try {
          parsed.push(JSON.parse(text) as StreamEntry);
        } catch (error) {
          unreadable = error;
          break;
        }
      }
      if (state.shards !== undefined) {
        for (const entry of parsed) await this.#applyShard(runId, state.shards, entry);
        if (unreadable !== undefined) throw unreadable;
        continue;
      }
      // A run whose start and end come in one read (most short runs) is recorded once, as ended with
      // the attempt of its start: one SQLite read and one write transaction fewer per run.
      const endsAt = parsed.findLastIndex((entry) => entry.kind === 'end');
      let folded: number | undefined;
      for (const [index, entry] of parsed.entries()) {
        // The end of an attempt a newer one replaced (its agent went on after losing the job's lock):
        // it ended the run with that attempt's outcome while the newer attempt still ran.
        if (entry.kind === 'end' && entry.attempt < state.attempt) continue;
        if (entry.kind === 'attempt-start') {
          state.attempt = Math.max(state.attempt, entry.attempt);
          state.agent = entry.agent;
          state.started = true;
          if (index < endsAt && (parsed[endsAt] as StreamEntry).attempt === entry.attempt) {
            folded = entry.attempt;
            continue;
          }
        }
        await this.#apply(runId, entry, entry.kind === 'end' && entry.attempt === folded ? folded : undefined);
      }
      if (unreadable !== undefined) throw unreadable;
    }
  }

  /** An entry of a sharded run's stream: a shard's start or end, or the run's end (a cancel before it started). */
  async #applyShard(runId: string, shards: ShardedRun, entry: StreamEntry): Promise<void> {
    if (entry.kind === 'attempt-start') {
      shards.attempt = Math.max(shards.attempt, entry.attempt);
      if (entry.shard !== undefined) shards.agents.set(entry.shard, entry.agent);
      const state = this.#open.get(runId);
      // The run's record says it runs from its first shard's start on.
      if (state === undefined || state.started) return;
      state.started = true;
      await this.#apply(runId, entry);
    } else if (entry.kind === 'shard-end') {
      await this.#shardEnded(runId, shards, { ...entry.result, shard: entry.shard });
    } else if (entry.kind === 'end') {
      await this.#finish(runId, entry.result);
    }
  }

  /**
   * A shard ended: recorded; its `--bail` stops the other shards; the last one ends the run, with the
   * reports made from all the shards' event logs.
   */
  async #shardEnded(runId: string, shards: ShardedRun, result: RunJobResult): Promise<void> {
    if (!shards.end(result)) return;
    if (result.bailed === true && !shards.stopping && !shards.done) {
      shards.stopping = true;
      await this.#dispatcher.stopShards(runId);
    }
    if (shards.done) await this.#finishSharded(runId, shards);
  }

  async #finishSharded(runId: string, shards: ShardedRun): Promise<void> {
    const state = this.#open.get(runId);
    if (state === undefined) return;
    this.#open.delete(runId);
    const run = await this.#store.getRun(runId);
    if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) return;
    const results = Array.from({ length: shards.count }, (_, shard) => shards.ended.get(shard) as RunJobResult);
    const logs = await Promise.all(
      results.map(async (_, shard) => shardLog(await this.#redis.hgetBuffer(REDIS_KEYS.reports(runId, shard), SHARD_LOG.file))),
    );
    // The reports the run asked for, as its shards' agents tell them (else from a shard's job: the jobs
    // are kept an hour after they end); the plan (the HTML report names its environment) is the stored one.
    let runReports = results.find((result) => result.runReports !== undefined)?.runReports;
    for (let shard = 0; shard < shards.count && runReports === undefined; shard++) {
      runReports = (await this.#dispatcher.queue(state.pool).getJob(shardJobId(runId, shard)))?.data.runReports;
    }
    const job = runReports === undefined ? undefined : { runReports, plan: await this.#dispatcher.readPlan(run.planId) };
    const merged = await mergeShardedRun({ runId, results, logs, job, version: this.#version });
    const result = { ...merged.result, reports: await this.#writeReports(runId, merged.files) };
    await this.#store.patchRun(runId, endPatch(result, result.reports, shards.attempt));
    // The whole run's run:end, then its end: a follower (`sortie run --remote`) shows the run's summary and stops.
    const events = REDIS_KEYS.events(runId);
    if (merged.runResult !== undefined) {
      const entry: StreamEntry = { kind: 'event', attempt: 1, event: { type: 'run:end', result: merged.runResult } };
      await this.#redis.xadd(events, '*', 'e', JSON.stringify(entry));
    }
    await writeEndEntry(this.#redis, result, 1);
    await this.#redis.del(
      ...results.map((_, shard) => REDIS_KEYS.reports(runId, shard)),
      REDIS_KEYS.plan(runId),
      REDIS_KEYS.shardsStarted(runId),
    );
  }

  /** `startedAttempt`: an end's attempt whose start was read with it and not recorded apart. */
  async #apply(runId: string, entry: StreamEntry, startedAttempt?: number): Promise<void> {
    if (entry.kind === 'attempt-start') {
      const run = await this.#store.getRun(runId);
      if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) return;
      await this.#store.patchRun(runId, {
        status: 'running',
        agent: entry.agent,
        attempt: entry.attempt,
        startedAt: run.startedAt ?? Date.now(),
      });
    } else if (entry.kind === 'end') {
      await this.#finish(runId, entry.result, startedAttempt);
    }
  }

  /**
   * Looks at the jobs of open runs: ended without a stream entry (expired, or the agents died). The
   * job of a run an agent started is read every pass, every run's on every tenth pass (a queue of
   * hundreds of runs is not hundreds of round trips a second). A queued run's job is gone only when
   * Redis lost its data: the tenth pass finds it. Until session 7 an EXISTS per queued run every
   * second looked for that: with 500 runs queued about 6 of the ~55 Redis commands a run costs
   * (agents bench, SORTIE_BENCH_REDIS_STATS), growing with the queue's length.
   */
  async #checkJobs(): Promise<void> {
    this.#lastJobCheck = Date.now();
    const everyRun = this.#jobChecks++ % 10 === 0;
    const open = [...this.#open].filter(([, { started }]) => everyRun || started);
    const served = new LivePools(this.#redis);
    for (const [runId, { pool, shards }] of open) {
      if (shards !== undefined) {
        await this.#checkShardJobs(runId, pool, shards, served);
        continue;
      }
      const job = await this.#dispatcher.queue(pool).getJob(runId);
      if (job === undefined) {
        const run = await this.#store.getRun(runId);
        if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) this.#open.delete(runId);
        else if ((await this.#redis.exists(REDIS_KEYS.events(runId))) === 0) {
          // Ended while this server was away for longer than the job and the stream are kept: its agent's word.
          const left = await this.#resultLeft(REDIS_KEYS.reports(runId));
          if (left !== undefined) await this.#finish(runId, left);
          else await this.#lostWithRedis(run);
        }
        continue;
      }
      const state = await job.getState();
      if (state === 'completed' && job.returnvalue !== null && job.returnvalue !== undefined) {
        await this.#finish(runId, job.returnvalue as RunJobResult);
      } else if (state === 'failed') {
        const message = failureOf(job.failedReason);
        const run = await this.#store.updateRun(runId, { status: 'error', endedAt: job.finishedOn ?? Date.now(), message });
        this.#open.delete(runId);
        if (run !== undefined) await writeEndEntry(this.#redis, endResult(run), run.attempt);
      } else if (state === 'active' && (await this.#stranded(runId, pool, [job], served)).length > 0) {
        const agent = this.#open.get(runId)?.agent;
        const message = strandedMessage(agent === undefined ? 'its agent' : `agent ${agent}`, pool);
        const run = await this.#store.updateRun(runId, { status: 'error', endedAt: Date.now(), message });
        this.#open.delete(runId);
        if (run !== undefined) await writeEndEntry(this.#redis, endResult(run), run.attempt);
        this.#onLog(`run ${runId}: ${message}`);
      }
    }
  }

  /**
   * Whether running jobs are stranded: their agent died (its lock on the job expired) and no live
   * agent serves the pool. BullMQ's stalled check, which hands such a job on, runs in the agents: with
   * none left the run stayed `running`, and its dead agent listed busy, for ever. Seen so for
   * {@link STRANDED_CONFIRM_MS}, the jobs are removed from the queue (an agent starting later must not
   * run what the server ended) and returned; a job an agent took meanwhile is locked and stays.
   */
  async #stranded(
    runId: string,
    pool: string,
    jobs: readonly Job<RunJobData, RunJobResult>[],
    served: LivePools,
  ): Promise<Job<RunJobData, RunJobResult>[]> {
    const state = this.#open.get(runId);
    if (state === undefined) return [];
    const queue = this.#dispatcher.queue(pool);
    let stranded = !(await served.has(pool));
    for (const job of jobs) {
      if (!stranded) break;
      stranded = (await this.#redis.exists(`${queue.toKey(job.id ?? '')}:lock`)) === 0;
    }
    if (!stranded) {
      state.strandedSince = undefined;
      return [];
    }
    state.strandedSince ??= Date.now();
    if (Date.now() - state.strandedSince < STRANDED_CONFIRM_MS) return [];
    state.strandedSince = undefined;
    const removed: Job<RunJobData, RunJobResult>[] = [];
    for (const job of jobs) {
      try {
        await job.remove();
        removed.push(job);
      } catch {
        // An agent took it meanwhile (it holds its lock): that agent goes on with it.
      }
    }
    return removed;
  }

  /**
   * The jobs of a sharded run's shards that have not ended: one that ended without a stream entry
   * ends its shard from its return value; one that failed (its agents died) ends its shard as
   * `error: agent lost`, written to the run's stream for its followers; when they are all gone
   * with the stream, Redis lost them.
   */
  async #checkShardJobs(runId: string, pool: string, shards: ShardedRun, served: LivePools): Promise<void> {
    let gone = 0;
    let open = 0;
    const active: Job<RunJobData, RunJobResult>[] = [];
    /** Shards no agent has taken yet. */
    const waiting: Job<RunJobData, RunJobResult>[] = [];
    for (let shard = 0; shard < shards.count; shard++) {
      if (shards.ended.has(shard)) continue;
      open++;
      const job = await this.#dispatcher.queue(pool).getJob(shardJobId(runId, shard));
      if (job === undefined) {
        const left = await this.#resultLeft(REDIS_KEYS.reports(runId, shard));
        if (left !== undefined) await this.#shardEnded(runId, shards, { ...left, shard });
        else gone++;
        continue;
      }
      const state = await job.getState();
      if (state === 'completed' && job.returnvalue !== null && job.returnvalue !== undefined) {
        await this.#shardEnded(runId, shards, { ...(job.returnvalue as RunJobResult), shard });
      } else if (state === 'failed') {
        const result = shardError(runId, shard, job, job.finishedOn ?? Date.now(), failureOf(job.failedReason));
        await this.#endShardAsError(runId, shards, job, result);
      } else if (state === 'active') {
        active.push(job);
      } else if (state === 'waiting' || state === 'prioritized' || state === 'delayed') {
        waiting.push(job);
      }
    }
    // Shards whose agents died with no live agent left in the pool: each ends as an error, so the run ends.
    const stranded = active.length === 0 ? [] : await this.#stranded(runId, pool, active, served);
    for (const job of stranded) {
      const agent = shards.agents.get(shardOf(job));
      const result = shardError(
        runId,
        shardOf(job),
        job,
        Date.now(),
        strandedMessage(agent === undefined ? 'its agent' : `agent ${agent}`, pool),
      );
      // The run's record names the agents its shards ran on, the lost one too.
      if (agent !== undefined) result.agent = agent;
      // The job is gone from the queue now: the reports the run asked for go on with the result.
      if (job.data.runReports !== undefined) result.runReports = job.data.runReports;
      await this.#endShardAsError(runId, shards, job, result);
    }
    // The run has failed with them, and no agent is left to take its shards still queued: they leave the
    // queue and end as not run, so the run ends now (it waited for ever for them, `sortie run --remote`
    // with it; an agent started later would have run them for a run already lost).
    if (stranded.length > 0) {
      const lost = stranded.map((job) => `${shardOf(job) + 1}/${shards.count}`).join(', ');
      for (const job of waiting) {
        try {
          await job.remove();
        } catch {
          // An agent started and took it meanwhile: it runs, and ends its shard.
          continue;
        }
        const message = `not run: the agent of shard ${lost} was lost and no live agent serves pool ${pool} to run this one; submit the run again`;
        const result = shardError(runId, shardOf(job), job, Date.now(), message);
        if (job.data.runReports !== undefined) result.runReports = job.data.runReports;
        await this.#endShardAsError(runId, shards, job, result);
      }
    }
    if (gone > 0 && gone === open) {
      const run = await this.#store.getRun(runId);
      if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) this.#open.delete(runId);
      else if ((await this.#redis.exists(REDIS_KEYS.events(runId))) === 0) await this.#lostWithRedis(run);
    }
  }

  /** Ends a shard whose job failed or was stranded: its end on the run's event stream, then the run's bookkeeping. */
  async #endShardAsError(
    runId: string,
    shards: ShardedRun,
    job: { attemptsMade: number },
    result: RunJobResult & { shard: number },
  ): Promise<void> {
    const entry: StreamEntry = { kind: 'shard-end', attempt: job.attemptsMade + 1, shard: result.shard, result };
    await this.#redis.xadd(REDIS_KEYS.events(runId), '*', 'e', JSON.stringify(entry));
    await this.#shardEnded(runId, shards, result);
  }

  /** The outcome an agent left beside a run's (or shard's) reports (RESULT_FIELD), if it is still there. */
  async #resultLeft(key: string): Promise<RunJobResult | undefined> {
    const text = await this.#redis.hget(key, RESULT_FIELD);
    if (text === null) return undefined;
    try {
      const result = JSON.parse(text) as RunJobResult;
      return typeof result === 'object' && result !== null && typeof result.status === 'string' ? result : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Neither the job nor the stream is in Redis (it restarted without its data, or they expired
   * while the server was down), nor the outcome its agent left with the reports (kept a day): nothing will end the run, so it ends here as an error.
   */
  async #lostWithRedis(run: RunRecord): Promise<void> {
    this.#open.delete(run.id);
    const message =
      'lost: Redis no longer has its job or its events (Redis restarted without its data, or the server was away for over a day); submit it again';
    const ended = await this.#store.updateRun(run.id, { status: 'error', endedAt: Date.now(), message });
    if (ended !== undefined) await writeEndEntry(this.#redis, endResult(ended), ended.attempt);
    this.#onLog(`run ${run.id}: ${message}`);
  }

  async #finish(runId: string, result: RunJobResult, attempt?: number): Promise<void> {
    if (!this.#open.has(runId)) return;
    this.#open.delete(runId);
    const run = await this.#store.getRun(runId);
    if (run === undefined || (run.status !== 'queued' && run.status !== 'running')) return;
    await this.#store.patchRun(runId, endPatch(result, await this.#collectReports(runId, result.reports), attempt));
  }

  /** Moves the reports an agent left in Redis to the data dir (one round trip for all); returns the names kept. */
  async #collectReports(runId: string, names: string[]): Promise<string[]> {
    // An agent's file name becomes a path here: only plain names are accepted.
    const wanted = plainNames(names);
    const replies = wanted.length === 0 ? [] : await this.#redis.hmgetBuffer(REDIS_KEYS.reports(runId), ...wanted);
    const files = wanted.flatMap((name, index) => {
      const packed = replies[index];
      return packed === null || packed === undefined ? [] : [{ name, content: unpackReport(packed) }];
    });
    const kept = await this.#writeReports(runId, files);
    await this.#redis.del(REDIS_KEYS.reports(runId));
    return kept;
  }

  /** Writes a run's report files (plain names: an agent's are checked by #collectReports) into the data dir; returns their names. */
  async #writeReports(runId: string, reports: readonly { name: string; content: Buffer }[]): Promise<string[]> {
    const files = reports;
    if (files.length > 0) {
      const folder = join(this.#runsDir, runId.slice(0, 2));
      const contents = files.map(({ name, content }) => ({ file: this.reportFile(runId, name), content }));
      if (contents.every(({ content }) => content.length <= SYNC_WRITE_BYTES)) {
        // Small reports (most runs'): written at once. The promise API's open, write and close, each a
        // trip through libuv's thread pool, were about a sixth of the server's CPU per one-request run.
        if (!this.#madeFolders.has(folder)) {
          makeDirectorySync(folder);
          this.#madeFolders.add(folder);
        }
        for (const { file, content } of contents) {
          try {
            writeFileSync(file, content);
          } catch (error) {
            // The folder went away while the server ran (removed by hand): made again, once.
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
            makeDirectorySync(folder);
            writeFileSync(file, content);
          }
        }
      } else {
        await makeDirectory(folder);
        this.#madeFolders.add(folder);
        await Promise.all(contents.map(({ file, content }) => writeFile(file, content)));
      }
    }
    return files.map(({ name }) => name);
  }
}

/** The message of a run (or shard) ended because its agent died with no live agent in the pool to hand it on. */
function strandedMessage(who: string, pool: string): string {
  return `agent lost: ${who} stopped answering (its lock on the run expired) and no live agent serves pool ${pool} to hand the run on; submit it again`;
}

/**
 * The pools with a live agent, read from the agents' heartbeats once per check, and only when a
 * running job needs it (one HGETALL, not one per run).
 */
class LivePools {
  readonly #redis: Redis;
  #pools: Promise<Set<string>> | undefined;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async has(pool: string): Promise<boolean> {
    this.#pools ??= listAgents(this.#redis).then(
      (agents) => new Set(agents.filter((agent) => agent.state !== 'lost').map((agent) => agent.pool)),
    );
    return (await this.#pools).has(pool);
  }
}

/** Why a job failed, as its run's (or shard's) message: its agents lost, or BullMQ's reason. */
function failureOf(failedReason: string | undefined): string | undefined {
  return STALLED_REASON.test(failedReason ?? '')
    ? 'agent lost: the agents running it stopped answering, and it was not handed on again'
    : failedReason;
}

/** What a run's record takes of its end: `reports`, the report files kept; `attempt`, when known. */
function endPatch(result: RunJobResult, reports: readonly string[], attempt?: number): Parameters<Store['updateRun']>[1] {
  const patch: Parameters<Store['updateRun']>[1] = {
    status: result.status,
    agent: result.agent,
    counts: result.counts,
    // Both times by the agents' clock: the duration is the run's, not when the server happened to read the stream.
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    // The dashboard's step view stays in the run's folder but is not one of its downloadable reports.
    reports: reports.filter((name) => name !== VIEW_REPORT.file),
  };
  if (result.message !== undefined) patch.message = result.message;
  if (attempt !== undefined) patch.attempt = attempt;
  return patch;
}

/** The names that are plain file names (no folder, nothing `checkPath` changes): the only report names made into paths. */
function plainNames(names: readonly string[]): string[] {
  return names.filter((name) => checkPath(name) === name && !name.includes('/'));
}

/** The shard (from 0) a shard job runs: its id is `<run id>-shard-<k>` (shardJobId). */
function shardOf(job: Job<RunJobData, RunJobResult>): number {
  return job.data.shard?.index ?? Number(job.id?.slice(job.id.lastIndexOf('-') + 1));
}

/** The result of a shard that ended without an agent's own (its job failed, or its agent was lost). */
function shardError(
  runId: string,
  shard: number,
  job: { processedOn?: number | undefined; timestamp: number },
  endedAt: number,
  message: RunJobResult['message'],
): RunJobResult & { shard: number } {
  return {
    runId,
    agent: '',
    status: 'error',
    counts: emptyCounts(),
    startedAt: job.processedOn ?? job.timestamp,
    endedAt,
    message,
    reports: [],
    shard,
  };
}
