/**
 * Output paths the CLI cannot write, through the built CLI: a folder in /proc (where Node's own
 * recursive mkdir loops for ever at 100 % CPU; these runs used to never end) and a path through a
 * file, for reports, exported variables and the server's data folder. Each ends at once with exit 2
 * and an error naming the path (goldens); a code cache folder that cannot be made is simply not used.
 * Two reports or exports given one file, by name or through a symbolic link, are refused before the run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(import.meta.dirname, 'golden');
const hasProc = existsSync('/proc/self');
let work: string;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-unwritable-'));
  writeFileSync(join(work, 'one.json'), JSON.stringify({ name: 'one', steps: [{ name: 'compute', script: 'const a = 1;' }] }));
  writeFileSync(join(work, 'a-file'), 'not a folder');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) => runSortie(['run', 'one.json', ...args], { cwd: work, env });

describe('output paths that cannot be written', () => {
  it.skipIf(!hasProc)(
    '--out-dir, --report-html and --export-environment in /proc: exit 2 at once, naming the path',
    async () => {
      const started = Date.now();
      const outDir = await run(['--out-dir', '/proc/sortie-no-such', '-r', 'json']);
      const html = await run(['--report-html', '/proc/sortie-no-such/report.html']);
      const exported = await run(['--export-environment', '/proc/sortie-no-such/env.json']);
      expect(Date.now() - started).toBeLessThan(15_000);
      for (const result of [outDir, html, exported]) expect(result.code, result.stderr).toBe(2);
      expectGolden(join(GOLDEN, 'unwritable-proc.err'), [outDir.stderr, html.stderr, exported.stderr].join('---\n'));
      // Three runs of the CLI: the test's own bound is the 15 s above, not vitest's default 5 s.
    },
    30_000,
  );

  it('--out-dir through a file: exit 2 before the run, naming the path', async () => {
    const result = await run(['--out-dir', 'a-file/reports', '-r', 'junit']);
    expect(result.code).toBe(2);
    // Refused before anything is sent: found after the run, it lost the run's results.
    expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'unwritable-through-file.err'), result.stderr.replaceAll(work, 'WORK'));
  });

  it('a report that cannot be written: the run is reported, the other reports and the export are written, every failure is named, exit 2', async () => {
    const result = await run([
      '-r',
      'cli,json,junit',
      '--out-dir',
      'reports',
      // Places only the write finds unwritable (a path through a file is refused before the run).
      '--report-json',
      '/proc/sortie-no-such/report.json',
      '--report-html',
      '/proc/sortie-no-such/r.html',
      '--export-environment',
      'env.json',
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toContain('PASSED');
    expect(existsSync(join(work, 'reports', 'junit.xml'))).toBe(true);
    expect(existsSync(join(work, 'env.json'))).toBe(true);
    expectGolden(join(GOLDEN, 'unwritable-one-report.err'), result.stderr.replaceAll(work, 'WORK'));
  });

  it('two reports or exports given one file, also through a symbolic link: exit 2 before the run, naming both; /dev/null may take several', async () => {
    const flags = await run(['--report-json', 'same.out', '--report-junit', 'same.out']);
    const outDir = await run(['-r', 'json', '--out-dir', 'r', '--report-html', 'r/report.json']);
    // The export overwrote the JSON report with the environment (exit 0).
    const exported = await run(['-r', 'json', '--out-dir', 'e', '--export-environment', 'e/report.json']);
    // Through a link to the out-dir, the JSON report held the JUnit XML and its rename failed (ENOENT).
    mkdirSync(join(work, 'real-dir'));
    symlinkSync('real-dir', join(work, 'linked-dir'));
    const linked = await run(['-r', 'json', '--out-dir', 'real-dir', '--report-junit', 'linked-dir/report.json']);
    for (const result of [flags, outDir, exported, linked]) expect([result.code, result.stdout], result.stderr).toEqual([2, '']);
    expect(existsSync(join(work, 'same.out'))).toBe(false);
    expect(existsSync(join(work, 'e', 'report.json'))).toBe(false);
    expect(existsSync(join(work, 'real-dir', 'report.json'))).toBe(false);
    expectGolden(join(GOLDEN, 'shared-report-file.err'), [flags.stderr, outDir.stderr, exported.stderr, linked.stderr].join('---\n'));
    const devNull = await run(['--report-json', '/dev/null', '--report-junit', '/dev/null']);
    expect(devNull.code, devNull.stderr).toBe(0);
  });

  it('sortie server with a --data-dir it cannot make: exit 2, naming the folder', async () => {
    const through = await runSortie(['server', 'token', 'create', '--data-dir', 'a-file/data'], { cwd: work });
    const results = [through];
    if (hasProc) results.push(await runSortie(['server', 'token', 'create', '--data-dir', '/proc/sortie-no-such'], { cwd: work }));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'unwritable-data-dir.err'), results.map((result) => result.stderr.replaceAll(work, 'WORK')).join('---\n'));
  });

  it.skipIf(!hasProc)('a code cache folder that cannot be made is not used: the run goes on', async () => {
    const result = await run([], { SORTIE_CODE_CACHE: '/proc/sortie-no-such/cache' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('PASSED');
    expect(result.stderr).toBe('');
  });
});
