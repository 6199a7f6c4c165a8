/**
 * An OpenAPI 3.1 description with webhooks (in a JSON file that starts with a byte order mark): the
 * webhooks were left out without a word. They are requests the API sends, so they are still not steps,
 * but the notes now name them; the operations under `paths` are imported as before.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

const SPEC = {
  openapi: '3.1.0',
  info: { title: 'Pets', version: '1' },
  servers: [{ url: 'https://api.example.com' }],
  paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok' } } } } },
  webhooks: {
    newPet: {
      post: {
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

describe('sortie import openapi: OpenAPI 3.1 webhooks', () => {
  it('names the webhooks in the notes and imports the operations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sortie-webhooks-'));
    try {
      await writeFile(join(dir, 'pets.json'), `\uFEFF${JSON.stringify(SPEC)}`);
      const result = await importOpenApi(join(dir, 'pets.json'), { outDir: join(dir, 'out'), cwd: dir });
      expect(result.notes).toContain(
        'the webhooks "newPet" are not imported: they are requests the API sends to its subscribers, not operations to call',
      );
      const steps = result.files.flatMap((file) => (file.kind === 'scenario' ? (file.value.steps as Array<{ name: string }>) : []));
      expect(steps).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
