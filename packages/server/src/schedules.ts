import { randomUUID } from 'node:crypto';
import { blockingConnectionReady, bullmqConnection, closeWhenReady, POOL_NAME } from '@sortie/agent';
import { ErrorCode, quietRepeats, SortieError } from '@sortie/core';
import { Queue, Worker } from 'bullmq';
import { cronFieldError } from './cron-field-error.js';
import type { RunDispatcher } from './run-dispatcher.js';
import type { ScheduleRecord, Store } from './store/store.js';

const SCHEDULE_QUEUE = 'sortie-schedules';
/** The longest `every`: a year (a larger one put the next run past the dates JavaScript has). */
export const MAX_EVERY_MS = 365 * 86_400_000;
const MAX_NAME_LENGTH = 200;
/** The one-word patterns BullMQ's cron-parser reads (it refuses any other "@…" with "cannot resolve alias"). */
const CRON_MACROS = ['@yearly', '@monthly', '@weekly', '@daily', '@hourly'];
const CRON_HINT = 'a cron pattern has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first: "0 2 * * *"';

/**
 * Refuses a cron pattern that is blank or has other than 5 or 6 fields (or is not one of the macros).
 * BullMQ's cron-parser fills missing fields with `*` from the left, so `"*\/5"` (1 field) was a
 * day-of-week and fired every minute of Sundays and Fridays, and `"   "` every minute.
 */
function checkCronFields(cron: string): void {
  const fields = cron
    .trim()
    .split(/\s+/)
    .filter((field) => field !== '');
  const [first] = fields;
  if (fields.length === 1 && first?.startsWith('@') === true) {
    if (CRON_MACROS.includes(first)) return;
    throw new SortieError(ErrorCode.USAGE, 'Invalid schedule', `cannot schedule ${JSON.stringify(cron)}: not a cron macro`, {
      hint: `the macros: ${CRON_MACROS.join(', ')}; or ${CRON_HINT}`,
    });
  }
  if (fields.length === 5 || fields.length === 6) return;
  const got = fields.length === 0 ? 'it is blank' : `it has ${fields.length} field${fields.length === 1 ? '' : 's'}`;
  throw new SortieError(ErrorCode.USAGE, 'Invalid schedule', `cannot schedule ${JSON.stringify(cron)}: ${got}`, {
    hint: `${CRON_HINT} (a year field is not read)`,
  });
}

/**
 * When a schedule of `every` ms fires first: one interval after it was created, as cron's `@every`
 * and a Kubernetes CronJob do, not at once (BullMQ's default); once resumed or put back on a Redis
 * that lost it, at the next time of that grid (created + k·every) still ahead, never at once. A
 * scheduler BullMQ still has keeps its own next time (BullMQ reads `startDate` only for a new one).
 */
export function firstEveryRun(createdAt: number, every: number, now: number): number {
  if (now < createdAt) return createdAt + every;
  return createdAt + every * (Math.floor((now - createdAt) / every) + 1);
}

export interface NewSchedule {
  name: string;
  planId: string;
  cron?: string;
  every?: number;
  pool?: string;
  options?: Record<string, unknown>;
}

/**
 * Cron schedules of stored plans on BullMQ's job schedulers: each schedule is a scheduler on the
 * `sortie-schedules` queue whose jobs the server turns into runs (trigger `schedule`), so a
 * scheduled run is in the run list like any other. Pausing removes the BullMQ scheduler and keeps
 * the schedule; resuming puts it back. The store is the source of truth; BullMQ is synced from it
 * at start.
 */
export class Schedules {
  readonly #store: Store;
  readonly #dispatcher: RunDispatcher;
  readonly #queue: Queue;
  readonly #worker: Worker;
  /** When the worker's blocking connection is ready (closing it before crashed: closeWhenReady). */
  readonly #workerBlockingReady: Promise<void>;
  #closed = false;

