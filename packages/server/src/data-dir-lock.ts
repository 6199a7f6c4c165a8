import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, makeDirectorySync, SortieError } from '@sortie/core';

/** The lock file of a data dir, held by the one `sortie server` that uses it. */
export const LOCK_FILE = 'server.lock';

/** How often the holder touches its lock: a holder on another host is taken for dead once it is this old three times over. */
const TOUCH_MS = 10_000;

/** The lock files this process holds (a library user may start two servers in one process). */
const heldHere = new Set<string>();

/** Who holds a data dir: what the lock file says. */
interface Holder {
  pid: number;
  host: string;
  startedAt: number;
  /** The process's start time in clock ticks since boot (Linux's /proc/<pid>/stat), so a reused pid is not taken for the holder. */
  ticks?: string;
  /** Unique per lock: a takeover checks that the lock it judged stale is still that one. */
  nonce: string;
}

export interface DataDirLock {
  /** Removes the lock file (if it is still this server's). */
  release(): void;
}

/**
 * Takes a data dir for this server, so that two `sortie server` processes never share its SQLite
 * history, plans and reports (both started, and wrote one database). The lock is a file holding the
 * holder's pid, host and start: a second server finds it and refuses with a usage error naming the
 * data dir and that pid. A lock left by a server that was killed (`kill -9`, power cut) does not
 * block a restart: its process is gone (or is another one now, same pid reused, or this very process,
 * in a container restarted as PID 1), or, for a holder on another host sharing the folder, it has
 * not been touched for three times {@link TOUCH_MS}.
 */
export function lockDataDir(
  dataDir: string,
  what = `--data-dir ${dataDir}`,
  hint = 'stop that server, or give this one a --data-dir of its own',
): DataDirLock {
  try {
    makeDirectorySync(dataDir);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SortieError(ErrorCode.USAGE, 'Cannot use the data folder', `cannot make ${dataDir} (${reason})`, {
      hint: 'pass --data-dir a folder this user can write to',
    });
  }
  const file = join(dataDir, LOCK_FILE);
  const own: Holder = { pid: process.pid, host: hostname(), startedAt: Date.now(), nonce: randomUUID() };
  const ticks = startTicks(process.pid);
  if (ticks !== undefined) own.ticks = ticks;
  const held = readHolder(file);
  if (heldHere.has(file) && held !== undefined) throw inUse(what, held, hint);
  for (let tries = 0; tries < 3; tries++) {
    if (create(file, own)) return holding(file, own);
    const holder = readHolder(file);
    if (holder !== undefined && !isStale(holder, file)) throw inUse(what, holder, hint);
    // Stale: moved aside under a name of its own (one of two servers doing this at once wins), checked
    // to be the lock judged stale (not one a third server made meanwhile), then removed.
    const aside = `${file}.stale-${own.nonce}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // Another server moved it first: try again.
    }
    const moved = readHolder(aside);
    if (moved !== undefined && moved.nonce !== holder?.nonce && !isStale(moved, aside)) {
      renameSync(aside, file);
      throw inUse(what, moved, hint);
    }
    rmSync(aside, { force: true });
  }
  const holder = readHolder(file);
  throw holder === undefined
    ? new SortieError(ErrorCode.USAGE, 'Data dir in use', `cannot take ${file}: other servers are starting on ${dataDir}`)
    : inUse(what, holder, hint);
}

/** Makes the lock file if there is none; false if there is one. */
function create(file: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SortieError(ErrorCode.USAGE, 'Cannot use the data folder', `cannot write ${file} (${reason})`, {
      hint: 'pass --data-dir a folder this user can write to',
    });
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function holding(file: string, own: Holder): DataDirLock {
  heldHere.add(file);
  const timer = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // The folder went away or is read-only now: the next start finds out.
    }
  }, TOUCH_MS);
  timer.unref();
  return {
    release() {
      clearInterval(timer);
      heldHere.delete(file);
      if (readHolder(file)?.nonce === own.nonce) rmSync(file, { force: true });
    },
  };
}

/** The holder a lock file names; undefined when it is gone or unreadable (cut short by a crash while being written). */
function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(holder?.pid) && typeof holder.host === 'string' && typeof holder.nonce === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

function isStale(holder: Holder, file: string): boolean {
  if (holder.host !== hostname()) {
    try {
      return Date.now() - statSync(file).mtimeMs > 3 * TOUCH_MS;
    } catch {
      return true;
    }
  }
  // This pid, but not a lock this process took: an earlier process (a container restarted, its server PID 1 again).
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: a process of another user has that pid; it is alive, and may be the holder.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return true;
  }
  const ticks = startTicks(holder.pid);
  return holder.ticks !== undefined && ticks !== undefined && ticks !== holder.ticks;
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined off Linux. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count from after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** `what`: the folder as the operator named it (`--data-dir /var/lib/sortie`). */
function inUse(what: string, holder: Holder, hint: string): SortieError {
  const where = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
  return new SortieError(
    ErrorCode.USAGE,
    'Data dir in use',
    `another sortie server (${where}, started ${new Date(holder.startedAt).toISOString()}) uses ${what}`,
    { hint },
  );
}
