/**
 * `sortie import openapi`: the files written for public example descriptions (OpenAPI 3.0, 3.1,
 * Swagger 2.0 split over files), for one with every kind of security scheme and for one with the
 * schema shapes of large real-world descriptions are golden files;
 * the imported scenarios then run against a Prism mock of the same description.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isPrismInstalled, type PrismServer, startPrism } from '@sortie/fixtures/prism';
import { ensureBuilt, expectGolden, isUpdatingGolden, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const IMPORTS = join(ROOT, 'fixtures', 'imports');
const EXPECTED = join(IMPORTS, 'expected', 'openapi');
// The output folder sits as deep as the golden one, so the relative paths to the descriptions match
// and the golden files run in place.
const OUT = join(IMPORTS, `.out-${process.pid}`, 'openapi');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const CASES = [
  ['petstore-3.0', 'fixtures/openapi/public/v3.0/petstore.yaml', []],
  ['petstore-expanded-3.0-json', 'fixtures/openapi/public/v3.0/petstore-expanded.yaml', ['--format', 'json']],
  ['petstore-separate-2.0', 'fixtures/openapi/public/v2.0/yaml/petstore-separate/spec/swagger.yaml', []],
  ['zoo-3.1', 'fixtures/openapi/contract/zoo-3.1.yaml', []],
  ['secured-3.0', 'fixtures/openapi/import/secured.yaml', []],
  ['shapes-3.1', 'fixtures/openapi/import/shapes-3.1.yaml', []],
] as const;

describe('sortie import openapi', () => {
  beforeAll(() => {
    ensureBuilt();
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(() => rmSync(dirname(OUT), { recursive: true, force: true }));

  it.each(CASES)('writes %s as in its golden files', async (name, spec, extra) => {
    const out = join(OUT, name);
    const outcome = await runSortie(['import', 'openapi', spec, '--out', relative(ROOT, out), ...extra]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const golden = join(EXPECTED, name);
    expectGolden(join(golden, 'import.out'), outcome.stdout.replaceAll(relative(ROOT, out), 'OUT'));
    const written = listFiles(out)
      .map((file) => relative(out, file))
      .sort();
    if (!isUpdatingGolden()) {
      const expected = listFiles(golden)
        .map((file) => relative(golden, file))
        .filter((file) => file !== 'import.out')
        .sort();
      expect(written).toEqual(expected);
    }
    for (const file of written) expectGolden(join(golden, file), readFileSync(join(out, file), 'utf8'));
    // What was written is what Sortie reads: the imported project validates.
    const validate = await runSortie(['validate', 'scenarios'], { cwd: out });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
  });

  it.each([
    ['missing-pointer', 'fixtures/openapi/invalid/missing-pointer.yaml'],
    ['not-openapi', 'fixtures/openapi/invalid/not-openapi.yaml'],
    ['no-such-file', 'fixtures/openapi/invalid/no-such-file.yaml'],
    // A pointer missing in another file, and a $ref written in that file: each at the $ref itself.
    ['external-missing-pointer', 'fixtures/openapi/invalid/external-missing-pointer.yaml'],
    // A header name the environment would refuse: at the security scheme, not the schema's raw JSON (was exit 1).
    ['apikey-bad-header', 'fixtures/openapi/invalid/apikey-bad-header.yaml'],
  ])('refuses %s with the place of the problem (exit 2)', async (name, spec) => {
    const outcome = await runSortie(['import', 'openapi', spec, '--out', relative(ROOT, join(OUT, name))]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expectGolden(join(IMPORTS, 'expected', 'errors', `openapi-${name}.err`), normaliseText(outcome.stderr));
  });
});

describe.skipIf(!isPrismInstalled())('imported scenarios against a Prism mock of the same description', () => {
  let prism: PrismServer | undefined;
  beforeAll(() => {
    ensureBuilt();
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await prism?.close();
    rmSync(dirname(OUT), { recursive: true, force: true });
  });

  it.each([
    ['petstore-3.0', 'fixtures/openapi/public/v3.0/petstore.yaml'],
    ['petstore-2.0', 'fixtures/openapi/public/v2.0/yaml/petstore.yaml'],
    // Null-first oneOf/anyOf/type lists, a pattern, multipart: the requests must be ones Prism accepts.
    ['shapes-3.1', 'fixtures/openapi/import/shapes-3.1.yaml'],
  ])(
    '%s: every step passes its contract assertion',
    async (name, spec) => {
      await prism?.close();
      prism = await startPrism(join(ROOT, spec));
      const out = join(OUT, `prism-${name}`);
      expect((await runSortie(['import', 'openapi', spec, '--out', relative(ROOT, out)])).code).toBe(0);
      const outcome = await runSortie(['run', 'scenarios', '--env-var', `baseUrl=${prism.url}`], { cwd: out });
      expect(outcome.stderr).toBe('');
      expect(outcome.stdout).toMatch(/\nPASSED\n$/);
      expect(outcome.code).toBe(0);
    },
    120_000,
  );
});
