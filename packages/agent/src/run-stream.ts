import type { ChainableCommander, Redis } from 'ioredis';
import { REDIS_KEYS, RESULT_FIELD, type RunJobResult, type StreamEntry } from './protocol.js';

export interface RunStreamWriterOptions {
  /** Entries kept per run (approximate trimming; default 200,000). */
  maxLength?: number;
  /** Events are sent in batches: at most this many ms after the first one waits (default 20). */
  flushMs?: number;
  /** …or as soon as this many wait (default 200). */
  batchSize?: number;
  /** How long a finished run's stream stays for late readers (default 1 hour). */
  ttlSeconds?: number;
}

/**
 * Writes one attempt of a run to its Redis stream: an `attempt-start`, the run's events in order
 * (batched into pipelines so a fast run is not one round trip per step), and an `end`.
 */
export class RunStreamWriter {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #attempt: number;
  readonly #shard: number | undefined;
  readonly #options: Required<RunStreamWriterOptions>;
  #pending: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  /** `shard`: the writer of one shard of a run split into shards (its entries say which; it ends with a `shard-end`). */
  constructor(redis: Redis, runId: string, attempt: number, options: RunStreamWriterOptions & { shard?: number } = {}) {
    this.#redis = redis;
    this.#key = REDIS_KEYS.events(runId);
    this.#attempt = attempt;
    this.#shard = options.shard;
    this.#options = { maxLength: 200_000, flushMs: 20, batchSize: 200, ttlSeconds: 3_600, ...options };
  }

  /**
   * Writes the `attempt-start` entry (and what waits). With `flagKey`, also reads in the same round
   * trip that key's value (the run's cancel flag: `1` for a cancel, `bail` when another shard bailed):
   * a run's start is one round trip to Redis.
   */
  async start(agent: string, flagKey?: string): Promise<string | undefined> {
    this.#push(
      this.#shard === undefined
        ? { kind: 'attempt-start', attempt: this.#attempt, agent }
        : { kind: 'attempt-start', attempt: this.#attempt, agent, shard: this.#shard },
    );
    let flag: string | undefined;
    await this.#send((pipeline) => {
      if (flagKey !== undefined) pipeline.get(flagKey);
    }).then((replies) => {
      const reply = flagKey === undefined ? undefined : replies?.at(-1);
      if (reply !== undefined && reply[0] !== null) throw reply[0];
      flag = typeof reply?.[1] === 'string' ? reply[1] : undefined;
    });
    return flag;
  }

  /** Queues one run event (already redacted by the engine). Never throws: a lost event is retried with the batch. */
  event(event: unknown): void {
    this.#push(
      this.#shard === undefined
        ? { kind: 'event', attempt: this.#attempt, event }
        : { kind: 'event', attempt: this.#attempt, event, shard: this.#shard },
    );
  }

  /**
   * Writes the `end` entry (a shard's `shard-end`) after what waits, with the run's report files (gzip bytes by file name,
   * into `reportsKey` for `reportsTtlSeconds`) in the same MULTI: whoever reads the end finds the
   * reports, and the end of a run is one round trip to Redis.
   */
  async end(result: RunJobResult, reports?: { key: string; files: Map<string, Buffer>; ttlSeconds: number }): Promise<void> {
    this.#push(
      this.#shard === undefined
        ? { kind: 'end', attempt: this.#attempt, result }
        : { kind: 'shard-end', attempt: this.#attempt, shard: this.#shard, result },
    );
    const replies = await this.#send((multi) => {
      multi.expire(this.#key, this.#options.ttlSeconds);
      if (reports === undefined) return;
      // The outcome beside the reports, kept as long as they are (see RESULT_FIELD).
      multi.hset(reports.key, RESULT_FIELD, JSON.stringify(result));
      if (reports.files.size > 0) multi.hset(reports.key, reports.files);
      multi.expire(reports.key, reports.ttlSeconds);
    }, true);
    const failed = replies?.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
  }

  /** Sends what waits; resolves when Redis has it. */
  flush(): Promise<void> {
    return this.#send(() => {}).then(() => {});
  }

  /**
   * Sends what waits in one pipeline (a MULTI with `atomic`), followed by the commands `more` adds,
   * after any send still under way; resolves with the replies.
   */
  #send(more: (pipeline: ChainableCommander) => void, atomic = false): Promise<[Error | null, unknown][] | null> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    const sent = this.#flushing.then(async () => {
      const pipeline = atomic ? this.#redis.multi() : this.#redis.pipeline();
      for (const entry of batch) pipeline.xadd(this.#key, 'MAXLEN', '~', this.#options.maxLength, '*', 'e', entry);
      more(pipeline);
      if (pipeline.length === 0) return null;
      return pipeline.exec();
    });
    this.#flushing = sent.then(
      () => {},
      () => {},
    );
    return sent;
  }

  #push(entry: StreamEntry): void {
    this.#pending.push(JSON.stringify(entry));
    if (this.#pending.length >= this.#options.batchSize) {
      this.flush().catch(() => {});
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.flush().catch(() => {});
      }, this.#options.flushMs);
    }
  }
}

/**
 * Reads a run's stream from `fromId` (exclusive; `0` for the start), blocking for new entries, until
 * an `end` entry or the signal aborts. Uses its own connection: XREAD BLOCK holds it.
 */
export async function* readRunStream(
  redis: Redis,
  runId: string,
  options: { fromId?: string; blockMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<{ id: string; entry: StreamEntry }> {
  const key = REDIS_KEYS.events(runId);
  let lastId = options.fromId ?? '0';
  const blockMs = options.blockMs ?? 1_000;
  while (options.signal?.aborted !== true) {
    const reply = (await redis.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', key, lastId)) as [string, [string, string[]][]][] | null;
    if (reply === null) continue;
    for (const [, entries] of reply) {
      for (const [id, fields] of entries) {
        lastId = id;
        const text = fields[1];
        if (text === undefined) continue;
        const entry = JSON.parse(text) as StreamEntry;
        yield { id, entry };
        if (entry.kind === 'end') return;
      }
    }
  }
}

/** The `end` entry of a finished run, if its stream has one (for a reader that comes late). */
export function isEnd(entry: StreamEntry): entry is { kind: 'end'; attempt: number; result: RunJobResult } {
  return entry.kind === 'end';
}

/**
 * Ends a run's stream from outside an agent (the server, for a run cancelled before it started or
 * whose agents were lost), so every reader following it stops.
 */
export async function writeEndEntry(redis: Redis, result: RunJobResult, attempt: number, ttlSeconds = 3_600): Promise<void> {
  const key = REDIS_KEYS.events(result.runId);
  const entry: StreamEntry = { kind: 'end', attempt, result };
  await redis.xadd(key, '*', 'e', JSON.stringify(entry));
  await redis.expire(key, ttlSeconds);
}
