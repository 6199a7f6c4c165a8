/**
 * The data-driven rows of `pnpm bench` (issues 3 and 17): one request per iteration, `-d` JSON rows,
 * json reporter, at 1,000, 10,000 and 100,000 rows, each in a fresh process. Peak RSS must stay
 * flat as rows grow: the 100,000-row row prints its peak as a ratio of the 10,000-row peak of the
 * same run (target ≤ 1.2×). Runs alone too: `npx tsx bench/data-rows.ts` (starts the fixture server; SORTIE_BENCH_CLI=<bundle> runs another build).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDrivenScenario, iterationRows } from './scenarios.js';

/** SORTIE_BENCH_ROWS=10000,100000 runs only those counts (A/B loops). */
const COUNTS = process.env.SORTIE_BENCH_ROWS?.split(',').map(Number) ?? [1_000, 10_000, 100_000];

interface DataRun {
  code: number;
  wallMs: number;
  peakRss: number;
  /** CPU time of the CLI process, user + system, in ms. */
  cpuMs: number;
  rate: number;
}

/** One CLI run over `count` rows, its peak RSS taken by bench/peak-rss.mjs at exit. */
async function runRows(cli: string, work: string, scenario: string, baseUrl: string, count: number): Promise<DataRun> {
  const data = join(work, `rows-${count}.json`);
  writeFileSync(data, JSON.stringify(iterationRows(count)));
  const rssFile = join(work, `rss-${count}`);
  const cpuFile = join(work, `cpu-${count}`);
  const out = join(work, `out-${count}`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(import.meta.dirname, 'peak-rss.mjs'),
      cli,
      'run',
      scenario,
      '-d',
      data,
      '--env-var',
      `base=${baseUrl}`,
      '-r',
      'json',
      '--out-dir',
      out,
    ],
    {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SORTIE_BENCH_RSS_FILE: rssFile, SORTIE_BENCH_CPU_FILE: cpuFile, NO_COLOR: '1' },
    },
  );
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const wallMs = performance.now() - started;
  let rate = 0;
  try {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { durationMs: number; totals: { requests: number } };
    rate = (report.totals.requests / report.durationMs) * 1000;
  } catch {}
  rmSync(out, { recursive: true, force: true });
  rmSync(data, { force: true });
  return { code, wallMs, peakRss: Number(readFileSync(rssFile, 'utf8')), cpuMs: Number(readFileSync(cpuFile, 'utf8')), rate };
}

/** Returns the table rows: label, runs, throughput, time, peak RSS (the 100,000-row one with its ratio to 10,000). */
export async function measureDataRows(cli: string, baseUrl: string): Promise<string[][]> {
  const work = mkdtempSync(join(tmpdir(), 'sortie-bench-rows-'));
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const rows: string[][] = [];
  try {
    const scenario = join(work, 'data-driven.json');
    writeFileSync(scenario, JSON.stringify(dataDrivenScenario()));
    const peaks = new Map<number, number>();
    for (const count of COUNTS) {
      const run = await runRows(cli, work, scenario, baseUrl, count);
      peaks.set(count, run.peakRss);
      const base = peaks.get(10_000);
      const ratio = count > 10_000 && base !== undefined ? ` (×${(run.peakRss / base).toFixed(2)} of 10,000 rows; target ≤ 1.2)` : '';
      rows.push([
        `data-driven: ${count.toLocaleString('en')} iterations (-d, json reporter)`,
        '1',
        `${run.rate.toFixed(0)} req/s`,
        `${run.wallMs.toFixed(0)} ms wall, ${run.cpuMs.toFixed(0)} ms CPU`,
        `${mb(run.peakRss)}${ratio}`,
      ]);
      if (run.code !== 0) rows.push(['  (the run exited non-zero: check the scenario)', '', '', '', '']);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startFixtureServer } = await import('../fixtures/src/server/index.js');
  const server = await startFixtureServer();
  try {
    // SORTIE_BENCH_CLI: another build to compare (A/B in one loop), e.g. main's bundle copied aside.
    const cli = process.env.SORTIE_BENCH_CLI ?? fileURLToPath(new URL('../runner/dist/sortie.cjs', import.meta.url));
    for (const row of await measureDataRows(cli, server.url)) process.stdout.write(`| ${row.join(' | ')} |\n`);
  } finally {
    await server.close();
  }
}
