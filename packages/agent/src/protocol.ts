/**
 * What the server and the agents agree on: queue names, Redis key names and the job payload. Both
 * sides import it from here, so a name is written once.
 *
 * Redis holds, besides BullMQ's own keys:
 * - `sortie:agents` (a hash of agent name → its last heartbeat as JSON);
 * - `sortie:run:<id>:events` (a stream of the run's events, already redacted by the engine);
 * - `sortie:run:<id>:reports` (a hash of report file name → its bytes, see {@link packReport}, taken by the server);
 * - `sortie:run:<id>:shard:<n>:reports` (the same, of shard n of a run split into shards: its event log);
 * - `sortie:run:<id>:plan` (the plan of a run split into shards, once for all its shard jobs);
 * - `sortie:cancel` (a pub/sub channel of run ids to cancel) and `sortie:run:<id>:cancel` (a flag);
 * - `sortie:run:<id>:started` (when the first shard of a run split into shards started, by Redis's clock: its `--timeout-run` counts from then);
 * - the shared token cache of `RedisTokenStore` (`sortie:auth:*`, encrypted).
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import { settlesWithin } from '@sortie/core';

/** A pool name: what `--pool` accepts (it becomes part of a queue name). */
export const POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export const DEFAULT_POOL = 'default';

/** The BullMQ queue of a pool. One queue per pool, so a submission can target one network or region. */
export function queueName(pool: string): string {
  if (!POOL_NAME.test(pool)) throw new Error(`invalid pool name ${JSON.stringify(pool)}`);
  return `sortie-runs-${pool}`;
}

/**
 * The field of a run's (or shard's) reports hash holding its outcome (a RunJobResult as JSON), kept as
 * long as the reports (a day): the server ends the run from it when it was away for longer than
 * Redis keeps the completed job and the run's stream (an hour). Not a plain name: never a report's.
 */
export const RESULT_FIELD = ':result';

export const REDIS_KEYS = {
  agents: 'sortie:agents',
  events: (runId: string) => `sortie:run:${runId}:events`,
  /** A run's reports, or (with `shard`) the event log of one of its shards. */
  reports: (runId: string, shard?: number) =>
    shard === undefined ? `sortie:run:${runId}:reports` : `sortie:run:${runId}:shard:${shard}:reports`,
  cancelFlag: (runId: string) => `sortie:run:${runId}:cancel`,
  /** The plan of a run split into shards, stored once for all its shard jobs (JSON). */
  plan: (runId: string) => `sortie:run:${runId}:plan`,
  /** A stored plan over {@link SHARED_PLAN_BYTES}, once for every run of it (JSON; `planKey` of their jobs). */
  storedPlan: (planId: string) => `sortie:plan:${planId}`,
  /** When the first shard of a run split into shards started (ms, Redis's clock). */
  shardsStarted: (runId: string) => `sortie:run:${runId}:started`,
  cancelChannel: 'sortie:cancel',
} as const;

/**
 * The values of a run's cancel flag (`REDIS_KEYS.cancelFlag`): `cancel` stops its jobs as cancelled;
 * `bail`, set when a shard of a run split into shards failed under --bail, stops the other shards
 * as their own --bail would (no new scenario run; the rest listed as not run).
 */
export const CANCEL_FLAG = { cancel: '1', bail: 'bail' } as const;

/** The job a submission puts on a pool's queue. It carries the plan, never a secret value. */
export interface RunJobData {
  runId: string;
  /**
   * The serialised run plan (scenarios, includes, data, script libraries, environment without secret
   * values). A shard job leaves it out: its plan is under `REDIS_KEYS.plan(runId)`, once for all the
   * run's shards (a plan with a 10 MB data file split into 64 shards is not 640 MB in Redis).
   */
  plan?: unknown;
  /**
   * Where the plan is when the job leaves it out and is not a shard's: a plan over
   * {@link SHARED_PLAN_BYTES} is stored once (`REDIS_KEYS.storedPlan`) for every run of it. In each
   * job, 300 runs of a plan with a 19 MB data file were 300 copies of it in Redis and in the server.
   */
  planKey?: string;
  /** The `sortie run` options of the submission (environment name, iterations, bail, …). */
  options: Record<string, unknown>;
  /** Report files to produce: `json`, `junit`, `html`, and `view` (the dashboard's step view, see {@link VIEW_REPORT}). */
  reports: string[];
  /**
   * A run split into shards (`--shards`): this job runs shard `index` of `count` (every `count`-th
   * scenario run of the plan) and makes its event log ({@link SHARD_LOG}) instead of reports; the
   * server makes the run's reports from all of them.
   */
  shard?: { index: number; count: number };
  /** With `shard`: the reports the run asked for (the server makes them from the shards' event logs). */
  runReports?: string[];
}

/** A plan larger than this (its JSON, bytes) travels once in Redis, not in every run's job. */
export const SHARED_PLAN_BYTES = 256 * 1024;

/** The BullMQ job id of shard `index` of a run (a run's own job id is its run id). */
export function shardJobId(runId: string, index: number): string {
  return `${runId}-shard-${index}`;
}

/** What a shard job makes instead of reports: its events, from which the server makes the run's reports. */
export const SHARD_LOG = { name: 'events', file: 'events.ndjson' } as const;