  constructor(options: { store: Store; dispatcher: RunDispatcher; redisUrl: string; onLog?: (message: string) => void }) {
    this.#store = options.store;
    this.#dispatcher = options.dispatcher;
    this.#queue = new Queue(SCHEDULE_QUEUE, { connection: bullmqConnection(options.redisUrl) });
    this.#queue.on('error', () => {});
    const log = quietRepeats(options.onLog ?? (() => {}));
    /** The schedules not in this server's database that fired here, each said once. */
    const unknown = new Set<string>();
    this.#worker = new Worker(
      SCHEDULE_QUEUE,
      async (job) => {
        const id = String((job.data as { scheduleId?: unknown }).scheduleId);
        const schedule = await this.#store.getSchedule(id);
        if (schedule === undefined && !unknown.has(id) && unknown.size < 1_000) {
          // Another server on this Redis made it (the fired job goes to whichever takes it first): its run is lost.
          unknown.add(id);
          log(
            `schedules: schedule ${id} fired, but this server's database does not have it: no run made here ` +
              '(another server with another database uses this Redis, or this database replaced the one that made it)',
          );
        }
        if (schedule === undefined || schedule.paused) return undefined;
        const run = await this.#dispatcher.submit({
          planId: schedule.planId,
          pool: schedule.pool,
          trigger: 'schedule',
          scheduleId: schedule.id,
          options: schedule.options,
        });
        return run.id;
      },
      { connection: bullmqConnection(options.redisUrl), autorun: false },
    );
    this.#workerBlockingReady = blockingConnectionReady(this.#worker);
    this.#worker.on('error', (error) => log(`schedules: ${error.message}`));
  }

  /** Puts every active schedule (back) on BullMQ and starts turning fired jobs into runs. */
  async start(): Promise<void> {
    for (const schedule of await this.#store.listSchedules()) {
      if (this.#closed) return;
      if (schedule.paused) await this.#queue.removeJobScheduler(schedule.id);
      else await this.#upsert(schedule);
    }
    // Closed meanwhile (the server stopped while this waited for Redis): nothing to start.
    if (!this.#closed) void this.#worker.run();
  }

  async create(input: NewSchedule, now = Date.now()): Promise<ScheduleRecord> {
    if ((input.cron === undefined) === (input.every === undefined)) {
      throw new SortieError(ErrorCode.USAGE, 'Invalid schedule', 'give exactly one of "cron" and "every"', {
        hint: '"cron": "*/15 * * * *" (5 fields, or 6 with seconds first) or "every": 60000 (ms)',
      });
    }
    if (input.every !== undefined && (!Number.isInteger(input.every) || input.every < 1_000 || input.every > MAX_EVERY_MS)) {
      throw new SortieError(
        ErrorCode.USAGE,
        'Invalid schedule',
        `"every" must be a whole number of milliseconds, at least 1000 and at most ${MAX_EVERY_MS} (a year)`,
      );
    }
    // A control character (an escape, a newline) reached the terminal of whoever listed the schedules.
    if (input.name.trim() === '' || input.name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(input.name)) {
      throw new SortieError(
        ErrorCode.USAGE,
        'Invalid schedule',
        `"name" must be 1 to ${MAX_NAME_LENGTH} characters, none of them a control character`,
      );
    }
    // Checked here, not when it fires: a schedule of a pool no run can have would fail every time, unseen.
    if (input.pool !== undefined && !POOL_NAME.test(input.pool)) {
      throw new SortieError(ErrorCode.USAGE, 'Invalid pool', `invalid pool name ${JSON.stringify(input.pool)}`, {
        hint: 'letters, digits, "-" and "_", at most 63 characters',
      });
    }
    if ((await this.#store.getPlan(input.planId)) === undefined) {
      throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Unknown plan', `no stored plan ${input.planId}`);
    }
    // Its runs must be possible (a split of a plan with hooks, a secret value): else every run it fires would be refused, unseen.
    await this.#dispatcher.checkOptions(input.planId, input.options ?? {});
    const schedule: ScheduleRecord = {
      id: randomUUID(),
      name: input.name,
      planId: input.planId,
      pool: input.pool ?? 'default',
      options: input.options ?? {},
      paused: false,
      createdAt: now,
    };
    if (input.cron !== undefined) schedule.cron = input.cron;
    if (input.every !== undefined) schedule.every = input.every;
    if (input.cron !== undefined) checkCronFields(input.cron);
    this.#dispatcher.requireRedis('the schedule was not created');
    // BullMQ parses the cron pattern: a bad one is refused before the schedule is stored.
    let scheduled: boolean;
    try {
      scheduled = await this.#upsert(schedule, now);
    } catch (error) {
      // cron-parser refuses a day no month of the pattern has ("0 0 30 2 *") in words of its own.
      if (/Invalid explicit day of month/i.test((error as Error).message)) throw noDateMatches(input.cron ?? '');
      throw new SortieError(
        ErrorCode.USAGE,
        'Invalid schedule',
        `cannot schedule ${JSON.stringify(input.cron)}: ${cronFieldError(input.cron ?? '', (error as Error).message)}`,
        {
          hint: CRON_HINT,
        },
      );
    }
    // BullMQ swallows cron-parser's "loop limit exceeded" of a pattern no date matches ("0 2 31 2,4 *":
    // February and April have no 31st) and schedules nothing: the schedule was listed active and never fired.
    if (!scheduled) {
      await this.#queue.removeJobScheduler(schedule.id);
      throw noDateMatches(input.cron ?? '');
    }
    await this.#store.insertSchedule(schedule);
    return schedule;
  }

  async setPaused(id: string, paused: boolean): Promise<ScheduleRecord | undefined> {
    if ((await this.#store.getSchedule(id)) === undefined) return undefined;
    this.#dispatcher.requireRedis(`the schedule was not ${paused ? 'paused' : 'resumed'}`);
    const schedule = await this.#store.updateSchedule(id, { paused });
    if (schedule === undefined) return undefined;
    if (paused) await this.#queue.removeJobScheduler(id);
    else await this.#upsert(schedule);
    return schedule;
  }

  async remove(id: string): Promise<boolean> {
    if ((await this.#store.getSchedule(id)) === undefined) return false;
    this.#dispatcher.requireRedis('the schedule was not deleted');
    await this.#queue.removeJobScheduler(id);
    return this.#store.deleteSchedule(id);
  }

  /**
   * When each active schedule fires next (ms since the epoch), from its BullMQ job scheduler. Empty
   * while Redis is away: the schedules are still listed from the store, without it.
   */
  async nextRuns(): Promise<Map<string, number>> {
    const next = new Map<string, number>();
    try {
      this.#dispatcher.requireRedis('');
    } catch {
      return next;
    }
    for (const scheduler of await this.#queue.getJobSchedulers(0, -1, true)) {
      if (typeof scheduler.next === 'number') next.set(scheduler.key, scheduler.next);
    }
    return next;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await closeWhenReady(this.#worker, [this.#workerBlockingReady]);
    await closeWhenReady(this.#queue);
  }

  /** Puts the schedule on BullMQ; false when BullMQ found no next time for it (a cron pattern no date matches). */
  async #upsert(schedule: ScheduleRecord, now = Date.now()): Promise<boolean> {
    const repeat =
      schedule.cron !== undefined
        ? { pattern: schedule.cron }
        : { every: schedule.every as number, startDate: firstEveryRun(schedule.createdAt, schedule.every as number, now) };
    const next = await this.#queue.upsertJobScheduler(schedule.id, repeat, {
      name: 'fire',
      data: { scheduleId: schedule.id },
      opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
    return next !== undefined;
  }
}

/** The refusal of a cron pattern no date matches (its day of the month is in none of its months). */
function noDateMatches(cron: string): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Invalid schedule', `cannot schedule ${JSON.stringify(cron)}: no date matches it`, {
    hint: 'the day of the month must exist in one of the months (February has 28 or 29 days; April, June, September and November 30)',
  });
}
