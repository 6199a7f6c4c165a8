/**
 * `--redis` of `sortie agent` and `sortie server`, through the built CLI: anything but a redis:// or
 * rediss:// URL is a usage error at once (exit 2, the URL's password never shown; goldens), where it
 * used to be taken for a host name and retried for ever. An agent whose Redis does not answer says
 * it is waiting and stops on SIGTERM (exit 0); a server whose Redis is down listens, says the
 * connection error once (not twice a second), and stops on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, runSortie, startCli } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startOwnRedis } from '../../packages/agent/test/redis-server.js';

const GOLDEN = join(import.meta.dirname, 'golden');
let work: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-redis-flag-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

describe('--redis', () => {
  it('refuses what is not a redis:// or rediss:// URL, exit 2, without the password', async () => {
    const results = [
      await runSortie(['agent', '--redis', 'notaurl'], { cwd: work }),
      await runSortie(['agent', '--redis', 'http://127.0.0.1:6379'], { cwd: work }),
      await runSortie(['server', '--redis', 'redis://user:s3cret-pw@'], { cwd: work }),
      await runSortie(['server'], { cwd: work, env: { SORTIE_REDIS_URL: '127.0.0.1:6379' } }),
    ];
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    const stderr = results.map((result) => result.stderr).join('---\n');
    expect(stderr).not.toContain('s3cret-pw');
    expectGolden(join(GOLDEN, 'redis-flag.err'), stderr);
  });

  it('an agent whose Redis does not answer says so, and stops on SIGTERM', async () => {
    const agent = await startCli(
      ['agent', '--redis', `redis://127.0.0.1:${await freePort()}`],
      /waiting for Redis at redis:\/\/127\.0\.0\.1:\d+ to answer/,
      {
        cwd: work,
      },
    );
    children.push(agent.child);
    const stoppedAt = Date.now();
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(agent.stderr()).toContain('sortie agent: stopped before Redis answered');
    expect(agent.stderr()).not.toContain('Interrupted');
  }, 30_000);

  it('a server whose Redis is down listens, says the error once, and stops on SIGTERM', async () => {
    const server = await startCli(
      ['server', '--redis', `redis://127.0.0.1:${await freePort()}`, '--port', '0', '--data-dir', join(work, 'data')],
      /listening on http:\/\/\S+/,
      { cwd: work },
    );
    children.push(server.child);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const lines = server
      .stderr()
      .split('\n')
      .filter((line) => line.includes('ECONNREFUSED'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).not.toContain('Interrupted');
  }, 30_000);
});

describe('a Redis that refuses the connection', () => {
  it('a wrong or missing password is a usage error at once (exit 2), without the password; the right one starts', async () => {
    const redis = await startOwnRedis();
    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'requirepass', 'r1ght-pw');
      const at = (auth: string) => `redis://${auth}127.0.0.1:${redis.port}`;
      const refused = [
        await runSortie(['agent', '--redis', at(':wr0ng-pw@')], { cwd: work }),
        await runSortie(['agent', '--redis', at('')], { cwd: work }),
        await runSortie(['server', '--redis', at(':wr0ng-pw@'), '--port', '0', '--data-dir', join(work, 'refused')], { cwd: work }),
      ];
      for (const result of refused) {
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).not.toContain('wr0ng-pw');
        expect(result.stderr).not.toContain('internal error');
      }
      expect(refused[0]?.stderr).toBe(
        `error: Redis refused the connection: redis://:[REDACTED]@127.0.0.1:${redis.port}: WRONGPASS invalid username-password pair or user is disabled.\n` +
          '  hint: check the user name and password in --redis (redis://user:password@host:port), or set SORTIE_REDIS_URL; sortie agent --help\n',
      );
      expect(refused[1]?.stderr).toContain(`redis://127.0.0.1:${redis.port}: NOAUTH Authentication required.`);
      expect(refused[2]?.stderr).toContain('; sortie server --help');
      const agent = await startCli(['agent', '--redis', at(':r1ght-pw@')], /waiting for runs/, { cwd: work });
      children.push(agent.child);
      agent.child.kill('SIGTERM');
      expect(await agent.exited, agent.stderr()).toBe(0);
      expect(agent.stderr()).not.toContain('r1ght-pw');
    } finally {
      admin.disconnect();
      await redis.close();
    }
  }, 30_000);

  it('shows no part of a password with an "@" in it, or given as ?password= (ioredis reads both)', async () => {
    const redis = await startOwnRedis();
    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'requirepass', 'r1ght-pw');
      // Not this Redis's password: the AUTH is refused, and the error prints the URL.
      const refused = [
        await runSortie(['agent', '--redis', `redis://:p@ss-tail-LEAK@127.0.0.1:${redis.port}`], { cwd: work }),
        await runSortie(['agent', '--redis', `redis://ann:pw:with@at-LEAK@127.0.0.1:${redis.port}/0`], { cwd: work }),
        await runSortie(['agent', '--redis', `redis://127.0.0.1:${redis.port}/0?password=query-LEAK&db=0`], { cwd: work }),
      ];
      for (const result of refused) {
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain('Redis refused the connection');
        expect(result.stderr).not.toContain('LEAK');
      }
      expect(refused[0]?.stderr).toContain(`redis://:[REDACTED]@127.0.0.1:${redis.port}:`);
      expect(refused[1]?.stderr).toContain(`redis://ann:[REDACTED]@127.0.0.1:${redis.port}/0:`);
      expect(refused[2]?.stderr).toContain(`redis://127.0.0.1:${redis.port}/0?password=[REDACTED]&db=0:`);
    } finally {
      admin.disconnect();
      await redis.close();
    }
    // Not a URL ioredis can use: the usage error hides it too.
    const bad = await runSortie(['agent', '--redis', 'redis://:p@ss-LEAK@[::1/0'], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('LEAK');
    // The waiting message names the URL too.
    const agent = await startCli(
      ['agent', '--redis', `redis://127.0.0.1:${await freePort()}/0?password=query-LEAK`],
      /waiting for Redis at .* to answer…/,
      { cwd: work },
    );
    children.push(agent.child);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.stderr()).toContain('?password=[REDACTED] to answer');
    expect(agent.stderr()).not.toContain('LEAK');
  }, 40_000);

  it('the waiting message says why Redis does not answer', async () => {
    const agent = await startCli(
      ['agent', '--redis', `redis://127.0.0.1:${await freePort()}`],
      /waiting for Redis at .* to answer… \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/,
      {
        cwd: work,
      },
    );
    children.push(agent.child);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  }, 30_000);
});

describe('--name', () => {
  it('refuses a name with a control character or over 200 characters (a newline or an escape went into every log line and run record)', async () => {
    const redis = `redis://127.0.0.1:${await freePort()}`;
    const results = [
      await runSortie(['agent', '--redis', redis, '--name', 'evil\nline'], { cwd: work }),
      await runSortie(['agent', '--redis', redis, '--name', 'red\u001b[31m'], { cwd: work }),
      await runSortie(['agent', '--redis', redis, '--name', 'a'.repeat(201)], { cwd: work }),
    ];
    for (const result of results) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/^error: Usage error: --name expects 1 to 200 characters, none of them a control character, got "/);
      expect(result.stderr).not.toContain('\u001b');
    }
  }, 20_000);
});

describe('--port', () => {
  it('says a port in use is in use (exit 2), not an internal error', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const outcome = await runSortie(
        ['server', '--redis', `redis://127.0.0.1:${await freePort()}`, '--port', String(port), '--data-dir', join(work, 'taken')],
        { cwd: work },
      );
      expect(outcome.code).toBe(2);
      // (Its Redis is down too: the connection error may come first.)
      expect(outcome.stderr).not.toContain('internal error');
      expect(outcome.stderr.slice(outcome.stderr.indexOf('error: Cannot listen'))).toBe(
        `error: Cannot listen: 127.0.0.1:${port} is in use by another program (EADDRINUSE)\n  hint: choose another --port, or stop what listens there\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 30_000);

  it("warns when the server listens on one of the Fetch standard's bad ports (browsers and --remote refuse it)", async () => {
    const port = await firstFreePort([6566, 6679, 10080, 6669]);
    const server = await startCli(
      ['server', '--redis', `redis://127.0.0.1:${await freePort()}`, '--port', String(port), '--data-dir', join(work, 'bad-port')],
      /bad ports/,
      { cwd: work },
    );
    children.push(server.child);
    expect(server.stderr()).toContain(
      `warning: port ${port} is one of the Fetch standard's bad ports: browsers (the dashboard), \`sortie run --remote\` and other fetch clients refuse to connect to it`,
    );
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);
});

/** The first of `ports` nothing listens on (127.0.0.1). */
async function firstFreePort(ports: number[]): Promise<number> {
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`none of the ports ${ports.join(', ')} is free`);
}
