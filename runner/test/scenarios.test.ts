/**
 * Every example scenario under fixtures/scenarios/{ok,failed,invalid,db,flow} runs through the real CLI
 * against the fixture API; stdout, stderr, exit code, the JSON report and the JUnit report are
 * compared with the golden files in each folder's expected/ (UPDATE_GOLDEN=1 rewrites them).
 * `expected/<name>.args` holds extra command-line arguments for a scenario, one per line.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ReportSchema } from '@sortie/reporters';
import { ensureBuilt, expectGolden, isReachable, normaliseJunit, normaliseReport, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';

const SCENARIOS = join(ROOT, 'fixtures', 'scenarios');
const EXPECTED_EXIT = { ok: 0, failed: 1, invalid: 2, db: 0, flow: 0 } as const;
const XSD = readFileSync(join(ROOT, 'fixtures', 'conformance', 'junit-10.xsd'), 'utf8');

let server: FixtureServer;
let port: number;
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  port = server.port;
});
afterAll(() => server.close());

function scenarioFiles(kind: string): string[] {
  return readdirSync(join(SCENARIOS, kind))
    .filter((name) => /\.(json|ya?ml)$/.test(name))
    .sort();
}

/** db scenarios need PostgreSQL, Redis and MariaDB: skipped with a reason when absent, a failure when CI is set. */
const databasesUp = (await Promise.all([isReachable(5432), isReachable(6379), isReachable(3306)])).every(Boolean);
if (!databasesUp) {
  if (process.env.CI) throw new Error('PostgreSQL (5432), Redis (6379) or MariaDB (3306) is not reachable on 127.0.0.1, and CI is set');
  console.warn('db scenarios skipped: PostgreSQL (5432), Redis (6379) or MariaDB (3306) is not reachable on 127.0.0.1');
}

for (const kind of ['ok', 'failed', 'invalid', 'db', 'flow'] as const) {
  describe.skipIf(kind === 'db' && !databasesUp)(`${kind} scenarios`, () => {
    it('has example scenarios (an empty folder would generate no test)', () => {
      expect(scenarioFiles(kind).length).toBeGreaterThan(0);
    });

    for (const name of scenarioFiles(kind)) {
      it(`${name} gives the golden output and exit code ${EXPECTED_EXIT[kind]}`, async () => {
        const out = mkdtempSync(join(tmpdir(), 'sortie-e2e-'));
        try {
          const file = `fixtures/scenarios/${kind}/${name}`;
          const expected = join(SCENARIOS, kind, 'expected', basename(name));
          // expected/<name>.args: extra command-line arguments, one per line
          const extra = existsSync(`${expected}.args`) ? readFileSync(`${expected}.args`, 'utf8').split('\n').filter(Boolean) : [];
          const args = ['run', file, ...extra, '--env-var', `base=${server.url}`, '-r', 'cli,json,junit', '--out-dir', out, '--no-color'];
          const result = await runSortie(args);
          expect(result.code, result.stderr).toBe(EXPECTED_EXIT[kind]);
          expectGolden(`${expected}.out`, normaliseText(result.stdout, port));
          expectGolden(`${expected}.err`, normaliseText(result.stderr, port));
          if (kind === 'invalid') {
            expect(readdirSync(out)).toEqual([]); // nothing ran, no report written
            return;
          }
          const report = readFileSync(join(out, 'report.json'), 'utf8');
          expect(ReportSchema.safeParse(JSON.parse(report)).success).toBe(true);
          // A step id names one run of one step: a step that setNextRequest runs again gets `~2`, `~3`…
          for (const scenario of JSON.parse(report).scenarios) expect(duplicateStepIds(scenario.steps)).toEqual([]);
          expectGolden(`${expected}.report.json`, normaliseReport(report, port));
          const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
          const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: junit }], schema: [XSD] });
          expect(validation.errors.map((e) => e.rawMessage)).toEqual([]);
          expectGolden(`${expected}.junit.xml`, normaliseJunit(junit, port));
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      });
    }
  });
}

/** The step ids that appear more than once among a scenario run's steps, at any depth. */
function duplicateStepIds(steps: ReadonlyArray<{ id: string; children?: unknown }>): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const walk = (list: ReadonlyArray<{ id: string; children?: unknown }>): void => {
    for (const step of list) {
      if (seen.has(step.id)) duplicates.push(step.id);
      seen.add(step.id);
      if (Array.isArray(step.children)) walk(step.children);
    }
  };
  walk(steps);
  return duplicates;
}
