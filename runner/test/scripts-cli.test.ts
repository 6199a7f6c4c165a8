/** `sortie scripts list` and `sortie scripts test` on the example library in fixtures/script-library. */
import { join } from 'node:path';
import { FIXTURE_HMAC_KEY, type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, expectGolden, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(import.meta.dirname, 'golden');
let server: FixtureServer;
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
});
afterAll(() => server.close());

describe('sortie scripts', () => {
  it('lists every script of a library with its parameters', async () => {
    const result = await runSortie(['scripts', 'list', '--scripts', 'fixtures/script-library/acme']);
    expect(result.code, result.stderr).toBe(0);
    expectGolden(join(GOLDEN, 'scripts-list.out'), result.stdout);
  });

  it("runs a library's example scenarios the way users call its scripts", async () => {
    const result = await runSortie([
      'scripts',
      'test',
      'fixtures/script-library/acme',
      '--env-var',
      `base=${server.url}`,
      '--env-var',
      `HMAC_KEY=${FIXTURE_HMAC_KEY}`,
    ]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('✓ signed order');
    expect(result.stdout).toContain('✓ a wrong key is refused');
  });

  it('fails the examples when the key is wrong, and says which test failed', async () => {
    const result = await runSortie([
      'scripts',
      'test',
      'fixtures/script-library/acme',
      '--env-var',
      `base=${server.url}`,
      '--env-var',
      'HMAC_KEY=wrong',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ status is 200 test: expected response to have status code 200 but got 401');
  });

  it('names a folder that is not a library', async () => {
    const result = await runSortie(['scripts', 'test', 'fixtures/scenarios']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: Script library not found: no readable sortie-library.json in fixtures/scenarios\n');
  });
});
