import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
  it('takes a free data dir (making it), refuses a second taker naming the holder, and frees it on release', async () => {
    const dir = join(dataDir(), 'new');
    const lock = await lockDataDir(dir);
    expect(lockPid(dir)).toBe(process.pid);
    // A second server in this process (a library user) is refused as well.
    await expect(lockDataDir(dir)).rejects.toThrow(`another sortie server (pid ${process.pid}, started `);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    (await lockDataDir(dir)).release();
  });

  it('refuses a data dir a live process of this host holds', async () => {
    const dir = dataDir();
    const other = await liveProcess();
    try {
      writeLock(dir, { pid: other.pid, startedAt: Date.UTC(2026, 0, 2) });
      await expect(lockDataDir(dir)).rejects.toThrow(
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
    (await lockDataDir(dir)).release();

    writeLock(dir, { pid: process.pid, nonce: 'container-restarted-as-the-same-pid' });
    (await lockDataDir(dir)).release();

    const reused = await liveProcess();
    try {
      // The holder had this pid, but started at another time: the pid is another process's now.
      writeLock(dir, { pid: reused.pid, ticks: '1' });
      const lock = await lockDataDir(dir);
      expect(lockPid(dir)).toBe(process.pid);
      lock.release();
    } finally {
      reused.stop();
    }
  });

  it('takes over a lock file a crash left unreadable', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    (await lockDataDir(dir)).release();
  });

  it("refuses another host's lock while it is refreshed, and takes over one no longer refreshed, by the file system's clock", async () => {
    const dir = dataDir();
    const file = join(dir, LOCK_FILE);
    writeLock(dir, { pid: 1, host: 'elsewhere' });
    // Its server refreshes it (rewrites it: the file system stamps the time) every 100 ms.
    const refresher = setInterval(() => writeFileSync(file, readFileSync(file)), 100);
    const waits: string[] = [];
    try {
      await expect(lockDataDir(dir, { touchMs: 200, onWait: (message) => waits.push(message) })).rejects.toThrow(
        '(pid 1 on elsewhere, started 1970-01-01T00:00:00.000Z)',
      );
    } finally {
      clearInterval(refresher);
    }
    expect(waits).toEqual([
      expect.stringMatching(
        /^--data-dir .* has the lock of another sortie server \(pid 1 on elsewhere\), refreshed 0 s ago: waiting up to 1 s/,
      ),
    ]);
    // Not refreshed for long (by the folder's clock): taken over at once.
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const started = performance.now();
    (await lockDataDir(dir, { touchMs: 200 })).release();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("takes over another host's lock stamped in the future (its clock ahead) once it is not refreshed, instead of for as long as the clocks differ", async () => {
    const dir = dataDir();
    writeLock(dir, { pid: 1, host: 'elsewhere' });
    const ahead = new Date(Date.now() + 3_600_000);
    utimesSync(join(dir, LOCK_FILE), ahead, ahead);
    const started = performance.now();
    const lock = await lockDataDir(dir, { touchMs: 200 });
    // Three refresh intervals watched, by this process's clock.
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
    expect(lockPid(dir)).toBe(process.pid);
    lock.release();
  });

  it('judges a holder of another PID namespace (a container) by its refreshes, not by a pid that means another process here', async () => {
    const dir = dataDir();
    const file = join(dir, LOCK_FILE);
    const unrelated = await liveProcess();
    try {
      // Its pid is a live process here, and this process's own pid: neither says anything of the holder.
      for (const pid of [unrelated.pid, process.pid]) {
        writeLock(dir, { pid, pidns: 'pid:[1]', nonce: `namespaced-${pid}` });
        const refresher = setInterval(() => writeFileSync(file, readFileSync(file)), 100);
        try {
          await expect(lockDataDir(dir, { touchMs: 200 })).rejects.toThrow(`(pid ${pid} in another PID namespace or boot, started `);
        } finally {
          clearInterval(refresher);
        }
        // Its container is gone (no refresh): taken over once three refreshes are missed, not refused for ever.
        const lock = await lockDataDir(dir, { touchMs: 200 });
        expect(lockPid(dir)).toBe(process.pid);
        lock.release();
      }
    } finally {
      unrelated.stop();
    }
  });

  it('takes over the lock of a server killed and not yet reaped (a zombie), which kill(pid, 0) finds alive', async () => {
    const dir = dataDir();
    // `sleep 0` ends while its parent, exec'd into `sleep 30`, never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout?.once('data', (chunk: Buffer) => resolve(String(chunk)))));
      let state = '';
      for (let i = 0; i < 50 && state !== 'Z'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
      }
      expect(state).toBe('Z');
      writeLock(dir, { pid });
      const lock = await lockDataDir(dir);
      expect(lockPid(dir)).toBe(process.pid);
      lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('refreshes its own lock by rewriting it, so the file system stamps the time', async () => {
    const dir = dataDir();
    const file = join(dir, LOCK_FILE);
    const lock = await lockDataDir(dir, { touchMs: 100 });
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const content = readFileSync(file, 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(5_000);
    expect(readFileSync(file, 'utf8')).toBe(content);
    lock.release();
  });
});
