import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../src/data-dir-lock.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortie-lock-'));
  dirs.push(dir);
  return dir;
};
const writeLock = (dir: string, holder: Record<string, unknown>) =>
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host: hostname(), startedAt: 0, nonce: 'old', ...holder }));
const lockPid = (dir: string) => (JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A process of this host that lives until killed, and its pid. */
async function liveProcess(): Promise<{ pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  return { pid: child.pid as number, stop: () => child.kill('SIGKILL') };
}

describe('lockDataDir', () => {
  it('takes a free data dir (making it), refuses a second taker naming the holder, and frees it on release', () => {
    const dir = join(dataDir(), 'new');
    const lock = lockDataDir(dir);
    expect(lockPid(dir)).toBe(process.pid);
    // A second server in this process (a library user) is refused as well.
    expect(() => lockDataDir(dir)).toThrow(`another sortie server (pid ${process.pid}, started `);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(() => lockDataDir(dir).release()).not.toThrow();
  });

  it('refuses a data dir a live process of this host holds', async () => {
    const dir = dataDir();
    const other = await liveProcess();
    try {
      writeLock(dir, { pid: other.pid, startedAt: Date.UTC(2026, 0, 2) });
      expect(() => lockDataDir(dir)).toThrow(
        `another sortie server (pid ${other.pid}, started 2026-01-02T00:00:00.000Z) uses --data-dir ${dir}`,
      );
      expect(lockPid(dir)).toBe(other.pid);
    } finally {
      other.stop();
    }
  });

  it('takes over a lock whose process is gone, is this process, or is another process under a reused pid', async () => {
    const dir = dataDir();
    const gone = await liveProcess();
    gone.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeLock(dir, { pid: gone.pid });
    lockDataDir(dir).release();

    writeLock(dir, { pid: process.pid, nonce: 'container-restarted-as-the-same-pid' });
    lockDataDir(dir).release();

    const reused = await liveProcess();
    try {
      // The holder had this pid, but started at another time: the pid is another process's now.
      writeLock(dir, { pid: reused.pid, ticks: '1' });
      const lock = lockDataDir(dir);
      expect(lockPid(dir)).toBe(process.pid);
      lock.release();
    } finally {
      reused.stop();
    }
  });

  it('takes over a lock file a crash left unreadable', () => {
    const dir = dataDir();
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    lockDataDir(dir).release();
  });

  it("refuses another host's recent lock (a shared folder) and takes over one no longer touched", () => {
    const dir = dataDir();
    writeLock(dir, { pid: 1, host: 'elsewhere' });
    expect(() => lockDataDir(dir)).toThrow('(pid 1 on elsewhere, started 1970-01-01T00:00:00.000Z)');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    lockDataDir(dir).release();
  });
});
