/**
 * Contract assertions end to end: the built CLI against Stoplight Prism (a mock server generated from
 * the same description, in its own process), so the responses come from something Sortie's authors
 * did not write — including a deliberately broken example the contract check must catch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@sortie/api';
import { isPrismInstalled, type PrismServer, startPrism } from '@sortie/fixtures/prism';
import { loadPlan } from '@sortie/project';
import { ensureBuilt, expectGolden, normaliseReport, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIR = join(ROOT, 'fixtures', 'scenarios', 'contract');
const EXPECTED = join(DIR, 'expected');
const SPEC = join(ROOT, 'fixtures', 'openapi', 'contract', 'zoo-3.0.yaml');

describe.skipIf(!isPrismInstalled())('contract assertions against a Prism mock of the same description', () => {
  let prism: PrismServer;
  let out: string;
  beforeAll(async () => {
    ensureBuilt();
    prism = await startPrism(SPEC);
    out = mkdtempSync(join(tmpdir(), 'sortie-contract-'));
  }, 90_000);
  afterAll(async () => {
    await prism?.close();
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  });

  it('passes the documented example and lists every violation of the broken one, with pointers (exit 1)', async () => {
    const outcome = await runSortie([
      'run',
      'fixtures/scenarios/contract/zoo-assertions.json',
      'fixtures/scenarios/contract/zoo-options-contract.yaml',
      '--env-var',
      `zoo=${prism.url}`,
      '-r',
      'cli,json',
      '--out-dir',
      out,
    ]);
    expect(outcome.code).toBe(1);
    expectGolden(join(EXPECTED, 'zoo.out'), normaliseText(outcome.stdout, 'any'));
    expect(outcome.stderr).toBe('');
    const report = normaliseReport(readFileSync(join(out, 'report.json'), 'utf8'), 'any');
    expectGolden(join(EXPECTED, 'zoo.report.json'), report);
    const broken = JSON.parse(report).scenarios[0].steps[1].assertions;
    expect(broken.map((a: { pointer: string }) => a.pointer)).toEqual(['/name', '/id', '/owner', '/password']);
  });

  it('runs a plan on another machine: the description and the files its $refs name travel in the plan', async () => {
    const plan = await loadPlan({ paths: ['fixtures/scenarios/contract/zoo-assertions.json'], cwd: ROOT });
    expect(Object.keys(plan.files).sort()).toEqual(['fixtures/openapi/contract/common.yaml', 'fixtures/openapi/contract/zoo-3.0.yaml']);
    // The other machine has the plan only: an empty folder as root.
    const elsewhere = mkdtempSync(join(tmpdir(), 'sortie-plan-'));
    try {
      const result = await run(JSON.parse(JSON.stringify(plan)), { root: elsewhere, envVars: { zoo: prism.url } });
      const steps = result.scenarios[0]?.totals;
      expect(steps).toMatchObject({ passed: 1, failed: 2 });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('a contract whose description is bad', () => {
  beforeAll(() => ensureBuilt());

  it.each(['unresolvable-ref.json', 'missing-spec.yaml'])(
    'refuses %s before running, with the place of the problem (exit 2)',
    async (file) => {
      const outcome = await runSortie(['run', `fixtures/scenarios/contract/bad-spec/${file}`]);
      expect(outcome.code).toBe(2);
      expect(outcome.stdout).toBe('');
      expectGolden(join(EXPECTED, `${file}.err`), normaliseText(outcome.stderr));
    },
  );
});
