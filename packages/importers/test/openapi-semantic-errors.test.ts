/**
 * Errors of the description that its schema does not catch (a path parameter `{x}` no parameter
 * declares, a parameter no `{y}` of the path names) were given at the file alone
 * (`api.yaml  \`/paths/a/{x}/get\` is missing path parameter(s)…`), with no line, column or JSON path,
 * as @readme/openapi-parser shows no code frame for them. Each is now at the part its message names.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catchError } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

const SPEC = `openapi: 3.0.3
info: { title: Things, version: '1' }
paths:
  /things/{x}:
    get:
      responses:
        '200': { description: ok }
  /other/{id}/parts:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: y, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: ok }
`;

describe('sortie import openapi: errors the description schema does not catch', () => {
  it('gives each at its line, column and JSON path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sortie-semantic-'));
    try {
      await writeFile(join(dir, 'api.yaml'), SPEC);
      const error = await catchError(importOpenApi(join(dir, 'api.yaml'), { outDir: join(dir, 'out'), cwd: dir }));
      expect(error.code).toBe('SORTIE_INVALID_INPUT');
      const problems = (error.details ?? [error]).map((problem) => ({ message: problem.message, location: problem.location }));
      expect(problems).toEqual([
        {
          message: '`/paths/things/{x}/get` is missing path parameter(s) for `{x}`.',
          location: { file: 'api.yaml', line: 6, column: 7, path: '$.paths["/things/{x}"].get' },
        },
        {
          message: '`/paths/other/{id}/parts/get` has a path parameter named `y`, but there is no corresponding `{y}` in the path string.',
          location: { file: 'api.yaml', line: 10, column: 7, path: '$.paths["/other/{id}/parts"].get' },
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
