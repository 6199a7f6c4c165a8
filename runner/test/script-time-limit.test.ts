/**
 * The script time limit through the built CLI (issue 17): a loop whose every turn is a large built-in
 * call stops near the 5 s limit. QuickJS checks the clock every 100 loop turns or calls only when the
 * CLI bundle loads the patched WebAssembly (packages/sandbox/src/interrupt-patch.ts); with the
 * published module (every 10,000) this run took 17.7 s on a quiet machine and 47 s on a loaded one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: FixtureServer;
let work: string;
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-time-limit-'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the script time limit in the CLI', () => {
  it('stops a loop of large built-in calls near the 5 s limit', async () => {
    const file = join(work, 'repeat.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'large built-in calls',
        steps: [
          {
            name: 'spins on repeat',
            request: { url: '{{base}}/status/200' },
            post: [{ script: "let s = ''; let n = 0; for (;;) { s = 'x'.repeat(1e6) + n++; }" }],
          },
        ],
      }),
    );
    const started = performance.now();
    const result = await runSortie(['run', file, '--env-var', `base=${server.url}`, '-r', 'json', '--out-dir', work]);
    const seconds = (performance.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
    const [spin] = report.scenarios[0].steps;
    expect(spin.error.message).toContain('exceeded the time limit of 5000 ms');
    // 5 s plus process start and a loaded machine's scheduling; the unpatched module needs 17.7–47 s.
    expect(seconds).toBeLessThan(12);
  }, 60_000);
});
