/**
 * `sortie import openapi` of a Swagger 2.0 description that swagger2openapi cannot convert (two
 * definitions whose names are one OpenAPI 3.0 component name: `a_b` and `a b`). The error gave only the
 * file; it now gives file:line:column and the JSON path of the definition to rename, with a hint.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
