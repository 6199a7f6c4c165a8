/**
 * Hostile $refs. A path item whose $ref leads back to itself (`/a` → `/b` → `/a`) was imported as
 * "describes no operations" with exit 0; it is an error at the path item (file, line, column;
 * INVALID_INPUT). A $ref to a file that is no description (`/etc/passwd`) was opened and read, and
 * the error named only that file ("unsupported file type"), not where the $ref is; it is not
 * opened, and the error is at the $ref.
 */
import { join } from 'node:path';
import { catchError, ROOT } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

describe('sortie import openapi: a loop of path item $refs', () => {
  it('is an error at the path item', async () => {
    const error = await catchError(
      importOpenApi(join(ROOT, 'fixtures', 'import-cases', 'path-item-loop.yaml'), { outDir: join(ROOT, 'out'), cwd: ROOT }),
    );
    expect(error.code).toBe('SORTIE_INVALID_INPUT');
    expect(error.message).toBe('the path item /a is a loop of $refs');
    expect(error.location).toMatchObject({ file: 'fixtures/import-cases/path-item-loop.yaml', line: 5, column: 5 });
  });
});

describe('sortie import openapi: a $ref to a file that is no description', () => {
  it('is not read, and the error is at the $ref', async () => {
    const error = await catchError(
      importOpenApi(join(ROOT, 'fixtures', 'import-cases', 'ref-to-passwd.yaml'), { outDir: join(ROOT, 'out'), cwd: ROOT }),
    );
    expect(error.code).toBe('SORTIE_INVALID_INPUT');
    const problem = error.details?.[0];
    expect(problem?.message).toContain('it is not a .json, .yaml or .yml file');
    expect(problem?.location).toMatchObject({ file: 'fixtures/import-cases/ref-to-passwd.yaml', line: 7, column: 24 });
  });
});
