/**
 * The DB-step overhead row of `pnpm bench` (issue 20): 1,000 `SELECT … WHERE id = $1` db steps run
 * by the built CLI against PostgreSQL, and the same 1,000 queries through a plain `pg` pool loop
 * (bench/db-plain-loop.mjs), each in a fresh process, alternating; both timed from before the
 * driver is loaded (the CLI: its report's run time, whose first step loads and connects the
 * driver). Ratios of the medians of 5: the whole, and without the first query (the steady state).
 * Both sides are also timed the same two other ways, so the row compares like with like however it
 * is read: whole process (spawn to exit, the parent's clock) and CPU time (user + system, recorded at
 * exit by the bench/peak-rss.mjs preload in both processes).
 * Runs alone too: `npx tsx bench/db-select.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { dbSelectScenario } from './scenarios.js';

const PG_URL = process.env.SORTIE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// One table per bench process: parallel runs (CI, several work trees on one machine) must not drop each other's.
const TABLE = `sortie_bench_select_${process.pid}`;
const STEPS = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const TARGET = 1.3;

/** Spawns `node <args>` with the CPU preload; whole-process wall time (spawn to exit), CPU time, stdout. */
async function spawnTimed(args: string[], cwd: string): Promise<{ code: number; wallMs: number; cpuMs: number; stdout: string }> {
  const cpuFile = join(cwd, `cpu-${Math.random()}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', join(import.meta.dirname, 'peak-rss.mjs'), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, SORTIE_BENCH_CPU_FILE: cpuFile },
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const wallMs = performance.now() - started;
  const cpuMs = Number(readFileSync(cpuFile, 'utf8'));
  rmSync(cpuFile, { force: true });
  return { code, wallMs, cpuMs, stdout };
}

/** Returns the table row: label, runs, CLI time, loop time, ratio. */
export async function measureDbSelects(cliPath: string): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'sortie-bench-db-'));
  const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
  await admin.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id int PRIMARY KEY, name text NOT NULL)`);
  await admin.query(`INSERT INTO ${TABLE} SELECT g, 'name ' || g FROM generate_series(1, ${STEPS}) g ON CONFLICT DO NOTHING`);
  const scenario = join(work, 'select.json');
  writeFileSync(scenario, JSON.stringify(dbSelectScenario(STEPS, TABLE)));
  const env = join(work, 'env.json');
  writeFileSync(env, JSON.stringify({ name: 'bench', databases: { main: { type: 'postgres', url: PG_URL } } }));

  const cliMs: number[] = [];
  const loopMs: number[] = [];
  const cliSteadyMs: number[] = [];
  const loopSteadyMs: number[] = [];
  const whole = { cli: [] as number[], loop: [] as number[] };
  const cpu = { cli: [] as number[], loop: [] as number[] };
  for (let run = 0; run < 5; run++) {
    // The plain loop: a fresh process and pool (like the CLI's), the same statement and ids, results read.
    const loop = await spawnTimed([join(import.meta.dirname, 'db-plain-loop.mjs'), PG_URL, TABLE, String(STEPS)], work);
    const timed = JSON.parse(loop.stdout) as { totalMs: number; firstMs: number };
    loopMs.push(timed.totalMs);
    loopSteadyMs.push(timed.totalMs - timed.firstMs);
    whole.loop.push(loop.wallMs);
    cpu.loop.push(loop.cpuMs);

    const cli = await spawnTimed([cliPath, 'run', scenario, '-e', env, '-r', 'json', '--out-dir', 'out'], work);
    if (cli.code !== 0) throw new Error(`the DB bench scenario exited with ${cli.code}`);
    const report = JSON.parse(readFileSync(join(work, 'out/report.json'), 'utf8')) as {
      durationMs: number;
      scenarios: Array<{ steps: Array<{ durationMs: number }> }>;
    };
    cliMs.push(report.durationMs);
    cliSteadyMs.push(report.durationMs - (report.scenarios[0]?.steps[0]?.durationMs ?? 0));
    whole.cli.push(cli.wallMs);
    cpu.cli.push(cli.cpuMs);
  }
  await admin.query(`DROP TABLE ${TABLE}`);
  await admin.end();
  const cli5 = median(cliMs);
  const loop5 = median(loopMs);
  const ratio = cli5 / loop5;
  const steady = median(cliSteadyMs) / median(loopSteadyMs);
  return [
    `db steps: ${STEPS.toLocaleString('en')} SELECT-by-id (PostgreSQL) vs a plain pg loop`,
    'median of 5',
    `${((STEPS / cli5) * 1000).toFixed(0)} steps/s vs ${((STEPS / loop5) * 1000).toFixed(0)} queries/s`,
    `${cli5.toFixed(0)} ms vs ${loop5.toFixed(0)} ms (×${ratio.toFixed(2)}, target ≤ ×${TARGET}: ${ratio <= TARGET ? 'met' : 'not met'}; ×${steady.toFixed(2)} without the first query)`,
    `whole process ×${(median(whole.cli) / median(whole.loop)).toFixed(2)} (${median(whole.cli).toFixed(0)} vs ${median(whole.loop).toFixed(0)} ms); CPU ×${(median(cpu.cli) / median(cpu.loop)).toFixed(2)} (${median(cpu.cli).toFixed(0)} vs ${median(cpu.loop).toFixed(0)} ms)`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = fileURLToPath(new URL('../runner/dist/sortie.cjs', import.meta.url));
  process.stdout.write(`| ${(await measureDbSelects(cli)).join(' | ')} |\n`);
}
