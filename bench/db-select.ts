/**
 * The DB-step overhead row of `pnpm bench` (issue 20): 1,000 `SELECT … WHERE id = $1` db steps run
 * by the built CLI against PostgreSQL, and the same 1,000 queries through a plain `pg` pool loop
 * (bench/db-plain-loop.mjs), each in a fresh process, alternating; both timed from before the
 * driver is loaded (the CLI: its report's run time, whose first step loads and connects the
 * driver). Ratios of the medians of 5: the whole, and without the first query (the steady state).
 * Runs alone too: `npx tsx bench/db-select.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { dbSelectScenario } from './scenarios.js';

const PG_URL = process.env.SORTIE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TABLE = 'sortie_bench_select';
const STEPS = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Returns the table row: label, runs, CLI time, loop time, ratio. */
export async function measureDbSelects(cli: string): Promise<string[]> {
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
  for (let run = 0; run < 5; run++) {
    // The plain loop: a fresh process and pool (like the CLI's), the same statement and ids, results read.
    const loop = spawn(process.execPath, [join(import.meta.dirname, 'db-plain-loop.mjs'), PG_URL, TABLE, String(STEPS)], {
      cwd: import.meta.dirname,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    loop.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await new Promise((resolve) => loop.on('close', resolve));
    const timed = JSON.parse(output) as { totalMs: number; firstMs: number };
    loopMs.push(timed.totalMs);
    loopSteadyMs.push(timed.totalMs - timed.firstMs);

    const child = spawn(process.execPath, [cli, 'run', scenario, '-e', env, '-r', 'json', '--out-dir', 'out'], {
      cwd: work,
      stdio: 'ignore',
    });
    const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    const report = JSON.parse(readFileSync(join(work, 'out/report.json'), 'utf8')) as {
      durationMs: number;
      scenarios: Array<{ steps: Array<{ durationMs: number }> }>;
    };
    if (code !== 0) throw new Error(`the DB bench scenario exited with ${code}`);
    cliMs.push(report.durationMs);
    cliSteadyMs.push(report.durationMs - (report.scenarios[0]?.steps[0]?.durationMs ?? 0));
  }
  await admin.query(`DROP TABLE ${TABLE}`);
  await admin.end();
  const cli5 = median(cliMs);
  const loop5 = median(loopMs);
  const steady = median(cliSteadyMs) / median(loopSteadyMs);
  return [
    `db steps: ${STEPS.toLocaleString('en')} SELECT-by-id (PostgreSQL) vs a plain pg loop`,
    'median of 5',
    `${((STEPS / cli5) * 1000).toFixed(0)} steps/s vs ${((STEPS / loop5) * 1000).toFixed(0)} queries/s`,
    `${cli5.toFixed(0)} ms vs ${loop5.toFixed(0)} ms (×${(cli5 / loop5).toFixed(2)}; ×${steady.toFixed(2)} without the first query)`,
    '',
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = fileURLToPath(new URL('../runner/dist/sortie.mjs', import.meta.url));
  process.stdout.write(`| ${(await measureDbSelects(cli)).join(' | ')} |\n`);
}
