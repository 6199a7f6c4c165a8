import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, makeDirectorySync, SortieError, sleep } from '@sortie/core';

/** The lock file of a data dir, held by the one `sortie server` that uses it. */
export const LOCK_FILE = 'server.lock';

/**
 * How often the holder refreshes its lock: a holder whose process cannot be looked at (another host,
 * another PID namespace, a boot before) is taken for dead once its lock has not been refreshed for
 * three times this long.
 */
const TOUCH_MS = 10_000;
/** How often a server waiting on such a lock looks whether it was refreshed. */
const WATCH_MS = 500;

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
  /** Linux's boot id: a pid of an earlier boot is no process now. */
  boot?: string;
  /** The holder's PID namespace (`pid:[4026531836]`): its pid means nothing in another one (a container). */
  pidns?: string;
}

export interface LockOptions {
  /** The folder as the operator named it, for the messages (default `--data-dir <dataDir>`). */
  what?: string;
  /** The refusal's hint. */
  hint?: string;
  /** Told when the start waits to see whether another server still refreshes its lock. */
  onWait?: (message: string) => void;
  /** How often the lock is refreshed (default {@link TOUCH_MS}; tests make it short). */
  touchMs?: number;
}

/** What judging a lock by its refreshes needs. */
interface Watch {
  what: string;
  onWait: (message: string) => void;
  touchMs: number;
}

export interface DataDirLock {
  /** Removes the lock file (if it is still this server's). */
  release(): void;
}

/**
 * Takes a data dir for this server, so that two `sortie server` processes never share its SQLite
 * history, plans and reports (both started, and wrote one database). The lock is a file holding the
 * holder's pid, host, boot, PID namespace and start: a second server finds it and refuses with a usage
 * error naming the data dir and that pid. A lock left by a server that was killed (`kill -9`, power
 * cut) does not block a restart:
 * - a holder of this host, boot and PID namespace is looked at: its process is gone, a zombie, or
 *   another one now (same pid reused, or this very process);
 * - any other holder (another host sharing the folder, another container, a boot before) is judged by
 *   its refreshes alone, never by comparing clocks: the holder rewrites its lock every
 *   {@link TOUCH_MS}, so the file system stamps it with its own clock, and its age is read against a
 *   file written now in the same folder. Older than three times {@link TOUCH_MS}: taken over; younger:
 *   watched (`onWait` says so) until it is refreshed (the holder lives: refused) or reaches that age.
 */
