import { dirname, resolve } from 'node:path';
import { ErrorCode, SortieError, settlesWithin } from '@sortie/core';
import type { Redis } from 'ioredis';
import { buildApp } from './app.js';
import type { BundleLimits } from './bundle/read-bundle.js';
import { lockDataDir } from './data-dir-lock.js';
import { type LoadBundlePlan, PlanStorage } from './plan-storage.js';
import { serverRedis } from './redis-connection.js';
import { RunDispatcher } from './run-dispatcher.js';
import { RunTracker } from './run-tracker.js';
import { Schedules } from './schedules.js';
import { openStore, sqliteFile } from './store/open-store.js';
import type { Store } from './store/store.js';

export interface ServerOptions {
  /** `--redis`: a redis:// URL. */
  redis: string;
  /** `--port` (default 8787; 0 for any free port). */
  port?: number;
  /** `--host` (default 127.0.0.1). */
  host?: string;
  /** `--data-dir`: plans, reports and the SQLite history (default `./sortie-server`). */
  dataDir: string;
  /** `--database`: `postgres://…` for the history instead of SQLite. */
  database?: string;
  /** `--retention-days`: finished runs and their reports older than this are deleted (default 30; 0 keeps all). */
  retentionDays?: number;
  version: string;
  loadPlan: LoadBundlePlan;
  bundleLimits?: BundleLimits;
  /** Event streams open at once (default 256, `MAX_EVENT_STREAMS`): each holds a Redis connection. */
  maxEventStreams?: number;
  onLog?: (message: string) => void;
  /**
   * Told when the start waits to see whether another server still refreshes the data dir's lock (see
   * lockDataDir; default `onLog`): the start is then slow because of the lock, not Redis.
   */
  onDataDirWait?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  store: Store;
  close(): Promise<void>;
}

