/**
 * Stopping `sortie server` and `sortie agent` (separate processes of the built CLI) with SIGTERM, as
 * systemd or a container runtime does: each exits with code 0 whether it is idle, streams a run to a
 * `sortie run --remote`, has runs queued, or its Redis is down or frozen; and the runs in hand are
 * not lost: a server started again on the same data picks them up, and the `--remote` clients that
 * were watching reconnect and see them pass.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, findClosedPort, type RunningCli, runSortie, type ServiceCli, startCli, startSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let project: string;
let dataDir: string;
let port: number;
let token = '';
const processes: ChildProcess[] = [];

const serverUrl = () => `http://127.0.0.1:${port}`;

/** `sortie server` on the test's port and data: the same server each time it is started again. */
async function startServer(): Promise<ServiceCli> {
  const server = await startCli(
    ['server', '--redis', redis.url, '--port', String(port), '--data-dir', dataDir],
    /listening on http:\/\/\S+/,
    { cwd: work },
  );
  processes.push(server.child);
  return server;
}

async function startAgent(name: string, pool: string, ...flags: string[]): Promise<ServiceCli> {
  const agent = await startCli(['agent', '--redis', redis.url, '--name', name, '--pool', pool, ...flags], /waiting for runs/, {
    cwd: work,
  });
  processes.push(agent.child);
  return agent;
}

/** A `sortie run --remote` of the passing scenario on `pool`, once the server has queued it. */
async function submit(pool: string, file = 'ok.json', base = api.url): Promise<RunningCli> {
  const run = startSortie(['run', '--remote', serverUrl(), '--token', token, file, '--pool', pool, '--env-var', `base=${base}`], {
    cwd: project,
  });
  await waitFor('the run to be queued', async () => /Run \S+ queued/.test(run.stderr()));
  return run;
}