export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const what = options.what ?? `--data-dir ${dataDir}`;
  const hint = options.hint ?? 'stop that server, or give this one a --data-dir of its own';
  const watch: Watch = { what, onWait: options.onWait ?? (() => {}), touchMs: options.touchMs ?? TOUCH_MS };
  try {
    makeDirectorySync(dataDir);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SortieError(ErrorCode.USAGE, 'Cannot use the data folder', `cannot make ${dataDir} (${reason})`, {
      hint: 'pass --data-dir a folder this user can write to',
    });
  }
  const file = join(dataDir, LOCK_FILE);
  const own: Holder = { pid: process.pid, host: hostname(), startedAt: Date.now(), nonce: randomUUID(), ...here() };
  const ticks = startTicks(process.pid);
  if (ticks !== undefined) own.ticks = ticks;
  const held = readHolder(file);
  if (heldHere.has(file) && held !== undefined) throw inUse(what, held, hint);
  for (let tries = 0; tries < 3; tries++) {
    if (create(file, own)) return holding(file, own, watch.touchMs);
    const holder = readHolder(file);
    if (holder !== undefined && !(await isStale(holder, file, watch))) throw inUse(what, holder, hint);
    // Stale: moved aside under a name of its own (one of two servers doing this at once wins), checked
    // to be the lock judged stale (not one a third server made meanwhile), then removed.
    const aside = `${file}.stale-${own.nonce}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // Another server moved it first: try again.
    }
    const moved = readHolder(aside);
    if (moved !== undefined && moved.nonce !== holder?.nonce) {
      renameSync(aside, file);
      continue; // Another server took it meanwhile: judged again.
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

function holding(file: string, own: Holder, touchMs: number): DataDirLock {
  heldHere.add(file);
  const content = `${JSON.stringify(own)}\n`;
  const timer = setInterval(() => {
    try {
      // The same bytes written again in place (a reader never sees a part of them): the file system
      // stamps the time with its clock (the file server's on a shared folder), not this host's.
      const fd = openSync(file, 'r+');
      try {
        writeSync(fd, content, 0);
      } finally {
        closeSync(fd);
      }
    } catch {
      // The folder went away or is read-only now: the next start finds out.
    }
  }, touchMs);
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

/** Whether a lock's holder is gone (see lockDataDir); waits while its refreshes must tell. */
async function isStale(holder: Holder, file: string, watch: Watch): Promise<boolean> {
  if (!lookable(holder)) return await unrefreshed(holder, file, watch);
  // This pid, but not a lock this process took: an earlier process (a container restarted, its server PID 1 again).
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: a process of another user has that pid; it is alive, and may be the holder.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return true;
  }
  const stat = procStat(holder.pid);
  // A zombie (killed, not yet reaped by its parent: a PID 1 that reaps nothing keeps it for ever) is no server.
  if (stat !== undefined && (stat[0] === 'Z' || stat[0] === 'X')) return true;
  const ticks = stat?.[19];
  return holder.ticks !== undefined && ticks !== undefined && ticks !== holder.ticks;
}

/** Whether the holder's pid can be looked at here: the same host, boot and PID namespace (as far as the lock says). */
function lookable(holder: Holder): boolean {
  if (holder.host !== hostname()) return false;
  const { boot, pidns } = here();
  return (holder.boot === undefined || holder.boot === boot) && (holder.pidns === undefined || holder.pidns === pidns);
}

/**
 * For a holder whose process cannot be looked at: whether its lock has gone unrefreshed for three
 * times TOUCH_MS, by the file system's clock. Younger, it is watched until it is refreshed (false) or
 * reaches that age (true).
 */
async function unrefreshed(holder: Holder, file: string, { what, onWait, touchMs }: Watch): Promise<boolean> {
  const limit = 3 * touchMs;
  let seen: number;
  try {
    seen = statSync(file).mtimeMs;
  } catch {
    return true;
  }
  const age = fileSystemNow(file) - seen;
  if (age > limit) return true;
  onWait(
    `${what} has the lock of another sortie server (${whereOf(holder)}), refreshed ${Math.max(0, Math.round(age / 1000))} s ago: ` +
      `waiting up to ${Math.ceil((limit - Math.max(0, age)) / 1000)} s to see whether it still refreshes it (a lock not refreshed for ${Math.round(limit / 1000)} s is taken over)`,
  );
  // Counted by this process's monotonic clock from here: no clock of another host is trusted.
  const deadline = performance.now() + limit - Math.max(0, age);
  const step = Math.min(WATCH_MS, touchMs / 2);
  while (performance.now() < deadline) {
    await sleep(step);
    try {
      const stat = statSync(file);
      if (stat.mtimeMs !== seen || readHolder(file)?.nonce !== holder.nonce) return false;
    } catch {
      return true; // Gone: released meanwhile.
    }
  }
  return true;
}

/** The file system's time now, as it stamps a file written in `file`'s folder (this host's clock if it cannot be written). */
function fileSystemNow(file: string): number {
  const probe = `${file}.clock-${randomUUID()}`;
  try {
    closeSync(openSync(probe, 'wx', 0o600));
    return statSync(probe).mtimeMs;
  } catch {
    return Date.now();
  } finally {
    rmSync(probe, { force: true });
  }
}

/** This process's boot id and PID namespace (Linux); empty elsewhere. */
function here(): Pick<Holder, 'boot' | 'pidns'> {
  const found: Pick<Holder, 'boot' | 'pidns'> = {};
  try {
    found.boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // Not Linux.
  }
  try {
    found.pidns = readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux, or /proc hidden.
  }
  return found;
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined off Linux. */
function startTicks(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** The fields of /proc/<pid>/stat from the third on (the state first, the start ticks at 19); undefined off Linux. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count from after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `what`: the folder as the operator named it (`--data-dir /var/lib/sortie`). */
function inUse(what: string, holder: Holder, hint: string): SortieError {
  return new SortieError(
    ErrorCode.USAGE,
    'Data dir in use',
    `another sortie server (${whereOf(holder)}, started ${new Date(holder.startedAt).toISOString()}) uses ${what}`,
    { hint },
  );
}

/** Where a holder runs: `pid 4711`, `pid 4711 on ci-2` (another host), `pid 1 in another PID namespace` (a container of this host). */
function whereOf(holder: Holder): string {
  if (holder.host !== hostname()) return `pid ${holder.pid} on ${holder.host}`;
  return lookable(holder) ? `pid ${holder.pid}` : `pid ${holder.pid} in another PID namespace or boot`;
}
