/**
 * Redis restarted under a running deployment: `sortie server` and a `sortie agent` (separate
 * processes of the built CLI) wait on a redis-server of the test's own; it is killed and started
 * again empty (`--save ''`: everything in it is lost), and a new `sortie run --remote` still
 * completes — the server and the agent reconnect by themselves and go on. A run submitted while Redis
 * is away is refused at once (503, exit 2), not left waiting with the client's request.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie, startCli } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let project: string;
let serverUrl: string;
let token = '';
const processes: ChildProcess[] = [];
/** What the server and the agent printed, for a failure to show. */
const logs: Array<{ name: string; stderr: () => string }> = [];

/** Starts a long-running CLI command (stopped in afterAll) once its stderr matches `ready`. */
async function startService(name: string, args: string[], ready: RegExp): Promise<RegExpMatchArray> {
  const service = await startCli(args, ready, { cwd: work });
  processes.push(service.child);
  logs.push({ name, stderr: service.stderr });
  return service.match;
}

/** Everything the services printed, for a failure's message. */
function serviceLogs(): string {
  return logs.map(({ name, stderr }) => `--- ${name} stderr:\n${stderr().slice(-4_000)}`).join('\n');
}

/** `promise`, or a failure naming `what` and showing the services' output after `ms`. */
async function within<T>(what: string, promise: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms\n${serviceLogs()}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${serviceLogs()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  api = await startFixtureServer();
  work = await mkdtemp(join(tmpdir(), 'sortie-redis-restart-'));
  project = join(work, 'project');
  await mkdir(project, { recursive: true });
  const scenario = {
    name: 'after the restart',
    steps: [{ name: 'get', request: { method: 'GET', url: '{{base}}/echo' }, post: [{ assert: { status: { equals: 200 } } }] }],
  };
  await writeFile(join(project, 'ok.json'), JSON.stringify(scenario));
  const dataDir = join(work, 'server-data');
  const created = await runSortie(['server', 'token', 'create', '--scope', 'submit', '--data-dir', dataDir]);
  expect(created.code).toBe(0);
  token = created.stdout.trim();
  const match = await startService(
    'server',
    ['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir],
    /listening on (http:\/\/\S+)/,
  );
  serverUrl = match[1] as string;
  await startService('agent', ['agent', '--redis', redis.url, '--name', 'agent-r', '--lock-duration', '2000'], /waiting for runs/);
}, 120_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await api?.close();
  await redis?.close();
  await rm(work, { recursive: true, force: true });
});

const remote = (...args: string[]) =>
  runSortie(['run', '--remote', serverUrl, '--token', token, 'ok.json', '--env-var', `base=${api.url}`, ...args], { cwd: project });

async function runsOf(pool: string): Promise<Array<{ status: string; message?: string }>> {
  const response = await fetch(`${serverUrl}/api/runs?pool=${pool}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { runs: Array<{ status: string; message?: string }> }).runs;
}

describe('Redis restarted while the server and an agent wait', { timeout: 120_000 }, () => {
  it('runs a remote run before, and another after Redis came back empty', async () => {
    const before = await within('the first remote run', remote());
    expect(before.stdout).toContain('PASSED');
    expect(before.code).toBe(0);
    // A run queued on a pool no agent serves: its job goes with Redis's data.
    const stranded = remote('--pool', 'nobody');
    await waitFor('the stranded run to be queued', async () => (await runsOf('nobody')).length === 1);

    // Down for a few seconds (the agent's worker, heartbeat and subscriber and the server's
    // tracker, queue and schedules all retry meanwhile), then back, empty.
    await within('stopping Redis', redis.stop());
    const runsBefore = (await runsOf('default')).length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // A submission meanwhile is answered at once (503): not queued, nothing stored, exit 2 with the reason.
    const startedAt = Date.now();
    const refused = await within('a submission while Redis is down', remote(), 10_000);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/error: Redis unavailable: the server cannot reach Redis \(\w+\): the run was not queued/);
    expect(Date.now() - startedAt).toBeLessThan(8_000);
    expect((await runsOf('default')).length).toBe(runsBefore);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await within('starting Redis again', redis.restart());
    const client = new Redis(redis.url);
    try {
      // Its data is gone (nothing saved): the agent's registration comes back with its next heartbeat.
      await waitFor('the agent to register again', async () => (await client.hexists('sortie:agents', 'agent-r')) === 1);
    } finally {
      client.disconnect();
    }

    const after = await within('the remote run after the restart', remote());
    expect(after.stdout, after.stderr).toContain('PASSED');
    expect(after.code).toBe(0);
    for (const child of processes) expect(child.exitCode).toBeNull();

    // The stranded run ends as an error that says why, instead of staying queued for ever.
    const strandedOutcome = await within('the stranded run to end', stranded);
    expect(strandedOutcome.code).toBe(1);
    expect(strandedOutcome.stderr).toMatch(/error: lost: Redis no longer has its job/);
    expect(await runsOf('nobody')).toMatchObject([{ status: 'error', message: expect.stringMatching(/^lost: Redis/) }]);
  });
});
