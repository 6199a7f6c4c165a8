/**
 * An OpenAPI operation with callbacks (requests the API sends back to a URL the request gave): they
 * were left out without a word, where webhooks are named. They are still not steps; the notes name them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

const SPEC = `openapi: 3.0.3
info: { title: Subscriptions, version: '1' }
servers: [{ url: 'https://api.example.com' }]
paths:
  /subscriptions:
    post:
      requestBody:
        content:
          application/json:
            schema: { type: object, properties: { callbackUrl: { type: string, format: uri } } }
      callbacks:
        onEvent:
          '{$request.body#/callbackUrl}':
            post:
              requestBody: { content: { application/json: { schema: { type: object } } } }
              responses: { '200': { description: ok } }
      responses: { '201': { description: subscribed } }
`;

describe('sortie import openapi: callbacks', () => {
  it('names the callbacks in the notes and imports the operation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sortie-callbacks-'));
    try {
      await writeFile(join(dir, 'api.yaml'), SPEC);
      const result = await importOpenApi(join(dir, 'api.yaml'), { outDir: join(dir, 'out'), cwd: dir });
      expect(result.notes).toContain(
        'POST /subscriptions: the callbacks "onEvent" are not imported: they are requests the API sends back, not operations to call',
      );
      const steps = result.files.flatMap((file) => (file.kind === 'scenario' ? (file.value.steps as Array<{ name: string }>) : []));
      expect(steps.map((step) => step.name)).toEqual(['POST /subscriptions']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
