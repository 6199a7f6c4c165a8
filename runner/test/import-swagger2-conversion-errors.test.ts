/**
 * `sortie import openapi` of a Swagger 2.0 description that swagger2openapi cannot convert (two
 * definitions whose names are one OpenAPI 3.0 component name: `a_b` and `a b`). The error gave only the
 * file; it now gives file:line:column and the JSON path of the definition to rename, with a hint.
 * And one it converts with warnings (`collectionFormat: ssv` on a path parameter, `tsv`, `pipes` on a
 * header): the warnings were dropped; they are now notes at the place of each in the Swagger 2.0 file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(ROOT, 'runner', 'test', 'golden', 'import-swagger2');
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-swagger2-'));
  await writeFile(
    join(dir, 'parameters.yaml'),
    `swagger: '2.0'
info: { title: t, version: '1' }
paths:
  /x:
    get:
      parameters:
        - $ref: '#/parameters/a_b'
      responses:
        '200': { description: ok }
parameters:
  a_b: { name: q, in: query, type: string }
  a b: { name: r, in: query, type: string }
`,
  );
  await writeFile(
    join(dir, 'security.json'),
    `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
 "securityDefinitions": {
   "key_x": {"type": "apiKey", "name": "k", "in": "header"},
   "key x": {"type": "apiKey", "name": "k2", "in": "header"}}}
`,
  );
  await writeFile(
    join(dir, 'warned.yaml'),
    `swagger: '2.0'
info: { title: t, version: '1' }
paths:
  /items/{ids}:
    parameters:
      - { name: X-Trace, in: header, type: array, collectionFormat: pipes, items: { type: string } }
    get:
      operationId: getItems
      consumes: [application/json]
      parameters:
        - { name: payload, in: body, schema: { type: object } }
        - { name: ids, in: path, required: true, type: array, collectionFormat: ssv, items: { type: string } }
        - { name: fields, in: query, type: array, collectionFormat: tsv, items: { type: string } }
      responses:
        '200':
          description: ok
          headers:
            X-Rate: { type: array, collectionFormat: ssv, items: { type: integer } }
`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import openapi: a Swagger 2.0 description that cannot be converted', () => {
  it.each([
    ['parameters.yaml', 'parameters.err'],
    ['security.json', 'security.err'],
  ])('%s: the error gives the line, column and JSON path of the definition', async (file, golden) => {
    const outcome = await runSortie(['import', 'openapi', file, '--out', 'out'], { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+ +\\$\\.`));
    expectGolden(join(GOLDEN, golden), outcome.stderr);
  });
});

describe('sortie import openapi: a Swagger 2.0 description converted with warnings', () => {
  it('names each warning of swagger2openapi in the notes, at its line and column in the Swagger 2.0 file', async () => {
    const outcome = await runSortie(['import', 'openapi', 'warned.yaml', '--out', 'warned'], { cwd: dir });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    // The body parameter left the list: "ids" is still found at its own place (line 12), not at the first parameter's.
    expect(outcome.stdout).toContain(
      'warned.yaml:12:11 ($.paths["/items/{ids}"].get.parameters[1]): converting Swagger 2.0 to OpenAPI 3.0 (swagger2openapi): collectionFormat:ssv is no longer supported except for in:query parameters',
    );
    expectGolden(join(GOLDEN, 'warned.out'), outcome.stdout);
    const scenario = await readFile(join(dir, 'warned', 'scenarios', 'items.yaml'), 'utf8');
    expect(scenario).not.toContain('x-s2o-warning');
  });
});
