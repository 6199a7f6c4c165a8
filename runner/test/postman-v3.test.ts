/**
 * Postman Collection v3 (a folder of YAML files) through the real CLI: `sortie run <folder>` detected
 * by its layout, the same results as the same collection written as v2.1, v3 environment and globals
 * YAML files, `sortie import postman <folder>`, and malformed folders refused with file, line and
 * column. Goldens in fixtures/postman/expected/v3/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, expectGolden, normaliseJunit, normaliseReport, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const POSTMAN = 'fixtures/postman';
const V3 = `${POSTMAN}/v3`;
const EXPECTED = join(ROOT, POSTMAN, 'expected', 'v3');

let server: FixtureServer;
const temp: string[] = [];
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sortie-postman-v3-'));
  temp.push(dir);
  return dir;
}

interface ReportStep {
  name: string;
  assertions?: Array<{ name?: string; selector: string; passed: boolean }>;
  children?: ReportStep[];
}

/** Every test of a JSON report as `<step> :: <test> :: <outcome>`, in order. */
function testsOf(reportFile: string): string[] {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { scenarios: Array<{ steps: ReportStep[] }> };
  const lines: string[] = [];
  const visit = (steps: ReportStep[]) => {
    for (const step of steps) {
      for (const assertion of step.assertions ?? [])
        lines.push(`${step.name} :: ${assertion.name ?? assertion.selector} :: ${assertion.passed}`);
      visit(step.children ?? []);
    }
  };
  for (const scenario of report.scenarios) visit(scenario.steps);
  return lines;
}

/** The values of {{$guid}} and {{$timestamp}} (epoch seconds) the features collection sends. */
function normaliseDynamic(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, '<UUID>')
    .replace(/(\\?")1[0-9]{9}(\\?")/g, '$1<EPOCH SECONDS>$2');
}

/** Runs with the CLI, JSON and JUnit reporters; checks the exit code and the goldens; returns the report folder. */
async function runCollection(name: string, args: string[], expectedExit: number): Promise<string> {
  const out = tempDir();
  const result = await runSortie([
    'run',
    ...args,
    '--env-var',
    `base=${server.url}`,
    '-r',
    'cli,json,junit',
    '--out-dir',
    out,
    '--no-color',
  ]);
  expect(result.code, result.stderr).toBe(expectedExit);
  expectGolden(join(EXPECTED, `${name}.out`), normaliseText(result.stdout, server.port));
  expectGolden(join(EXPECTED, `${name}.err`), normaliseText(result.stderr, server.port));
  expectGolden(
    join(EXPECTED, `${name}.report.json`),
    normaliseDynamic(normaliseReport(readFileSync(join(out, 'report.json'), 'utf8'), server.port)),
  );
  expectGolden(join(EXPECTED, `${name}.junit.xml`), normaliseJunit(readFileSync(join(out, 'junit.xml'), 'utf8'), server.port));
  return out;
}

describe('sortie run <v3 collection folder>', () => {
  it('runs the features collection written as v3 with the same tests and outcomes as its v2.1 twin', async () => {
    const v3 = await runCollection('features', [`${V3}/features`], 1);
    const v21 = tempDir();
    const direct = await runSortie([
      'run',
      `${POSTMAN}/features.postman_collection.json`,
      '--env-var',
      `base=${server.url}`,
      '-r',
      'json',
      '--out-dir',
      v21,
    ]);
    expect(direct.code).toBe(1);
    const tests = testsOf(join(v21, 'report.json'));
    expect(tests).toHaveLength(36);
    expect(testsOf(join(v3, 'report.json'))).toEqual(tests);
  });

  it('reads the documented layout: nested folders, order, scripts at each level by protocol, auth inheritance, body types; names what cannot run', async () => {
    const out = await runCollection('layout', [`${V3}/layout`], 1);
    const tests = testsOf(join(out, 'report.json'));
    expect(tests.filter((test) => test.endsWith('false'))).toEqual([]);
    expect(tests.map((test) => test.split(' :: ')[0])).toContain('Last without order');
  });

  it('takes v3 environment (-e) and globals (-g) YAML files, and redacts their secret values everywhere', async () => {
    const out = await runCollection(
      'environment',
      [
        `${POSTMAN}/secrets.postman_collection.json`,
        '-e',
        `${V3}/local.environment.yaml`,
        '-g',
        `${V3}/workspace.globals.yaml`,
        '--verbose',
      ],
      0,
    );
    const written = ['report.json', 'junit.xml'].map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
    for (const secret of ['env-secret-token-123', 'global-secret-456', 'literal-basic-pw', 'collection-secret-789']) {
      expect(written).not.toContain(secret);
    }
  });

  it('refuses bad YAML, an unknown $kind and a path leaving the folder, with file, line and column (exit 2)', async () => {
    for (const name of ['yaml', 'kind', 'escape']) {
      const result = await runSortie(['run', `${V3}/bad/${name}`, '--no-color']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`fixtures/postman/v3/bad/${name}/\\w+\\.request\\.yaml:\\d+:\\d+`));
      expectGolden(join(EXPECTED, `bad-${name}.err`), result.stderr);
    }
  });
});

describe('sortie import postman <v3 collection folder>', () => {
  it('writes the scenario (golden), whose run gives the same tests as the direct run of the folder', async () => {
    const out = mkdtempSync(join(ROOT, POSTMAN, '.import-v3-'));
    temp.push(out);
    const imported = await runSortie(['import', 'postman', `${V3}/features`, '--out', join(out, 'imported')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(listFiles(join(out, 'imported'))).toEqual(['sortie-features.yaml', 'sortie.config.yaml']);
    expectGolden(join(EXPECTED, 'import-features.yaml'), readFileSync(join(out, 'imported', 'sortie-features.yaml'), 'utf8'));
    const reports = tempDir();
    const direct = await runSortie([
      'run',
      `${V3}/features`,
      '--env-var',
      `base=${server.url}`,
      '-r',
      'json',
      '--out-dir',
      join(reports, 'direct'),
    ]);
    const again = await runSortie(['run', '.', '--env-var', `base=${server.url}`, '-r', 'json', '--out-dir', join(reports, 'again')], {
      cwd: join(out, 'imported'),
    });
    expect(again.code, again.stderr).toBe(direct.code);
    expect(testsOf(join(reports, 'again', 'report.json'))).toEqual(testsOf(join(reports, 'direct', 'report.json')));
  });

  it('refuses a malformed v3 folder with its place (exit 2)', async () => {
    const result = await runSortie(['import', 'postman', `${V3}/bad/kind`, '--out', tempDir()]);
    expect(result.code).toBe(2);
    expectGolden(join(EXPECTED, 'import-bad-kind.err'), result.stderr);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}
