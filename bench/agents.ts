/**
 * The runner-agents rows of `pnpm bench` (issue 13): 500 one-request runs through `sortie server` and
 * 2 `sortie agent`s (separate processes of the built CLI, a redis-server of the bench's own), side by
 * side with two local baselines, in the same bench run.
 *
 * Which comparison is "the same runs": a remote run is a whole run — stored in the server's database,
 * put on a BullMQ queue, taken by an agent, its events streamed through Redis, its own reports made
 * (the requested json report and the dashboard's step view), moved to the server and stored. So:
 * - against local `sortie run` processes, one per run, 2 at a time: the same runs (each a run of its
 *   own with its own report, as a CI job per check would do); the remote runs skip the process start.
 * - against one local `sortie run -n 500 --parallel 2`: NOT the same runs but the same requests — 500
 *   iterations of one run in one process, one report for all of them, one HTTP client; what a remote
 *   run does on top of an iteration is per-run work that this baseline does once (see the CPU row and
 *   BENCHMARKS.md).
 * - The same run as that local baseline, made remotely: ONE run of 500 iterations split over the two
 *   agents (`--shards 2`, each shard one iteration at a time: 2 at a time, as `--parallel 2`), one
 *   report made by the server from the shards. This is the issue's ≥ 0.8 target: 500 one-request
 *   runs through server + 2 agents against the same runs with a local `--parallel 2`. Also timed as
 *   the whole `sortie run --remote … --shards 2` command (its own start, upload, progress, download)
 *   against the whole local command.
 *
 * - Throughput: the 500 runs are submitted at once through the HTTP API (the plan uploaded once by a
 *   `sortie run --remote`, then `POST /api/runs {planId}`), from the first submission to the last
 *   run's end (the runs' `endedAt`), against the local run's wall time. Ratio = remote runs/s over
 *   local runs/s (target ≥ 0.8).
 * - CPU per run: user + system time of the server, both agents and Redis over those 500 runs (from
 *   /proc, Linux), against the CPU time of the local `-n 500` run per iteration (GNU time). Less
 *   swayed by other load on the machine than wall time. The bench process's own CPU over the batch
 *   (its 500 submissions, the fixture API) is shown beside it: it shares the two cores.
 * - Dispatch: 50 runs submitted one at a time to idle agents; submit → start is from the moment the
 *   submission is sent to the agent's `attempt-start` entry on the run's stream (its Redis stream id
 *   is Redis's clock in ms, on this machine). Median (target ≤ 20 ms).
 *
 * Runs alone too: `npx tsx bench/agents.ts` (after `node runner/build.mjs`). SORTIE_BENCH_CLI=<path
 * to a sortie.cjs> runs another build (A/B), SORTIE_BENCH_AGENT_PROCESSES=0 leaves out the
 * process-per-run row (its 100 processes are most of the bench's time), SORTIE_BENCH_PROF=<dir>
 * writes CPU profiles of the server and the agents, SORTIE_BENCH_REDIS_STATS=1 prints the Redis
 * commands per remote run (on stderr), SORTIE_BENCH_AGENT_WARMUP=<runs> runs that many remote runs
 * before the timed ones (a warm fleet; the local baseline is not warmed).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startFixtureServer } from '../fixtures/src/server/index.js';
import { requestsScenario } from './scenarios.js';

const RUNS = Number(process.env.SORTIE_BENCH_AGENT_RUNS ?? 500);
const DISPATCH_SAMPLES = 50;
/** SORTIE_BENCH_AGENT_PROCESSES: how many local one-run processes to time (default 100; 0 leaves that row out). */
const PROCESS_SAMPLE = Number(process.env.SORTIE_BENCH_AGENT_PROCESSES ?? 100);
/** SORTIE_BENCH_PROF=<dir>: the server and the agents write CPU profiles there (--cpu-prof) when they stop. */
const PROFILE_ARGS = process.env.SORTIE_BENCH_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.SORTIE_BENCH_PROF}`];
/** SORTIE_BENCH_REDIS_STATS=1: also prints the Redis commands per remote run (INFO commandstats over the 500 runs, with redis-cli). */
const REDIS_STATS = process.env.SORTIE_BENCH_REDIS_STATS === '1';
/**
 * SORTIE_BENCH_AGENT_WARMUP=<runs>: the remote runs between the two timed batches, untimed (default
 * 1,000). The first 500 runs after the fleet starts are a fleet still compiling: an agent's CPU per
 * run fell from ~10 to ~4.5 ms between the first and the fourth 500 runs (BENCHMARKS.md, issue 13,
 * session 10). Server and agents are long-lived processes, so both are reported: the cold batch
 * (runs 1–500) and the warm one (after the warm-up).
 */
const WARMUP = Number(process.env.SORTIE_BENCH_AGENT_WARMUP ?? 1000);
/** Redis's commandstats (`cmdstat_xadd:calls=…`) as calls by command, through redis-cli. */
function redisCommandCalls(port: number, reset = false): Map<string, number> {
  const calls = new Map<string, number>();
  const args = ['-p', String(port), ...(reset ? ['CONFIG', 'RESETSTAT'] : ['INFO', 'commandstats'])];
  const out = spawnSync('redis-cli', args, { encoding: 'utf8' }).stdout ?? '';
  for (const match of out.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}
/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux); undefined elsewhere.
 * Read before and after the 500 runs, it is the work each part does per run, which a loaded machine
 * changes much less than wall time.
 */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000;
  } catch {
    return undefined;
  }
}
const GNU_TIME = '/usr/bin/time';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface RunRecord {
  id: string;
  status: string;
  planId: string;
  createdAt: number;
  endedAt?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a long-running CLI command with its stderr (the agents log two lines a run) going to a file
 * in `cwd`, as a service's log would; resolves with it once that file matches `ready`. Not a pipe to
 * this process: until session 12 a pipe listener here matched `ready` against the whole log so far
 * on every line, for the life of the service — CPU of the bench's own, on the two cores the fleet
 * runs on, growing with every run (1.1 ms a run by the warm batch; BENCHMARKS.md, session 12).
 */
async function startService(
  cli: string,
  args: string[],
  ready: RegExp,
  cwd: string,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const logFile = join(cwd, `${args[0]}-${Math.random().toString(36).slice(2)}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...PROFILE_ARGS, cli, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', log],
    env: { ...process.env, NO_COLOR: '1' },
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    const match = text.match(ready);
    if (match !== null) return { child, match };
    if (exited !== undefined) throw new Error(`sortie ${args[0]} exited with ${exited}: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a CLI command to its end; `timed`: under GNU time (when the machine has it), its CPU time in `cpuMs`. */
function runCli(
  cli: string,
  args: string[],
  cwd: string,
  timed = false,
): Promise<{ code: number; stdout: string; stderr: string; cpuMs?: number }> {
  const command = timed && existsSync(GNU_TIME) ? [GNU_TIME, '-f', 'cpu %U %S', process.execPath] : [process.execPath];
  const child = spawn(command[0]!, [...command.slice(1), cli, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const time = /cpu (\d+\.\d+) (\d+\.\d+)\s*$/.exec(stderr);
      resolve({ code: code ?? 1, stdout, stderr, ...(time === null ? {} : { cpuMs: (Number(time[1]) + Number(time[2])) * 1000 }) });
    }),
  );
}

/** Returns the table rows: throughput side by side, and the dispatch latency. */
export async function measureAgents(cli: string): Promise<string[][]> {
  const work = mkdtempSync(join(tmpdir(), 'sortie-bench-agents-'));
  const api = await startFixtureServer();
  const services: ChildProcess[] = [];
  const redisPort = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work],
    {
      stdio: 'ignore',
    },
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    writeFileSync(join(work, 'one.json'), JSON.stringify(requestsScenario(1)));

    // Local: one process, 500 iterations, 2 at a time.
    const localStarted = performance.now();
    const local = await runCli(
      cli,
      ['run', 'one.json', '-n', String(RUNS), '--parallel', '2', '--env-var', `base=${api.url}`, '-r', 'json', '--out-dir', 'local'],
      work,
      true,
    );
    const localMs = performance.now() - localStarted;
    if (local.code !== 0) throw new Error(`the local run exited with ${local.code}: ${local.stderr}`);
    // Local, one process per run as a CI job would start it, 2 at a time (a sample of the 500).
    const perProcessStarted = performance.now();
    let next = 0;
    let ran = 0;
    const lane = async () => {
      while (next++ < PROCESS_SAMPLE) {
        const one = await runCli(
          cli,
          ['run', 'one.json', '--env-var', `base=${api.url}`, '-r', 'json', '--out-dir', `local-${next}`],
          work,
        );
        if (one.code !== 0) throw new Error(`a local run exited with ${one.code}: ${one.stderr}`);
        ran++;
      }
    };
    await Promise.all([lane(), lane()]);
    const perProcessRate = (ran / (performance.now() - perProcessStarted)) * 1000;

    // Remote: the server and 2 agents (concurrency 1 each: 2 runs at a time, as --parallel 2).
    const dataDir = join(work, 'server-data');
    const token = (await runCli(cli, ['server', 'token', 'create', '--scope', 'admin', '--data-dir', dataDir], work)).stdout.trim();
    const server = await startService(
      cli,
      ['server', '--redis', redisUrl, '--port', '0', '--data-dir', dataDir],
      /listening on (http:\/\/\S+)/,
      work,
    );
    services.push(server.child);
    const base = server.match[1] as string;
    const agents: ChildProcess[] = [];
    for (const name of ['bench-a', 'bench-b']) {
      agents.push((await startService(cli, ['agent', '--redis', redisUrl, '--name', name], /waiting for runs/, work)).child);
    }
    services.push(...agents);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const first = await runCli(
      cli,
      ['run', '--remote', base, '--token', token, 'one.json', '--env-var', `base=${api.url}`, '-r', 'json', '--out-dir', 'remote'],
      work,
    );
    if (first.code !== 0) throw new Error(`the first remote run exited with ${first.code}: ${first.stderr}`);
    // Every run, a page of 500 (the API's maximum) at a time.
    const listRuns = async () => {
      const all: RunRecord[] = [];
      for (;;) {
        const page = `${base}/api/runs?limit=500&offset=${all.length}`;
        const { runs } = (await (await fetch(page, { headers })).json()) as { runs: RunRecord[] };
        all.push(...runs);
        if (runs.length < 500) return all;
      }
    };
    const planId = (await listRuns())[0]!.planId;
    // undici's request rather than fetch: the same requests on the same connections, for less of the
    // bench's own CPU on the cores the fleet runs on (a CI job would submit from another machine).
    const submit = async () => {
      const response = await request(`${base}/api/runs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ planId, options: { envVars: { base: api.url } }, reports: ['json'] }),
      });
      if (response.statusCode !== 201) throw new Error(`submit: HTTP ${response.statusCode} ${await response.body.text()}`);
      return (await response.body.json()) as RunRecord;
    };
    // Light polling (is any run still queued or running?), so the bench does not load the server it measures.
    const anyOpen = async () => {
      for (const status of ['queued', 'running']) {
        const { runs } = (await (await fetch(`${base}/api/runs?status=${status}&limit=1`, { headers })).json()) as { runs: RunRecord[] };
        if (runs.length > 0) return true;
      }
      return false;
    };
    const waitForEnd = async (ids: Set<string>) => {
      while (await anyOpen()) await new Promise((resolve) => setTimeout(resolve, 500));
      return (await listRuns()).filter((run) => ids.has(run.id));
    };

    // Dispatch latency: one run at a time, agents idle.
    const dispatch: number[] = [];
    for (let i = 0; i < DISPATCH_SAMPLES; i++) {
      const sent = Date.now();
      const run = await submit();
      const events = await fetch(`${base}/api/runs/${run.id}/events`, { headers });
      const text = await events.text();
      const start = /id: (\d+)-\d+\nevent: attempt-start/.exec(text);
      if (start === null) throw new Error(`no attempt-start in the stream of run ${run.id}`);
      dispatch.push(Number(start[1]) - sent);
    }

    // Throughput: 500 submitted at once, timed, with the CPU each part used over them.
    const parts = { server: [server.child], agents: agents, redis: [redis] };
    const cpuOf = (children: ChildProcess[]) => children.reduce((sum, child) => sum + (cpuMs(child.pid) ?? Number.NaN), 0);
    const timedBatch = async () => {
      const cpuBefore = Object.fromEntries(Object.entries(parts).map(([part, children]) => [part, cpuOf(children)]));
      if (REDIS_STATS) redisCommandCalls(redisPort, true);
      const harnessBefore = process.cpuUsage();
      const started = Date.now();
      const submitted = await Promise.all(Array.from({ length: RUNS }, () => submit()));
      const ended = await waitForEnd(new Set(submitted.map((run) => run.id)));
      const ms = Math.max(...ended.map((run) => run.endedAt as number)) - started;
      const cpuPerRun = Object.fromEntries(
        Object.entries(parts).map(([part, children]) => [part, (cpuOf(children) - (cpuBefore[part] as number)) / RUNS]),
      ) as Record<keyof typeof parts, number>;
      // This process's own CPU over the batch (the submissions, the fixture API the runs call): not
      // the fleet's, but spent on the same two cores.
      const harness = process.cpuUsage(harnessBefore);
      const harnessPerRun = (harness.user + harness.system) / 1000 / RUNS;
      if (REDIS_STATS) {
        const calls = [...redisCommandCalls(redisPort)].sort((a, b) => b[1] - a[1]);
        const total = calls.reduce((sum, [, count]) => sum + count, 0);
        const perRun = calls.map(([command, count]) => `${command} ${(count / RUNS).toFixed(1)}`).join(', ');
        process.stderr.write(`Redis commands per remote run: ${(total / RUNS).toFixed(1)} (${perRun})\n`);
      }
      return { ms, rate: (RUNS / ms) * 1000, cpuPerRun, harnessPerRun, failed: ended.filter((run) => run.status !== 'passed').length };
    };
    const cold = await timedBatch();
    if (WARMUP > 0) {
      const warming = await Promise.all(Array.from({ length: WARMUP }, () => submit()));
      await waitForEnd(new Set(warming.map((run) => run.id)));
    }
    const warm = await timedBatch();
    const failed = cold.failed + warm.failed;

    // The same 500 scenario runs as the local baseline, as ONE remote run split over the 2 agents
    // (`--shards 2`: every other run each, 1 at a time on each agent: 2 at a time, as --parallel 2),
    // its reports made by the server from the shards' event logs. Submitted through the API as the
    // rows above; from the submission to the run's end.
    const shardedRun = async () => {
      const started = Date.now();
      const response = await request(`${base}/api/runs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ planId, options: { envVars: { base: api.url }, iterations: RUNS, shards: 2 }, reports: ['json'] }),
      });
      if (response.statusCode !== 201) throw new Error(`submit: HTTP ${response.statusCode} ${await response.body.text()}`);
      const run = (await response.body.json()) as RunRecord;
      const [ended] = await waitForEnd(new Set([run.id]));
      return { ms: (ended?.endedAt as number) - started, passed: ended?.status === 'passed' };
    };
    const sharded = [await shardedRun(), await shardedRun(), await shardedRun()];
    const shardedMs = median(sharded.map((one) => one.ms));
    // The whole `sortie run --remote … --shards 2` command (its own start, the upload, the progress
    // streamed to its CLI reporter, the report downloaded) against the whole local command.
    const commandStarted = performance.now();
    const command = await runCli(
      cli,
      [
        'run',
        '--remote',
        base,
        '--token',
        token,
        'one.json',
        '-n',
        String(RUNS),
        '--shards',
        '2',
        '--env-var',
        `base=${api.url}`,
        '-r',
        'json',
        '--out-dir',
        'remote-sharded',
      ],
      work,
    );
    const commandMs = performance.now() - commandStarted;
    if (command.code !== 0) throw new Error(`the sharded remote command exited with ${command.code}: ${command.stderr}`);

    const localRate = (RUNS / localMs) * 1000;
    const remoteRate = cold.rate;
    const localCpu = local.cpuMs === undefined ? '?' : (local.cpuMs / RUNS).toFixed(1);
    const cpuText = ({ cpuPerRun, harnessPerRun }: typeof cold) =>
      `${cpuPerRun.server.toFixed(1)} + ${cpuPerRun.agents.toFixed(1)} + ${cpuPerRun.redis.toFixed(1)} ms vs ${localCpu} ms (bench process ${harnessPerRun.toFixed(1)} ms)`;
    const rows = [
      [
        `agents: ${RUNS} one-request runs, server + 2 agents just started vs local \`-n ${RUNS} --parallel 2\``,
        '1 each',
        `${cold.rate.toFixed(1)} vs ${localRate.toFixed(1)} runs/s (×${(cold.rate / localRate).toFixed(2)})`,
        `${cold.ms.toFixed(0)} ms vs ${localMs.toFixed(0)} ms wall`,
        '',
      ],
      ['agents: CPU per run, remote (server + 2 agents + Redis) vs local `-n`', '', '', cpuText(cold), ''],
      [
        `agents: the same ${RUNS} runs on the same fleet after ${RUNS + DISPATCH_SAMPLES + 1 + WARMUP} runs (warm) vs local`,
        '1 each',
        `${warm.rate.toFixed(1)} vs ${localRate.toFixed(1)} runs/s (×${(warm.rate / localRate).toFixed(2)})`,
        `${warm.ms.toFixed(0)} ms wall`,
        '',
      ],
      ['agents: CPU per run of the warm fleet vs local `-n`', '', '', cpuText(warm), ''],
    ];
    rows.push(
      [
        `agents: the same ${RUNS} runs as ONE remote run \`-n ${RUNS} --shards 2\` (one shard per agent) vs local \`-n ${RUNS} --parallel 2\``,
        'median of 3',
        `${((RUNS / shardedMs) * 1000).toFixed(1)} vs ${localRate.toFixed(1)} runs/s (×${(((RUNS / shardedMs) * 1000) / localRate).toFixed(2)}, target ≥ 0.8)`,
        `${shardedMs.toFixed(0)} ms vs ${localMs.toFixed(0)} ms wall (${sharded.map((one) => one.ms).join(', ')} ms)`,
        '',
      ],
      [
        `agents: the whole command \`sortie run --remote … -n ${RUNS} --shards 2\` vs \`sortie run -n ${RUNS} --parallel 2\``,
        '1 each',
        `×${(localMs / commandMs).toFixed(2)}`,
        `${commandMs.toFixed(0)} ms vs ${localMs.toFixed(0)} ms wall`,
        '',
      ],
    );
    if (sharded.some((one) => !one.passed)) rows.push(['  (a sharded run did not pass: check the setup)', '', '', '', '']);
    if (ran > 0) {
      rows.push([
        `agents: the same, against local \`sortie run\` processes, one per run, 2 at a time`,
        `${ran} local`,
        `${remoteRate.toFixed(1)} vs ${perProcessRate.toFixed(1)} runs/s (×${(remoteRate / perProcessRate).toFixed(2)})`,
        '',
        '',
      ]);
    }
    rows.push([
      `agents: dispatch, submit → agent starts the run (idle agents)`,
      `median of ${DISPATCH_SAMPLES}`,
      '',
      `${median(dispatch).toFixed(0)} ms (p90 ${[...dispatch].sort((a, b) => a - b)[Math.floor(DISPATCH_SAMPLES * 0.9)]} ms)`,
      '',
    ]);
    if (failed > 0) rows.push([`  (${failed} remote runs did not pass: check the setup)`, '', '', '', '']);
    return rows;
  } finally {
    for (const child of services) child.kill('SIGTERM');
    await Promise.all(
      services.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)),
    );
    redis.kill('SIGKILL');
    await api.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // SORTIE_BENCH_CLI: another build of the CLI (for A/B runs of two builds).
  const cli = process.env.SORTIE_BENCH_CLI ?? fileURLToPath(new URL('../runner/dist/sortie.cjs', import.meta.url));
  for (const row of await measureAgents(cli)) process.stdout.write(`| ${row.join(' | ')} |\n`);
}
