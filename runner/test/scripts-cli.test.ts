/** `sortie scripts list` and `sortie scripts test` on the example library in fixtures/script-library. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('lists the allowed values of an enum or a const, a list of types, the type behind a local $ref (not "any"), and a default (not required)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-scripts-list-'));
    try {
      writeFileSync(join(dir, 'check.js'), '');
      const parameters = {
        type: 'object',
        required: ['status', 'code'],
        properties: {
          status: { type: 'integer', enum: [200, 201] },
          code: { type: 'integer', default: 200 },
          mode: { const: 'strict' },
          label: { type: ['string', 'null'] },
          item: { $ref: '#/$defs/item' },
          other: {},
        },
        $defs: { item: { type: 'object' } },
      };
      const manifest = { name: 'kinds', version: '1.0.0', scripts: { check: { file: 'check.js', parameters } } };
      writeFileSync(join(dir, 'sortie-library.json'), JSON.stringify(manifest));
      const result = await runSortie(['scripts', 'list', '--scripts', dir]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        '      with: status (200 | 201, required), code (integer, default 200), mode ("strict"), label (string | null), item (object), other (any)\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the project file only: a library it lists that is missing is located there, a broken defaultEnvironment does not matter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-scripts-project-'));
    try {
      mkdirSync(join(dir, 'libs', 'team'), { recursive: true });
      writeFileSync(join(dir, 'libs', 'team', 'check.js'), '');
      writeFileSync(
        join(dir, 'libs', 'team', 'sortie-library.json'),
        JSON.stringify({ name: 'team', version: '0.1.0', scripts: { check: { file: 'check.js' } } }),
      );
      // defaultEnvironment names no file: `run` reports it, but listing libraries needs no environment.
      writeFileSync(join(dir, 'sortie.config.json'), '{\n  "defaultEnvironment": "nope",\n  "scripts": ["./libs/team"]\n}\n');
      const listed = await runSortie(['scripts', 'list'], { cwd: dir });
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toBe('team 0.1.0  (libs/team)\n  team/check\n');
      writeFileSync(join(dir, 'sortie.config.json'), '{\n  "scripts": [\n    "./libs/team",\n    "@acme/not-installed"\n  ]\n}\n');
      const missing = await runSortie(['scripts', 'list'], { cwd: dir });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('Script library not found: no sortie-library.json for script library "@acme/not-installed"');
      expect(missing.stderr).toContain('\n  at sortie.config.json:4:5\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a script whose file does not exist in the manifest, for scripts list and for validate of a scenario calling another script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-scripts-missing-'));
    try {
      mkdirSync(join(dir, 'libs', 'team'), { recursive: true });
      writeFileSync(join(dir, 'libs', 'team', 'check.js'), '');
      const manifest = { name: 'team', version: '0.1.0', scripts: { check: { file: 'check.js' }, nope: { file: 'nope.js' } } };
      writeFileSync(join(dir, 'libs', 'team', 'sortie-library.json'), JSON.stringify(manifest, null, 2));
      writeFileSync(join(dir, 'sortie.config.json'), '{ "scripts": ["./libs/team"] }\n');
      writeFileSync(join(dir, 'uses.json'), JSON.stringify({ name: 'uses', steps: [{ name: 's', script: { use: 'team/check' } }] }));
      const expected = [
        'Invalid script library: libs/team/sortie-library.json has 1 problem',
        '',
        'libs/team/sortie-library.json:9:15  $.scripts.nope.file',
        '  script "team/nope" points at libs/team/nope.js, which cannot be read: no such file',
      ].join('\n');
      const listed = await runSortie(['scripts', 'list'], { cwd: dir });
      expect(listed.code).toBe(2);
      expect(listed.stdout).toBe('');
      expect(listed.stderr).toContain(expected);
      const validated = await runSortie(['validate', 'uses.json'], { cwd: dir });
      expect(validated.code).toBe(2);
      expect(validated.stderr).toContain(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
