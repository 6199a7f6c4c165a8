import type { Redis } from 'ioredis';
import { REDIS_KEYS, type RunJobResult, type StreamEntry } from './protocol.js';

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
  readonly #options: Required<RunStreamWriterOptions>;
  #pending: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(redis: Redis, runId: string, attempt: number, options: RunStreamWriterOptions = {}) {
    this.#redis = redis;
    this.#key = REDIS_KEYS.events(runId);
    this.#attempt = attempt;
    this.#options = { maxLength: 200_000, flushMs: 20, batchSize: 200, ttlSeconds: 3_600, ...options };
  }

  async start(agent: string): Promise<void> {
    this.#push({ kind: 'attempt-start', attempt: this.#attempt, agent });
    await this.flush();
  }

  /** Queues one run event (already redacted by the engine). Never throws: a lost event is retried with the batch. */
  event(event: unknown): void {
    this.#push({ kind: 'event', attempt: this.#attempt, event });
  }

  async end(result: RunJobResult): Promise<void> {
    this.#push({ kind: 'end', attempt: this.#attempt, result });
    await this.flush();
    await this.#redis.expire(this.#key, this.#options.ttlSeconds);
  }

  /** Sends what waits; resolves when Redis has it. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return;
      const pipeline = this.#redis.pipeline();
      for (const entry of batch) pipeline.xadd(this.#key, 'MAXLEN', '~', this.#options.maxLength, '*', 'e', entry);
      await pipeline.exec();
    });
    return this.#flushing;
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
