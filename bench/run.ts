/**
 * `pnpm bench`: measures the built CLI against the local fixture server. Prints a Markdown table to
 * paste into BENCHMARKS.md. A benchmark, never a test: nothing here passes or fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startFixtureServer } from '../fixtures/src/server/index.js';
import { measureAgents } from './agents.js';
import { measureChain, measureColdStart, measureSecretAdd } from './chain.js';
import { measureDataRows } from './data-rows.js';
import { measureDbSelects } from './db-select.js';
import { nestedLoopScenario, requestsScenario, scriptedScenario } from './scenarios.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'runner/dist/sortie.cjs');
const work = mkdtempSync(join(tmpdir(), 'sortie-bench-'));
const server = await startFixtureServer();
const rows: string[][] = [];

interface CliRun {
  wallMs: number;
  code: number;
  peakRss: number;
  report?: { durationMs: number; totals: { requests: number } };
}

async function runCli(args: string[]): Promise<CliRun> {
  const rssFile = join(work, `rss-${Math.random()}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', join(root, 'bench/peak-rss.mjs'), cli, ...args], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SORTIE_BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
  });
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const wallMs = performance.now() - started;
  const run: CliRun = { wallMs, code, peakRss: Number(readFileSync(rssFile, 'utf8')) };
  try {
    run.report = JSON.parse(readFileSync(join(work, 'out/report.json'), 'utf8'));
  } catch {}
  return run;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// 1. Raw undici loop: the ceiling on this machine.
{
  const n = 2000;
  for (let i = 0; i < 200; i++) await (await request(`${server.url}/bench?n=${i}`)).body.json();
  const started = performance.now();
  for (let i = 0; i < n; i++) await (await request(`${server.url}/bench?n=${i}`)).body.json();
  const ms = performance.now() - started;
  rows.push(['raw undici loop (baseline)', `${n} requests`, `${((n / ms) * 1000).toFixed(0)} req/s`, '', '']);
}

/** Runs a generated scenario 5 times with the json reporter and adds its median throughput. */
async function measureThroughput(label: string, name: string, scenario: unknown): Promise<void> {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(scenario));
  const runs: CliRun[] = [];
  for (let i = 0; i < 5; i++) runs.push(await runCli(['run', file, '--env-var', `base=${server.url}`, '-r', 'json', '--out-dir', 'out']));
  const rates = runs.map((r) => (r.report ? (r.report.totals.requests / r.report.durationMs) * 1000 : 0));
  const walls = runs.map((r) => r.wallMs);
  rows.push([
    label,
    `median of ${runs.length}`,
    `${median(rates).toFixed(0)} req/s`,
    `${median(walls).toFixed(0)} ms wall`,
    mb(Math.max(...runs.map((r) => r.peakRss))),
  ]);
  if (runs.some((r) => r.code !== 0)) rows.push(['  (a run exited non-zero: check the scenario)', '', '', '', '']);
}

// 2. The 2,000-step scenario: two assertions and one extract per step (issue 2); the same with one post-script per step (issue 6).
await measureThroughput('2,000 request steps, 2 assertions + 1 extract each (json reporter)', 'requests-2000.json', requestsScenario(2000));
await measureThroughput(
  '2,000 request steps, 1 post-script each: pm.test + json() + environment.set',
  'scripted-2000.json',
  scriptedScenario(2000),
);
await measureThroughput(
  '2,000 request steps, 1 post-script each, a new token in every response (a new secret each step)',
  'scripted-fresh-2000.json',
  scriptedScenario(2000, true),
);

// 3. Cold start: one-request scenario, and --version.
{
  const file = join(work, 'one.json');
  writeFileSync(file, JSON.stringify(requestsScenario(1)));
  const one: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < 10; i++) {
    one.push((await runCli(['run', file, '--env-var', `base=${server.url}`, '-r', 'cli'])).wallMs);
    version.push((await runCli(['--version'])).wallMs);
  }
  rows.push(['cold start: `sortie run` one request', 'median of 10', '', `${median(one).toFixed(0)} ms wall`, '']);
  rows.push(['cold start: `sortie --version`', 'median of 10', '', `${median(version).toFixed(0)} ms wall`, '']);
}

// 3b. Issue 18: the login → call chain against a raw loop and Newman, cold start against `node -e 0`, the cost of a new secret.
{
  const chain = { root, work, baseUrl: server.url };
  rows.push(...(await measureChain(chain)));
  rows.push(...(await measureColdStart(chain, join(work, 'one.json'))));
  rows.push(...measureSecretAdd());
}

// 4. Data-driven runs (-d): peak RSS must stay flat as iterations grow (1 request per iteration); bench/data-rows.ts.
rows.push(...(await measureDataRows(cli, server.url)));

// 5. Nested loops: 100 × 20 and 100 × 100 passes in one scenario run (peak RSS as passes grow).
for (const inner of [20, 100]) {
  const file = join(work, `nested-${inner}.json`);
  writeFileSync(file, JSON.stringify(nestedLoopScenario(100, inner)));
  const run = await runCli(['run', file, '--env-var', `base=${server.url}`, '-r', 'json', '--out-dir', 'out']);
  const rate = run.report ? (run.report.totals.requests / run.report.durationMs) * 1000 : 0;
  rows.push([
    `nested loops 100 × ${inner} (one request per pass)`,
    '1',
    `${rate.toFixed(0)} req/s`,
    `${run.wallMs.toFixed(0)} ms wall`,
    mb(run.peakRss),
  ]);
  if (run.code !== 0) rows.push(['  (the run exited non-zero: check the scenario)', '', '', '', '']);
}

// 6. DB steps: 1,000 SELECT-by-id steps against a plain pg loop in the same run (issue 20; PostgreSQL on 127.0.0.1:5432).
rows.push(await measureDbSelects(cli));

// 7. Runner agents: 500 runs through sortie server + 2 agents against local runs (issue 13; redis-server on the machine).
rows.push(...(await measureAgents(cli)));

await server.close();
const header = ['benchmark', 'runs', 'throughput', 'time', 'peak RSS'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
process.stdout.write(`${table}\n\nnode ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
