/**
 * A redis-server of the test's own on a free port (the binary is on the machine), so tests that
 * stop, restart or fill Redis never disturb the shared one on 6379.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface OwnRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (its data is gone: nothing is saved). */
  restart(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open and nothing answers, as with a hung server or host. */
  pause(): void;
  /** Thaws a paused one (SIGCONT): it answers again, with its data. */
  resume(): void;
  close(): Promise<void>;
}

/** A port free now (bound, then released): nothing listens on it until someone does. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'sortie-redis-'));
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore',
    });
    // ioredis retries every 50 ms until the server listens; 'ready' is its first answer.
    const probe = new Redis({ port, host: '127.0.0.1', retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => {});
    const started = child;
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      probe.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
      started.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    probe.disconnect();
    // Say so at once (a restart can find its port taken meanwhile) rather than leave the test waiting on a Redis that is not there.
    if (!answered) throw new Error(`redis-server on port ${port} did not start (exit code ${started.exitCode ?? 'none'})`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every key of a Redis and its value as text (strings, hashes, lists, sets, sorted sets, streams), for the
 * tests that prove a secret is nowhere in Redis: BullMQ's job payloads, event streams, locks and caches.
 */
export async function readAllOfRedis(client: Redis): Promise<Array<{ key: string; text: string }>> {
  const entries: Array<{ key: string; text: string }> = [];
  for (const key of await client.keys('*')) {
    const type = await client.type(key);
    let text = key;
    if (type === 'string') text += (await client.getBuffer(key))?.toString('latin1') ?? '';
    else if (type === 'hash') text += JSON.stringify(await client.hgetall(key));
    else if (type === 'list') text += JSON.stringify(await client.lrange(key, 0, -1));
    else if (type === 'set') text += JSON.stringify(await client.smembers(key));
    else if (type === 'zset') text += JSON.stringify(await client.zrange(key, 0, -1));
    else if (type === 'stream') text += JSON.stringify(await client.xrange(key, '-', '+'));
    entries.push({ key, text });
  }
  return entries;
}
