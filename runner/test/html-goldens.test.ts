/**
 * The HTML report of example scenarios — passing, failing (assertions and errors), data-driven,
 * nested flow control, setup and teardown with a flaky step, a scenario flaky under --retry-failed — through the real CLI, compared (normalised) with
 * `fixtures/scenarios/<kind>/expected/<name>.report.html`. `UPDATE_GOLDEN=1` rewrites them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, expectGolden, ROOT, runSortie } from '@sortie/testkit';
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

/**
 * Replaces what changes from run to run: the port, durations, times, the date header, random tokens; leaves out the
 * inline CSS and script, and the DNS / Connect / TLS timing rows (present only when a step opened a connection, which
 * depends on when the keep-alive socket went back to the pool).
 */
export function normaliseHtml(html: string, port: number): string {
  return html
    .replaceAll(`127.0.0.1:${port}`, '127.0.0.1:PORT')
    .replace(/<style>[\s\S]*?<\/style>/, '<style>…</style>')
    .replace(/<script>[\s\S]*?<\/script>/, '<script>…</script>')
    .replace(/(<th scope="row">date<\/th><td>)[^<]*/gi, '$1DATE')
    .replace(/<tr><th scope="row">(DNS|Connect|TLS)<\/th><td>[^<]*<\/td><\/tr>/g, '')
    .replace(/\b\d+(\.\d+)? ms\b/g, 'N ms')
    .replace(/\b\d+\.\d+ s\b/g, 'N ms')
    .replace(/(&quot;token&quot;: &quot;)[0-9a-f]{24}&quot;/g, '$1TOKEN&quot;')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME')
    .replace(/<li class="step/g, '\n<li class="step');
}

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
        expectGolden(`${expected}.report.html`, normaliseHtml(readFileSync(join(out, 'report.html'), 'utf8'), server.port));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }, 30_000);
  }
});
