/** The file and secret names `sortie import postman` makes from a collection's name. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importPostman } from '../src/index.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('names made from an accented collection name', () => {
  it('drop the accents instead of cutting the words at them: "Crème brûlée API" → creme-brulee-api, CREME_BRULEE_API_PASSWORD', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sortie-import-names-'));
    const collection = {
      info: { name: 'Crème brûlée API', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      auth: {
        type: 'basic',
        basic: [
          { key: 'username', value: 'ann' },
          { key: 'password', value: 'pâtissière-pw' },
        ],
      },
      item: [{ name: 'Dessert', request: { method: 'GET', url: 'https://api.example.test/desserts' } }],
    };
    await writeFile(join(dir, 'c.json'), JSON.stringify(collection));
    const imported = await importPostman({ collection: 'c.json', cwd: dir, outDir: join(dir, 'out') });
    expect(imported.files.map((file) => file.path)).toEqual(['creme-brulee-api.yaml', 'sortie.config.yaml']);
    expect(imported.secrets.map((secret) => secret.name)).toEqual(['CREME_BRULEE_API_PASSWORD']);
  });
});
