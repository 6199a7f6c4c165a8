/**
 * Two `sortie server` processes on one --data-dir both started and shared one SQLite history, plans
 * and reports. The second now refuses at start (exit 2), naming the data dir and the first's pid;
 * a lock left by a server killed with -9 does not block a restart, and a server stopped with SIGTERM
 * leaves none. A `--database sqlite:` file in another server's data dir is refused likewise. Real server processes of the built CLI and a redis-server of the test's own.
 */

import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, runSortie, type ServiceCli, startCli } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';
import { redisServerMissing } from './support/fleet.js';

const skip = redisServerMissing('the data dir lock tests');
const GOLDEN = join(import.meta.dirname, 'golden');
let redis: OwnRedis;
let work: string;
const started: ServiceCli[] = [];

const server = async (dataDir: string) => {
  const service = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/, {
    cwd: work,
  });
  started.push(service);
  return service;
};

beforeAll(async () => {
  if (skip) return;
  ensureBuilt();
  redis = await startOwnRedis();
  work = await mkdtemp(join(tmpdir(), 'sortie-data-dir-lock-'));
}, 30_000);

afterAll(async () => {
  for (const service of started) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await redis?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe.skipIf(skip)('sortie server on a --data-dir another server uses', () => {
  it("judges another container's lock by its refreshes: refused while refreshed, saying it waits for it (not for Redis); taken over once stale", async () => {
    const dataDir = join(work, 'container');
    await mkdir(dataDir);
    const lock = join(dataDir, 'server.lock');
    // A server of another PID namespace on this host: its pid 1 says nothing here.
    writeFileSync(lock, JSON.stringify({ pid: 1, host: hostname(), startedAt: Date.UTC(2026, 0, 2), nonce: 'other', pidns: 'pid:[1]' }));
    // It refreshes its lock 6 s from now (past the 5 s after which a slow start said it waited for Redis).
    const refresh = setTimeout(() => writeFileSync(lock, readFileSync(lock)), 6_000);
    try {
      const refused = await runSortie(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], { cwd: work });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(
        /has the lock of another sortie server \(pid 1 in another PID namespace or boot\), refreshed \d+ s ago: waiting up to \d+ s to see whether it still refreshes it/,
      );
      expect(refused.stderr).toContain(
        `error: Data dir in use: another sortie server (pid 1 in another PID namespace or boot, started 2026-01-02T00:00:00.000Z) uses --data-dir ${dataDir}`,
      );
      expect(refused.stderr).not.toContain('waiting for Redis');
    } finally {
      clearTimeout(refresh);
    }
    // Not refreshed for a minute: taken over at once.
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const taking = await server(dataDir);
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ pid: taking.child.pid });
    taking.child.kill('SIGTERM');
    await taking.exited;
  }, 60_000);

  it('refuses to start, naming the data dir and the other server, and starts again once that one is killed', async () => {
    const dataDir = join(work, 'shared');
    const first = await server(dataDir);
    const second = await runSortie(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], { cwd: work });
    expect(second.code, second.stderr).toBe(2);
    const { startedAt } = JSON.parse(await readFile(join(dataDir, 'server.lock'), 'utf8')) as { startedAt: number };
    expectGolden(
      join(GOLDEN, 'server-data-dir-in-use.err'),
      second.stderr
        .replace(`pid ${first.child.pid}`, 'pid <PID>')
        .replace(new Date(startedAt).toISOString(), '<TIME>')
        .replace(dataDir, '<DATA_DIR>'),
    );
    // The first still serves.
    const url = first.match[1] as string;
    expect((await fetch(`${url}/api/health`)).status).toBe(200);

    // Killed with -9: its lock stays behind, and does not block the next start.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(true);
    const restarted = await server(dataDir);
    expect((await fetch(`${restarted.match[1]}/api/health`)).status).toBe(200);

    // Stopped with SIGTERM: it takes its lock away.
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(false);
  }, 60_000);

  it('refuses a server with a data dir of its own whose --database sqlite: file is in a data dir another uses', async () => {
    const dataDir = join(work, 'history-owner');
    const owner = await server(dataDir);
    const history = join(dataDir, 'sortie.db');
    const other = await runSortie(
      ['server', '--redis', redis.url, '--port', '0', '--data-dir', join(work, 'other'), '--database', `sqlite:${history}`],
      { cwd: work },
    );
    expect(other.code, other.stderr).toBe(2);
    expect(other.stderr).toContain(`another sortie server (pid ${owner.child.pid}, started `);
    expect(other.stderr).toContain(`) uses ${dataDir}, the folder of this one's --database sqlite:${history}\n`);
    expect(other.stderr).toContain('hint: stop that server, or give this one a --database of its own\n');
    // It released what it took: its own data dir is free for a server.
    expect(existsSync(join(work, 'other', 'server.lock'))).toBe(false);
  }, 30_000);

  it('lets servers on different data dirs run side by side', async () => {
    const one = await server(join(work, 'one'));
    const two = await server(join(work, 'two'));
    expect(one.match[1]).not.toBe(two.match[1]);
  }, 30_000);
});