/**
 * `sortie server`: the HTTP API, the run tracker and the schedules, over one Redis and one store. The
 * data dir is locked first (see lockDataDir): a second server on it is refused, and the lock is
 * released when the server closes or fails to start.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const onWait = options.onDataDirWait ?? options.onLog ?? (() => {});
  const locks = [await lockDataDir(options.dataDir, { onWait })];
  const release = () => {
    for (const lock of locks) lock.release();
  };
  let server: RunningServer;
  try {
    // A SQLite history outside the data dir (`--database sqlite:…`) is locked too: servers with data
    // dirs of their own would share it.
    const history = sqliteFile(
      options.database === undefined ? { dataDir: options.dataDir } : { dataDir: options.dataDir, database: options.database },
    );
    if (history !== undefined && history !== ':memory:' && resolve(dirname(history)) !== resolve(options.dataDir)) {
      locks.push(
        await lockDataDir(dirname(history), {
          what: `${dirname(history)}, the folder of this one's --database sqlite:${history}`,
          hint: 'stop that server, or give this one a --database of its own',
          onWait,
        }),
      );
    }
    server = await startLockedServer(options);
  } catch (error) {
    release();
    throw error;
  }
  return {
    ...server,
    async close() {
      try {
        await server.close();
      } finally {
        release();
      }
    },
  };
}

async function startLockedServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.onLog ?? (() => {});
  const store = await openStore(
    options.database === undefined ? { dataDir: options.dataDir } : { dataDir: options.dataDir, database: options.database },
  );
  // Every Redis connection the server opens, so stopping can close them all (one left open keeps
  // the process alive after a SIGTERM). BullMQ's queues and worker open and close their own.
  const connections: Redis[] = [];
  const connect = () => {
    const client = serverRedis(options.redis);
    connections.push(client);
    return client;
  };
  const redis = connect();
  const plans = new PlanStorage(
    options.bundleLimits === undefined
      ? { store, dataDir: options.dataDir, loadPlan: options.loadPlan }
      : { store, dataDir: options.dataDir, loadPlan: options.loadPlan, limits: options.bundleLimits },
  );
  await plans.ensureDir();
  const dispatcher = new RunDispatcher({ store, plans, redis, redisUrl: options.redis });
  const tracker = new RunTracker({
    store,
    blocking: connect(),
    redis,
    dispatcher,
    dataDir: options.dataDir,
    onLog: log,
    version: options.version,
  });
  dispatcher.onSubmit = (run) => tracker.follow(run);
  const schedules = new Schedules({ store, dispatcher, redisUrl: options.redis, onLog: log });
  await tracker.start();
  // In the background: putting the stored schedules back on BullMQ waits for Redis, and a server
  // started while Redis is away must listen all the same (its API says what needs Redis, 503).
  const schedulesStarted = schedules.start().catch((error: Error) => log(`schedules: ${error.message}`));
  const stopping = new AbortController();
  const appServices: Parameters<typeof buildApp>[0] = {
    store,
    plans,
    dispatcher,
    tracker,
    schedules,
    redis,
    version: options.version,
    stopping: stopping.signal,
  };
  if (options.maxEventStreams !== undefined) appServices.maxEventStreams = options.maxEventStreams;
  if (options.bundleLimits?.maxBytes !== undefined) appServices.maxBundleBytes = options.bundleLimits.maxBytes;
  const app = await buildApp(appServices);
  /** Stops every part promptly, whatever state Redis is in (see close). */
  const stopParts = async () => {
    await settlesWithin(Promise.allSettled([schedulesStarted, schedules.close(), tracker.stop(), dispatcher.close()]), 3_000);
    for (const client of connections) client.disconnect();
    await store.close();
  };
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8787;
  let address: string;
  try {
    address = await app.listen({ port, host });
  } catch (error) {
    await app.close();
    await stopParts();
    throw listenError(error, host, port);
  }

  const retentionMs = (options.retentionDays ?? 30) * 86_400_000;
  const prune = async () => {
    const leftovers = await plans.removeLeftovers();
    if (leftovers > 0) log(`removed ${leftovers} plan folder(s) left by uploads cut short`);
    if (retentionMs <= 0) return;
    const before = Date.now() - retentionMs;
    for (const { id, reports } of await store.deleteRunsEndedBefore(before)) await tracker.deleteReports(id, reports);
    // Then the plans (a folder per distinct bundle) that no run or schedule left names.
    for (const id of await store.deletePlansUnusedBefore(before)) await plans.remove(id);
  };
  await prune().catch((error: Error) => log(`retention: ${error.message}`));
  const pruneTimer = setInterval(() => void prune().catch((error: Error) => log(`retention: ${error.message}`)), 3_600_000);
  pruneTimer.unref();

  return {
    url: address,
    store,
    /**
     * Stops promptly whatever state Redis and the clients are in: the event streams end (their
     * clients reconnect with Last-Event-ID to the next server), requests in flight get a few seconds,
     * the BullMQ parts a few more (their close waits on Redis, which may be down), then every
     * connection is closed. Runs in hand stay in the store and on the queue: the next start follows
     * them again.
     */
    async close() {
      clearInterval(pruneTimer);
      stopping.abort();
      if (!(await settlesWithin(app.close(), 5_000))) app.server.closeAllConnections();
      await stopParts();
    },
  };
}

/** Why the server cannot listen, as the operator can act on it: the port taken, not allowed, or the host not this machine's. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: string }).code;
  const reasons: Record<string, [string, string]> = {
    EADDRINUSE: ['is in use by another program', 'choose another --port, or stop what listens there'],
    EACCES: ['needs privileges this user does not have', 'choose a --port above 1023, or run as a user allowed to listen there'],
    EADDRNOTAVAIL: ['is not an address of this machine', 'give --host an address of this machine (0.0.0.0 for all of them)'],
  };
  const reason = code === undefined ? undefined : reasons[code];
  if (reason === undefined) return error;
  return new SortieError(ErrorCode.USAGE, 'Cannot listen', `${host}:${port} ${reason[0]} (${code})`, { hint: reason[1] });
}