/**
 * The step view of `sortie server`'s dashboard: the HTML report's content without its page
 * (`createHtmlReporter({ fragment: true })`), made by the agent like the other reports so that it
 * gets the same last redaction pass. The server asks for it with every run and keeps it out of the
 * run's downloadable reports.
 */
export const VIEW_REPORT = { name: 'view', file: 'view.html' } as const;

/** What an agent returns when a job ends: the run's outcome; the reports wait under `REDIS_KEYS.reports`. */
export interface RunJobResult {
  runId: string;
  agent: string;
  status: 'passed' | 'failed' | 'error' | 'cancelled' | 'interrupted';
  counts: { scenarios: number; steps: number; requests: number; passed: number; failed: number; errored: number; skipped: number };
  startedAt: number;
  endedAt: number;
  message?: string;
  reports: string[];
  /** The shard this job ran, for a run split into shards. */
  shard?: number;
  /** With `shard`: the reports the run asked for (its job's `runReports`). */
  runReports?: string[];
  /** `--bail` stopped the run (the server stops the run's other shards). */
  bailed?: boolean;
}

/**
 * One entry of a run's event stream. `attempt` starts at 1; when an agent is lost and BullMQ hands
 * the job to another, the new attempt's `attempt-start` tells readers to drop what came before, so a
 * run is never reported twice.
 *
 * The shards of a run split into shards write to the run's stream, each entry with its `shard`: a
 * shard's attempts are its own, and it ends with a `shard-end`. The server writes the run's `end`
 * once every shard has ended, after a `run:end` event (no `shard`) of the whole run.
 */
export type StreamEntry =
  | { kind: 'attempt-start'; attempt: number; agent: string; shard?: number }
  | { kind: 'event'; attempt: number; event: unknown; shard?: number }
  | { kind: 'shard-end'; attempt: number; shard: number; result: RunJobResult }
  | { kind: 'end'; attempt: number; result: RunJobResult };

/**
 * How the text of an `event` entry begins: {@link RunStreamWriter} writes `kind` first. The server's
 * tracker needs only the other entries and leaves these unparsed (most entries of a run, and the largest).
 */
export const EVENT_ENTRY_START = '{"kind":"event",';

/** Reports smaller than this go to Redis as they are; larger ones gzip-compressed. */
const GZIP_ABOVE_BYTES = 16 * 1024;

/**
 * A report file as an agent puts it in `REDIS_KEYS.reports`. A small one (a one-request run's are
 * 3–6 KB) goes as it is: compressing it in the agent and decompressing it in the server cost more
 * CPU than the few KB it saves on the way through Redis. A larger one is gzip-compressed at level 1
 * (about as small as the default level 6 on these reports, at a quarter of the CPU).
 * {@link unpackReport} tells them apart by gzip's magic bytes (RFC 1952 §2.3.1, ID1 = 31, ID2 = 139),
 * which no report text (JSON, XML, HTML: UTF-8 starting with `{` or `<`) starts with.
 */
export function packReport(content: Buffer): Buffer {
  return content.length < GZIP_ABOVE_BYTES ? content : gzipSync(content, { level: 1 });
}

/** The report file's bytes from what {@link packReport} stored (gzip or as it is). */
export function unpackReport(packed: Buffer): Buffer {
  return packed.length >= 2 && packed[0] === 0x1f && packed[1] === 0x8b ? gunzipSync(packed) : packed;
}

/** The counts of a run that ran nothing (it could not start, or its agent was lost). */
export function emptyCounts(): RunJobResult['counts'] {
  return { scenarios: 0, steps: 0, requests: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };
}

/** The heartbeat an agent keeps in `REDIS_KEYS.agents`. */
export interface AgentInfo {
  name: string;
  pool: string;
  version: string;
  concurrency: number;
  busy: number;
  startedAt: number;
  lastSeen: number;
}

/**
 * Connection options that let BullMQ open and close its connections itself. Given a shared ioredis
 * instance instead, a queue closed while it still checks the Redis version leaves that check to fail
 * once the instance is closed, with an 'error' nobody listens to any more: the process crashed on stop.
 */
export function bullmqConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null };
}

/**
 * Closes a BullMQ queue or worker once its connections have finished initialising. BullMQ 5.81's
 * `RedisConnection.close()` disconnects a connection that is still initialising and removes its
 * listeners; the pending initialisation then rejects with "Connection is closed" and emits 'error'
 * with nobody listening: an uncaught error that crashed a server stopped just after it started (2 of
 * 30 starts), and an agent stopped as soon as it said it waits for runs. `waitUntilReady` covers a
 * part's main connection; a worker's blocking one is `blockingConnectionReady`'s, given in
 * `alsoReady`. A part whose Redis does not answer within `waitMs` is left open (a worker in that state
 * has taken no job): its process is stopping.
 */
export async function closeWhenReady(
  part: { waitUntilReady(): Promise<unknown>; close(): Promise<void> },
  alsoReady: readonly Promise<unknown>[] = [],
  waitMs = 2_000,
): Promise<void> {
  if (await settlesWithin(Promise.all([part.waitUntilReady(), ...alsoReady]), waitMs)) await part.close();
}

/**
 * When a BullMQ worker's blocking connection is ready: the worker emits 'ready' for it (and only for
 * it). Called right after the worker is made, so the event is not missed.
 */
export function blockingConnectionReady(worker: { once(event: 'ready', listener: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => worker.once('ready', () => resolve()));
}
