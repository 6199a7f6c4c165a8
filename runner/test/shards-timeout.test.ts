/**
 * `--timeout-run` of a run split into shards (`sortie run --remote --shards N`), against a real `sortie
 * server`, one `sortie agent` (processes of the built CLI), a redis-server of the test's own and the
 * fixture API: the run's time limit counts from when its first shard started, as a run's counts from
 * its start. A shard that waited for the agent until the time was up runs none of its scenario runs
 * (they are reported not run), rather than getting a time limit of its own.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie, startCli } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

/** redis-server is a service these tests start: without it they skip, saying why (not under CI). */
function redisServerMissing(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.CI) return false;
    console.warn('redis-server is not installed: skipping the shards-timeout tests (with CI set they would fail)');
    return true;
  }
}

/** 8 rows, each run waiting 400 ms: two shards of 4 runs (1.6 s each), run one after the other by the one agent. */
const ROWS = ['id', '1', '2', '3', '4', '5', '6', '7', '8', ''].join('\n');
const SCENARIO = `name: Slow row
steps:
  - name: slow call
    request:
      method: GET
      url: "{{base}}/slow?ms=400&row={{id}}"
    post:
      - assert: { status: { equals: 200 } }
`;

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let project: string;
let serverUrl: string;
let submitToken = '';
const processes: ChildProcess[] = [];

describe.skipIf(redisServerMissing())('--timeout-run of a run split into shards', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureBuilt();
    redis = await startOwnRedis();
    api = await startFixtureServer();
    work = await mkdtemp(join(tmpdir(), 'sortie-shards-timeout-'));
    project = join(work, 'project');
    await mkdir(project);
    await writeFile(join(project, 'slow.yaml'), SCENARIO);
    await writeFile(join(project, 'rows.csv'), ROWS);
    const dataDir = join(work, 'server-data');
    const created = await runSortie(['server', 'token', 'create', '--scope', 'submit', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    submitToken = created.stdout.trim();
    const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/, {
      cwd: work,
    });
    processes.push(server.child);
    serverUrl = server.match[1] as string;
    const agent = await startCli(['agent', '--redis', redis.url, '--name', 'only-agent'], /waiting for runs/, { cwd: work });
    processes.push(agent.child);
  }, 120_000);

  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await api?.close();
    await redis?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('counts the time limit from when the first shard started: the shard that waited runs nothing', async () => {
    const out = join(work, 'out');
    const there = await runSortie(
      ['run', '--remote', serverUrl, '--token', submitToken, '--shards', '2', '--timeout-run', '1000'].concat([
        'slow.yaml',
        '-d',
        'rows.csv',
        '--env-var',
        `base=${api.url}`,
        '-r',
        'json',
        '--out-dir',
        out,
      ]),
      { cwd: project },
    );
    expect(there.code, there.stderr).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      status: string;
      scenarios: { iteration: number; notRun?: string }[];
    };
    expect(report.status).toBe('interrupted');
    expect(report.scenarios.map((scenario) => scenario.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The first shard ran until the time was up (runs 0, 2 and 4 started within the second); the
    // second, which the agent took after it, started with no time left: none of its runs ran.
    const ran = report.scenarios.filter((scenario) => scenario.notRun === undefined).map((scenario) => scenario.iteration);
    expect(ran.length).toBeGreaterThan(0);
    const second = ran.includes(0) ? [1, 3, 5, 7] : [0, 2, 4, 6];
    expect(ran.filter((iteration) => second.includes(iteration))).toEqual([]);
  });
});
