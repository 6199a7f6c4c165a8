import { ErrorCode, SortieError } from '@sortie/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Heartbeat, listAgents, refuseLiveName } from '../src/heartbeat.js';
import type { RunJobResult, StreamEntry } from '../src/protocol.js';
import { EVENT_ENTRY_START, queueName, REDIS_KEYS } from '../src/protocol.js';
import { RunStreamWriter, readRunStream } from '../src/run-stream.js';
import { type OwnRedis, startOwnRedis } from './redis-server.js';

let own: OwnRedis;
const clients: Redis[] = [];
const connect = () => {
  const redis = new Redis({ port: own.port, host: '127.0.0.1', maxRetriesPerRequest: null });
  clients.push(redis);
  return redis;
};

beforeAll(async () => {
  own = await startOwnRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await own.close();
});

const result: RunJobResult = {
  runId: 'r1',
  agent: 'a1',
  status: 'passed',
  counts: { scenarios: 1, steps: 1, requests: 1, passed: 1, failed: 0, errored: 0, skipped: 0 },
  startedAt: 1,
  endedAt: 2,
  reports: ['report.json'],
};

describe('Heartbeat', () => {
  it('lists a beating agent as live, busy while it has runs, lost (with no busy slot) when its beats stop, and forgets it after a graceful stop', async () => {
    const redis = connect();
    const beat = new Heartbeat(redis, { name: 'eu-1', pool: 'eu', version: '0.1.0', concurrency: 2, startedAt: 1 }, { intervalMs: 50 });
    await beat.start();
    expect((await listAgents(redis)).map((a) => [a.name, a.state, a.pool, a.concurrency])).toEqual([['eu-1', 'live', 'eu', 2]]);
    beat.setBusy(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await listAgents(redis))[0]?.state).toBe('busy');
    // As seen 20 s later without a beat (the process was killed).
    // Its last beat said busy 1 (it was killed in a run): listed lost with no busy slot, not busy for ever.
    expect((await listAgents(redis, { now: Date.now() + 20_000, lostAfterMs: 10_000 }))[0]).toMatchObject({ state: 'lost', busy: 0 });
    await beat.stop();
    expect(await listAgents(redis)).toEqual([]);
  });

  it('refuses a second agent of a name a live agent beats under, and takes the name of one that died', async () => {
    const redis = connect();
    const beat = new Heartbeat(redis, { name: 'twin', pool: 'eu', version: '0.1.0', concurrency: 1, startedAt: 1 }, { intervalMs: 50 });
    await beat.start();
    // Two agents of one name were listed as one, their slots and pools flipping from beat to beat.
    const refused = await refuseLiveName(redis, 'twin', { intervalMs: 50 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SortieError);
    expect((refused as SortieError).code).toBe(ErrorCode.USAGE);
    expect((refused as SortieError).message).toContain('an agent named "twin" is already running (pool eu');
    expect((refused as SortieError).hint).toContain('--name');
    await beat.stop();
    // Gone gracefully: no entry; killed: an entry whose beats stopped. Both names are free.
    await refuseLiveName(redis, 'twin', { intervalMs: 50 });
    const dead = new Heartbeat(redis, { name: 'killed', pool: 'eu', version: '0.1.0', concurrency: 1, startedAt: 1 });
    await dead.beat();
    await refuseLiveName(redis, 'killed', { intervalMs: 50 });
    await redis.hdel('sortie:agents', 'killed');
  });

  it('forgets an agent lost for longer than forgetAfterMs', async () => {
    const redis = connect();
    const beat = new Heartbeat(redis, { name: 'gone', pool: 'default', version: '0.1.0', concurrency: 1, startedAt: 1 });
    await beat.beat(1_000);
    expect(await listAgents(redis, { now: 1_000 + 25 * 3_600_000 })).toEqual([]);
    expect(await redis.hlen('sortie:agents')).toBe(0);
  });
});

describe('run streams', () => {
  it('delivers an attempt start, every event in order and the end to a reader that blocks while they come', async () => {
    const writer = new RunStreamWriter(connect(), 'run-a', 1, { batchSize: 7, flushMs: 5 });
    const read = (async () => {
      const seen: StreamEntry[] = [];
      for await (const { entry } of readRunStream(connect(), 'run-a', { blockMs: 200 })) seen.push(entry);
      return seen;
    })();
    await writer.start('a1');
    for (let i = 0; i < 50; i++) writer.event({ type: 'step:end', i });
    await writer.end(result);
    const seen = await read;
    expect(seen[0]).toEqual({ kind: 'attempt-start', attempt: 1, agent: 'a1' });
    expect(seen.slice(1, -1).map((e) => (e.kind === 'event' ? (e.event as { i: number }).i : -1))).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(seen.at(-1)).toEqual({ kind: 'end', attempt: 1, result });
  });

  it('writes every event entry, and no other, starting with EVENT_ENTRY_START (the server skips those unparsed)', async () => {
    const writer = new RunStreamWriter(connect(), 'run-kinds', 3);
    await writer.start('a3');
    writer.event({ type: 'log', message: '{"kind":"end"}' });
    writer.event('text');
    await writer.end(result);
    const texts = (await connect().xrange(REDIS_KEYS.events('run-kinds'), '-', '+')).map(([, fields]) => fields[1] as string);
    expect(texts.map((text) => text.startsWith(EVENT_ENTRY_START))).toEqual([false, true, true, false]);
    expect(texts.map((text) => (JSON.parse(text) as StreamEntry).kind)).toEqual(['attempt-start', 'event', 'event', 'end']);
  });

  it('lets a late reader resume from the last id it saw', async () => {
    const writer = new RunStreamWriter(connect(), 'run-b', 2);
    await writer.start('a2');
    writer.event({ n: 1 });
    await writer.flush();
    const first: string[] = [];
    for await (const { id, entry } of readRunStream(connect(), 'run-b', { blockMs: 50, signal: AbortSignal.timeout(300) })) {
      first.push(id);
      if (entry.kind === 'event') break;
    }
    writer.event({ n: 2 });
    await writer.end(result);
    const rest: StreamEntry[] = [];
    for await (const { entry } of readRunStream(connect(), 'run-b', { fromId: first.at(-1) as string })) rest.push(entry);
    expect(rest.map((e) => e.kind)).toEqual(['event', 'end']);
    expect(await connect().ttl('sortie:run:run-b:events')).toBeGreaterThan(0);
  });
});

describe('queueName', () => {
  it('gives one queue per pool and refuses a pool name that could reach another key', () => {
    expect(queueName('eu-west')).toBe('sortie-runs-eu-west');
    expect(() => queueName('a:b')).toThrow('invalid pool name');
    expect(() => queueName('')).toThrow('invalid pool name');
  });
});
