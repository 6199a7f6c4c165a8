import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAgents } from '../src/heartbeat.js';
import { queueName, REDIS_KEYS, type RunJobData, type RunJobResult, type StreamEntry } from '../src/protocol.js';
import { readRunStream } from '../src/run-stream.js';
import { type OwnRedis, startOwnRedis } from './redis-server.js';

let own: OwnRedis;
let queue: Queue<RunJobData, RunJobResult>;
let events: QueueEvents;
let redis: Redis;
const children: ChildProcess[] = [];

/** Starts an agent as a separate process and waits until it listens. */
async function startChild(name: string, lockMs = 1_000, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./agent-child.ts', import.meta.url).pathname, own.url, name, String(lockMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`agent ${name} exited with ${code}`)));
  });
  return child;
}

async function submit(runId: string, delayMs: number) {
  return queue.add('run', { runId, plan: { delayMs }, options: {}, reports: ['json'] }, { jobId: runId, removeOnComplete: false });
}

async function streamOf(runId: string): Promise<StreamEntry[]> {
  const seen: StreamEntry[] = [];
  for await (const { entry } of readRunStream(new Redis(own.url), runId, { blockMs: 200, signal: AbortSignal.timeout(30_000) }))
    seen.push(entry);
  return seen;
}

beforeAll(async () => {
  own = await startOwnRedis();
  redis = new Redis(own.url, { maxRetriesPerRequest: null });
  queue = new Queue(queueName('default'), { connection: new Redis(own.url, { maxRetriesPerRequest: null }) });
  events = new QueueEvents(queueName('default'), { connection: new Redis(own.url, { maxRetriesPerRequest: null }) });
  await events.waitUntilReady();
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await events.close();
  await queue.close();
  redis.disconnect();
  await own.close();
});

describe('sortie agent (separate processes, a redis-server of the test)', { timeout: 60_000 }, () => {
  it('runs a submitted job, streams its events and leaves its reports for the server', async () => {
    await startChild('solo');
    const job = await submit('run-ok', 50);
    const result = await job.waitUntilFinished(events, 20_000);
    expect(result).toMatchObject({ runId: 'run-ok', agent: 'solo', status: 'passed', reports: ['report.json'] });
    const stream = await streamOf('run-ok');
    expect(stream.map((e) => e.kind)).toEqual(['attempt-start', 'event', 'end']);
    const report = await redis.hgetBuffer(REDIS_KEYS.reports('run-ok'), 'report.json');
    expect(JSON.parse((report as Buffer).toString())).toEqual({ by: 'solo', attempt: 1 });
  });

  it('shares one queue between two agents', async () => {
    await startChild('a1');
    await startChild('a2');
    const jobs = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(`run-share-${i}`, 300)));
    const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 20_000)));
    expect(new Set(results.map((r) => r.agent))).toEqual(new Set(['a1', 'a2']));
    expect(results.every((r) => r.status === 'passed')).toBe(true);
  });

  it('hands the run of an agent killed with -9 to another agent, once, with a new attempt', async () => {
    const doomed = await startChild('doomed', 1_000);
    const job = await submit('run-kill', 1_500);
    // Wait until the doomed agent has started it, then kill it without a chance to clean up.
    for (let i = 0; i < 100 && (await redis.xlen(REDIS_KEYS.events('run-kill'))) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    doomed.kill('SIGKILL');
    await once(doomed, 'exit');
    await startChild('rescuer', 1_000);
    const result = await job.waitUntilFinished(events, 30_000);
    expect(result).toMatchObject({ agent: 'rescuer', status: 'passed' });
    const stream = await streamOf('run-kill');
    const starts = stream.filter((e) => e.kind === 'attempt-start');
    expect(starts).toEqual([
      { kind: 'attempt-start', attempt: 1, agent: 'doomed' },
      { kind: 'attempt-start', attempt: 2, agent: 'rescuer' },
    ]);
    expect(stream.filter((e) => e.kind === 'end')).toHaveLength(1);
    expect((await listAgents(redis, { lostAfterMs: 500 })).find((a) => a.name === 'doomed')?.state).toBe('lost');
  });

  it('ends a run as "agent lost" when its agents die more often than allowed', async () => {
    const first = await startChild('lost-1', 800);
    const job = await submit('run-lost', 60_000);
    for (let i = 0; i < 100 && (await redis.xlen(REDIS_KEYS.events('run-lost'))) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    first.kill('SIGKILL');
    const second = await startChild('lost-2', 800);
    for (let i = 0; i < 200 && (await redis.xlen(REDIS_KEYS.events('run-lost'))) < 3; i++) await new Promise((r) => setTimeout(r, 50));
    second.kill('SIGKILL');
    await startChild('lost-3', 800);
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow(/stalled more than allowable limit/);
  });

  it('stops gracefully on SIGTERM: finishes the run in hand within the grace period', async () => {
    const child = await startChild('graceful', 1_000, { GRACE_MS: '5000' });
    const job = await submit('run-grace', 400);
    for (let i = 0; i < 100 && (await redis.xlen(REDIS_KEYS.events('run-grace'))) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await job.waitUntilFinished(events, 5_000)).toMatchObject({ status: 'passed', agent: 'graceful' });
    expect((await listAgents(redis)).map((a) => a.name)).not.toContain('graceful');
  });

  it('interrupts the run in hand when the grace period ends, and reports it as interrupted', async () => {
    const child = await startChild('impatient', 1_000, { GRACE_MS: '200' });
    const job = await submit('run-interrupt', 60_000);
    for (let i = 0; i < 100 && (await redis.xlen(REDIS_KEYS.events('run-interrupt'))) === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    await once(child, 'exit');
    expect(await job.waitUntilFinished(events, 5_000)).toMatchObject({ status: 'interrupted' });
  });

  it('stops a run whose job lock it lost (Redis away too long), without ending the run: the next attempt does', async () => {
    // BullMQ hands such a job on as stalled; the agent went on with its attempt beside the next one,
    // making every request again, and its end could be read as the run's.
    await startChild('lock-loser', 1_000);
    const job = await submit('run-lock-lost', 60_000);
    for (let i = 0; i < 100 && (await redis.xlen(REDIS_KEYS.events('run-lock-lost'))) === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    // Another worker holds the lock now, as after a stalled check that handed the job on.
    const lock = `bull:${queueName('default')}:run-lock-lost:lock`;
    await redis.set(lock, 'another-worker-token', 'PX', 60_000);
    const busy = async () => (await listAgents(redis)).find((agent) => agent.name === 'lock-loser')?.busy;
    let left = await busy();
    for (let i = 0; i < 100 && left !== 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      left = await busy();
    }
    expect(left).toBe(0);
    const stream = await redis.xrange(REDIS_KEYS.events('run-lock-lost'), '-', '+');
    expect(stream.map(([, fields]) => (JSON.parse(fields[1] as string) as StreamEntry).kind)).not.toContain('end');
    await redis.del(lock);
    await job.remove();
  });

  it('cancels a running run when the server publishes its id', async () => {
    await startChild('canceller');
    const job = await submit('run-cancel', 60_000);
    for (let i = 0; i < 100 && (await redis.xlen(REDIS_KEYS.events('run-cancel'))) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await redis.publish(REDIS_KEYS.cancelChannel, 'run-cancel');
    expect(await job.waitUntilFinished(events, 5_000)).toMatchObject({ status: 'cancelled' });
  });
});
