/**
 * `sortie run --remote --timeout-run` bounds the wait in the queue too. A run of a pool no agent
 * serves waited for ever ("Waiting for an agent …"), and the CI job with it. Now the client cancels
 * the run on the server once the limit passes with no agent started, says so and exits 1. A real
 * `sortie server` over a redis-server of the test's own; no agent at all.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, ROOT, runSortie, startCli } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden', 'remote'));

let redis: OwnRedis;
let work: string;
let serverUrl: string;
let token: string;
const processes: ChildProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  work = await mkdtemp(join(tmpdir(), 'sortie-queue-timeout-'));
  const dataDir = join(work, 'data');
  const created = await runSortie(['server', 'token', 'create', '--scope', 'submit', '--data-dir', dataDir]);
  expect(created.code, created.stderr).toBe(0);
  token = created.stdout.trim();
  const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/);
  processes.push(server.child);
  serverUrl = server.match[1] as string;
  await writeFile(
    join(work, 'one.json'),
    JSON.stringify({ name: 'one', steps: [{ name: 'get', request: { method: 'GET', url: 'http://127.0.0.1:9/' } }] }),
  );
}, 60_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await redis?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('--remote --timeout-run while no agent takes the run', () => {
  it.each([['--timeout-run'], ['--timeout']])(
    '%s cancels the queued run on the server and exits 1',
    async (flag) => {
      const started = Date.now();
      const outcome = await runSortie(['run', '--remote', serverUrl, '--token', token, '--pool', 'nobody', flag, '2000', 'one.json'], {
        cwd: work,
      });
      const took = Date.now() - started;
      expect(outcome.code, outcome.stderr).toBe(1);
      // The 2 s limit ended it (it waited for ever), the server's cancel and the client's start included.
      expect(took).toBeLessThan(8_000);
      const normalised = outcome.stderr
        .replaceAll(serverUrl, 'http://SERVER')
        .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'ID');
      golden(`queue-timeout${flag}.err`, normalised);
      const id = /Run (\S+) queued/.exec(outcome.stderr)?.[1] as string;
      const record = (await (await fetch(`${serverUrl}/api/runs/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        status: string;
        message?: string;
      };
      expect(record).toMatchObject({ status: 'cancelled', message: 'cancelled before it started' });
    },
    30_000,
  );
});