async function runsOf(pool: string): Promise<Array<{ id: string; status: string; attempt: number }>> {
  const response = await fetch(`${serverUrl()}/api/runs?pool=${pool}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { runs: Array<{ id: string; status: string; attempt: number }> }).runs;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends SIGTERM and returns the exit code and what the process said on stderr. */
async function terminate(service: ServiceCli): Promise<{ code: number | NodeJS.Signals; stderr: string }> {
  service.child.kill('SIGTERM');
  const code = await service.exited;
  return { code, stderr: service.stderr() };
}

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  api = await startFixtureServer();
  work = await mkdtemp(join(tmpdir(), 'sortie-shutdown-'));
  project = join(work, 'project');
  dataDir = join(work, 'server-data');
  await mkdir(project, { recursive: true });
  const scenario = {
    name: 'picked up',
    steps: [{ name: 'get', request: { method: 'GET', url: '{{base}}/echo' }, post: [{ assert: { status: { equals: 200 } } }] }],
  };
  await writeFile(join(project, 'ok.json'), JSON.stringify(scenario));
  const created = await runSortie(['server', 'token', 'create', '--scope', 'submit', '--data-dir', dataDir]);
  expect(created.code).toBe(0);
  token = created.stdout.trim();
  port = await findClosedPort();
}, 60_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  redis?.resume();
  await api?.close();
  await redis?.close();
  await rm(work, { recursive: true, force: true });
});

describe('SIGTERM to sortie server and sortie agent', { timeout: 120_000 }, () => {
  it('an idle server, stopped as soon as it listens, exits with code 0 (10 times)', async () => {
    // A BullMQ connection closed while it still initialised crashed the server in ~1 of 15 such stops.
    for (let round = 0; round < 10; round++) {
      const server = await startServer();
      const stopped = await terminate(server);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a server streaming runs to --remote clients, with the runs queued, exits 0; started again, it hands them on and they pass', async () => {
    let server = await startServer();
    // Two clients follow their queued runs' event streams; no agent serves the pool yet.
    const first = await submit('later');
    const second = await submit('later');
    expect(await runsOf('later')).toHaveLength(2);
    const stopped = await terminate(server);
    expect(stopped.code, stopped.stderr).toBe(0);

    server = await startServer();
    await startAgent('agent-later', 'later');
    for (const client of [await first.done, await second.done]) {
      expect(client.stdout, client.stderr).toContain('PASSED');
      expect(client.code).toBe(0);
    }
    // Each run ran once, on its first attempt: nothing lost, nothing twice.
    const runs = await runsOf('later');
    expect(runs.map((run) => [run.status, run.attempt])).toEqual([
      ['passed', 1],
      ['passed', 1],
    ]);
    expect((await terminate(server)).code).toBe(0);
  });

  it('a server whose Redis is frozen exits 0, and its queued run passes once Redis answers again', async () => {
    const server = await startServer();
    const client = await submit('frozen');
    redis.pause();
    try {
      const stopped = await terminate(server);
      expect(stopped.code, stopped.stderr).toBe(0);
    } finally {
      redis.resume();
    }
    const again = await startServer();
    await startAgent('agent-frozen', 'frozen');
    const outcome = await client.done;
    expect(outcome.stdout, outcome.stderr).toContain('PASSED');
    expect(outcome.code).toBe(0);
    expect((await terminate(again)).code).toBe(0);
  });

  it('a server and an agent whose Redis is down exit 0', async () => {
    const server = await startServer();
    const agent = await startAgent('agent-down', 'down');
    await redis.stop();
    try {
      const [serverStopped, agentStopped] = await Promise.all([terminate(server), terminate(agent)]);
      expect(serverStopped.code, serverStopped.stderr).toBe(0);
      expect(agentStopped.code, agentStopped.stderr).toBe(0);
    } finally {
      await redis.restart();
    }
  });

  it('an agent stopped while BullMQ still sets up its connections exits 0, without a stack trace', async () => {
    // A proxy to Redis that holds Redis's answers for 600 ms on a connection once it asks INFO a second
    // time (BullMQ's version check, after ioredis's own): the agent says it waits for runs while its
    // worker still initialises, and a SIGTERM then closed that worker mid-initialisation, which crashed
    // with "Connection is closed" (exit 1, a stack trace) every time.
    const slow = createServer((client) => {
      const upstream = connect(redis.port, '127.0.0.1');
      let infos = 0;
      let bullmq = false;
      client.on('data', (chunk) => {
        // BullMQ's own INFO (its Redis version check) follows ioredis's ready check on its connections.
        infos += (chunk.toString('latin1').match(/\$4\r\ninfo\r\n/gi) ?? []).length;
        if (infos >= 2) bullmq = true;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => (bullmq ? setTimeout(() => client.writable && client.write(chunk), 600) : client.write(chunk)));
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        a.on('error', () => b.destroy());
        a.on('close', () => b.destroy());
      }
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const { port: proxyPort } = slow.address() as AddressInfo;
      for (let round = 0; round < 3; round++) {
        const agent = await startCli(
          ['agent', '--redis', `redis://127.0.0.1:${proxyPort}`, '--name', `agent-early-${round}`],
          /waiting for runs/,
          {
            cwd: work,
          },
        );
        processes.push(agent.child);
        const stopped = await terminate(agent);
        expect(stopped.code, stopped.stderr).toBe(0);
        expect(stopped.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      slow.close();
    }
  });

  // The sandbox's watches of SIGINT/SIGTERM (which stop a busy script at once, for `sortie run`) stopped
  // the agent's run in hand at the signal, though --grace is meant to let it finish.
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'an agent given %s lets a script that keeps the thread busy finish within --grace; the run passes',
    async (signal) => {
      let started: () => void = () => undefined;
      const scriptStarted = new Promise<void>((resolve) => {
        started = resolve;
      });
      // The script asks this server first, then keeps the thread for 2.5 s: its request says it runs.
      const marker = createHttpServer((_request, response) => {
        started();
        response.end('go');
      });
      await new Promise<void>((resolve) => marker.listen(0, '127.0.0.1', resolve));
      const scenario = {
        name: 'busy script',
        steps: [
          {
            name: 'spin',
            script: [
              "pm.sendRequest(pm.environment.get('base') + '/start', (error, response) => {",
              '  const end = Date.now() + 2500;',
              '  while (Date.now() < end) {}',
              "  pm.test('the busy loop ran to its end', () => pm.expect(response.text()).to.equal('go'));",
              '});',
            ].join('\n'),
          },
        ],
      };
      await writeFile(join(project, 'busy.json'), JSON.stringify(scenario));
      const server = await startServer();
      try {
        const pool = `grace-${signal.toLowerCase()}`;
        const agent = await startAgent(`agent-${pool}`, pool, '--grace', '20000');
        const client = await submit(pool, 'busy.json', `http://127.0.0.1:${(marker.address() as AddressInfo).port}`);
        await scriptStarted;
        // Past the 20 ms (SIGINT) and 250 ms (SIGTERM) after which the sandbox watched the signals.
        await new Promise((resolve) => setTimeout(resolve, 600));
        agent.child.kill(signal);
        const outcome = await client.done;
        expect(outcome.stdout, outcome.stderr).toContain('PASSED');
        // The script's test, after the busy loop, passed: the loop ran to its end.
        expect(outcome.stdout).toMatch(/✓ spin[\s\S]*Assertions {2}1 \(0 failed\)/);
        expect(outcome.code).toBe(0);
        expect(await agent.exited, agent.stderr()).toBe(0);
        expect((await runsOf(pool)).map((run) => run.status)).toEqual(['passed']);
      } finally {
        expect((await terminate(server)).code).toBe(0);
        marker.close();
      }
    },
  );

  it('an agent whose Redis is frozen exits 0', async () => {
    const agent = await startAgent('agent-frozen-2', 'frozen-2');
    redis.pause();
    try {
      const stopped = await terminate(agent);
      expect(stopped.code, stopped.stderr).toBe(0);
    } finally {
      redis.resume();
    }
  });
});
