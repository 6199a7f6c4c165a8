/**
 * Postman collections whose results were first taken from Newman 6.2.2 (run side by side with Sortie
 * against the same server): each collection's own pm tests hold what Newman sent and saw, so every
 * test passes when Sortie behaves as Newman does. Run directly and after `sortie import postman`.
 * Newman itself does not run here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const POSTMAN = 'fixtures/postman';

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
  const dir = mkdtempSync(join(tmpdir(), 'sortie-postman-parity-'));
  temp.push(dir);
  return dir;
}

interface ReportStep {
  name: string;
  status: string;
  assertions?: Array<{ name?: string; selector: string; passed: boolean; message?: string }>;
  children?: ReportStep[];
}

/** Every request and test of a JSON report, in order: `<step> :: <status>`, then `  <test> :: passed|<message>`. */
function outcomesOf(reportFile: string): string[] {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { scenarios: Array<{ steps: ReportStep[] }> };
  const lines: string[] = [];
  const visit = (steps: ReportStep[]) => {
    for (const step of steps) {
      if (step.children === undefined || step.assertions?.length) lines.push(`${step.name} :: ${step.status}`);
      for (const a of step.assertions ?? []) lines.push(`  ${a.name ?? a.selector} :: ${a.passed ? 'passed' : (a.message ?? 'failed')}`);
      visit(step.children ?? []);
    }
  };
  for (const scenario of report.scenarios) visit(scenario.steps);
  return lines;
}

/** Runs `sortie run <inputs>` against the fixture server; the exit code and the outcomes of its JSON report. */
async function run(inputs: string[], extra: string[] = []): Promise<{ code: number; outcomes: string[]; stderr: string }> {
  const out = tempDir();
  const result = await runSortie(['run', ...inputs, ...extra, '--env-var', `base=${server.url}`, '-r', 'json', '--out-dir', out]);
  return { code: result.code, outcomes: outcomesOf(join(out, 'report.json')), stderr: result.stderr };
}

/** Runs the collection directly and after `sortie import postman`: both must give `expected`. */
async function expectBothWays(collection: string, expected: string[], exitCode = 0): Promise<void> {
  const direct = await run([join(POSTMAN, collection)]);
  expect(direct.outcomes).toEqual(expected);
  expect(direct.code, direct.stderr).toBe(exitCode);
  const dir = tempDir();
  const imported = await runSortie(['import', 'postman', join(POSTMAN, collection), '--out', dir]);
  expect(imported.code, imported.stderr).toBe(0);
  const again = await run([dir]);
  expect(again.outcomes).toEqual(expected);
  expect(again.code, again.stderr).toBe(exitCode);
}

describe('Postman collections give what Newman 6.2.2 gives', () => {
  it('an object or array variable inside text is sent as String() writes it ([object Object], 1,2), not as JSON', async () => {
    await expectBothWays('object-variables.postman_collection.json', [
      'URL, header and raw body :: passed',
      '  the URL has String() of each value :: passed',
      '  the header too :: passed',
      '  the raw body too :: passed',
      '  replaceIn of every scope and of one :: passed',
      '  the values keep their type :: passed',
      'Form bodies :: passed',
      '  urlencoded values and names as text :: passed',
      'Multipart :: passed',
      '  form-data values as text :: passed',
      'Bearer :: passed',
      '  the token as text :: passed',
      'Basic :: passed',
      '  user and password as text :: passed',
      'Undefined :: passed',
      '  a variable set to undefined or a function is null :: passed',
    ]);
  });
});
