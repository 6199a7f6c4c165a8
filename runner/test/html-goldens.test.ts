/**
 * The HTML report of example scenarios — passing, failing (assertions and errors), data-driven,
 * nested flow control, setup and teardown with a flaky step, a scenario flaky under --retry-failed — through the real CLI, compared (normalised) with
 * `fixtures/scenarios/<kind>/expected/<name>.report.html`. `UPDATE_GOLDEN=1` rewrites them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, expectGolden, normaliseHtmlPage, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const EXAMPLES = [
  { file: 'ok/login-and-items.json', exit: 0 },
  { file: 'failed/wrong-expectations.json', exit: 1 },
  { file: 'failed/step-errors.yaml', exit: 1 },
  { file: 'flow/data-driven.json', exit: 0 },
  { file: 'flow/flow-control.json', exit: 0 },
  { file: 'failed/setup-teardown.json', exit: 1 },
  { file: 'flow/retry-failed.json', exit: 0 },
];

let server: FixtureServer;
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
});
afterAll(() => server.close());

describe('HTML report of the example scenarios', () => {
  for (const example of EXAMPLES) {
    it(`${example.file} gives the golden page`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'sortie-html-golden-'));
      try {
        const [kind, name] = example.file.split('/') as [string, string];
        const expected = join(ROOT, 'fixtures', 'scenarios', kind, 'expected', name);
        const extra = existsSync(`${expected}.args`) ? readFileSync(`${expected}.args`, 'utf8').split('\n').filter(Boolean) : [];
        const args = [
          'run',
          `fixtures/scenarios/${example.file}`,
          ...extra,
          '--env-var',
          `base=${server.url}`,
          '-r',
          'html',
          '--out-dir',
          out,
        ];
        const result = await runSortie(args);
        expect(result.code, result.stderr).toBe(example.exit);
        expectGolden(`${expected}.report.html`, normaliseHtmlPage(readFileSync(join(out, 'report.html'), 'utf8'), server.port));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }, 30_000);
  }
});
