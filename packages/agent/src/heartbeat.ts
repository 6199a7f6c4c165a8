import { ErrorCode, SortieError, sleep } from '@sortie/core';
import type { Redis } from 'ioredis';
import { type AgentInfo, REDIS_KEYS } from './protocol.js';

/** An agent as the server lists it: live (idle), busy, or lost (no heartbeat for `lostAfterMs`). */
export interface AgentStatus extends AgentInfo {
  state: 'live' | 'busy' | 'lost';
}

export interface HeartbeatOptions {
  /** How often the agent writes its heartbeat (default 2,000 ms). */
  intervalMs?: number;
}

/** At most one busy-count write per this many ms (besides the regular beats). */
const BUSY_WRITE_MS = 50;

/**
 * An agent's registration: its heartbeat written to Redis every `intervalMs` with its busy slots,
 * until `stop()` removes it (a graceful stop). An agent that dies keeps its last heartbeat, which
 * ages until the server lists it as lost.
 */
export class Heartbeat {
  readonly #redis: Redis;
  readonly #info: AgentInfo;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #busyTimer: NodeJS.Timeout | undefined;
  #lastBeat = 0;

  constructor(redis: Redis, info: Omit<AgentInfo, 'lastSeen' | 'busy'>, options: HeartbeatOptions = {}) {
    this.#redis = redis;
    this.#info = { ...info, busy: 0, lastSeen: 0 };
    this.#intervalMs = options.intervalMs ?? 2_000;
  }

  /** Writes the first heartbeat, then one every interval. Redis errors are retried at the next beat. */
  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => {
      this.beat().catch(() => {});
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /**
   * The number of runs in hand; written soon (within {@link BUSY_WRITE_MS}), so the server sees a busy
   * agent without waiting a beat. Changes closer together are written once, with the latest count: an
   * agent going through short runs back to back (10–20 ms each in the agents bench) would otherwise
   * write twice a run.
   */
  setBusy(busy: number): void {
    this.#info.busy = busy;
    if (this.#busyTimer !== undefined) return;
    const wait = Math.max(0, this.#lastBeat + BUSY_WRITE_MS - Date.now());
    this.#busyTimer = setTimeout(() => {
      this.#busyTimer = undefined;
      this.beat().catch(() => {});
    }, wait);
    this.#busyTimer.unref();
  }

  async beat(now = Date.now()): Promise<void> {
    this.#info.lastSeen = now;
    this.#lastBeat = now;
    await this.#redis.hset(REDIS_KEYS.agents, this.#info.name, JSON.stringify(this.#info));
  }

  /** Stops beating and deregisters (a graceful stop, so the agent is not listed as lost). */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#busyTimer !== undefined) clearTimeout(this.#busyTimer);
    this.#busyTimer = undefined;
    await this.#redis.hdel(REDIS_KEYS.agents, this.#info.name);
  }
}

/**
 * Refuses to start an agent under a name a live agent already beats under: the two would share one
 * entry, listed as one agent whose pool and slots flip from beat to beat, and a graceful stop of one
 * would unlist the other. An entry whose beats stopped (an agent killed, then restarted under its name)
 * leaves the name free: a recent entry is read again after a beat, and only one that moved is live.
 */
export async function refuseLiveName(
  redis: Redis,
  name: string,
  options: { intervalMs?: number; lostAfterMs?: number } = {},
): Promise<void> {
  const read = async (): Promise<AgentInfo | undefined> => {
    const text = await redis.hget(REDIS_KEYS.agents, name);
    try {
      return text === null ? undefined : (JSON.parse(text) as AgentInfo);
    } catch {
      return undefined;
    }
  };
  const first = await read();
  if (first === undefined || Date.now() - first.lastSeen > (options.lostAfterMs ?? 10_000)) return;
  await sleep((options.intervalMs ?? 2_000) + 500);
  const second = await read();
  if (second === undefined || second.lastSeen === first.lastSeen) return;
  throw new SortieError(
    ErrorCode.USAGE,
    'Agent name in use',
    `an agent named "${name}" is already running (pool ${second.pool}, started ${new Date(second.startedAt).toISOString()})`,
    { hint: 'give each agent a name of its own with --name (by default: the host name and process id)' },
  );
}

/**
 * Every registered agent with its state. Lost agents stay listed (so a team sees what went away),
 * with no busy slot, until `forgetAfterMs` without a heartbeat, when they are removed.
 */
export async function listAgents(
  redis: Redis,
  options: { now?: number; lostAfterMs?: number; forgetAfterMs?: number } = {},
): Promise<AgentStatus[]> {
  const now = options.now ?? Date.now();
  const lostAfterMs = options.lostAfterMs ?? 10_000;
  const forgetAfterMs = options.forgetAfterMs ?? 24 * 3_600_000;
  const entries = await redis.hgetall(REDIS_KEYS.agents);
  const agents: AgentStatus[] = [];
  for (const [name, text] of Object.entries(entries)) {
    let info: AgentInfo;
    try {
      info = JSON.parse(text) as AgentInfo;
    } catch {
      continue;
    }
    const age = now - info.lastSeen;
    if (age > forgetAfterMs) {
      await redis.hdel(REDIS_KEYS.agents, name);
      continue;
    }
    // A lost agent holds no slot: its last beat's busy count (a run it was killed in) is not a run in hand.
    if (age > lostAfterMs) agents.push({ ...info, busy: 0, state: 'lost' });
    else agents.push({ ...info, state: info.busy > 0 ? 'busy' : 'live' });
  }
  return agents.sort((a, b) => a.name.localeCompare(b.name));
}
