/**
 * A multipart/form-data request body whose parts are not all text: an object property (`meta`) and a
 * part the media type's `encoding` gives a content type (`note: text/markdown`). The import sent
 * them as parts without a Content-Type (text/plain, RFC 7578 §4.4), so a server reading `meta` as
 * JSON refused it; the parts now carry the encoding's type, or application/json for an object
 * (OAS 3.0.3 §4.7.14.4).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sortie-multipart-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = `openapi: 3.0.3
info: {title: Upload, version: "1"}
servers: [{url: "http://127.0.0.1:8080"}]
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                meta: {type: object, properties: {a: {type: integer, example: 1}}}
                tags: {type: array, items: {type: object, properties: {k: {type: string, example: x}}}}
                note: {type: string, example: "# hi"}
                count: {type: integer, example: 3}
                file: {type: string, format: binary}
            encoding:
              note: {contentType: "text/markdown, text/plain"}
              file: {contentType: image/png}
      responses: {"200": {description: ok}}
`;

describe('sortie import openapi: multipart part content types', () => {
  it('gives object parts application/json and encoded parts their content type', async () => {
    const spec = join(dir, 'upload.yaml');
    writeFileSync(spec, SPEC);
    const result = await importOpenApi(spec, { outDir: join(dir, 'out'), cwd: dir });
    const step = result.files.flatMap((file) => (file.kind === 'scenario' ? (file.value.steps as unknown[]) : []))[0] as {
      request: { body: { multipart: Array<Record<string, unknown>> } };
    };
    expect(step.request.body.multipart).toEqual([
      { name: 'meta', value: '{"a":1}', contentType: 'application/json' },
      { name: 'tags', value: '{"k":"x"}', contentType: 'application/json' },
      { name: 'note', value: '# hi', contentType: 'text/markdown' },
      { name: 'count', value: 3 },
      { name: 'file', value: '', filename: 'file', contentType: 'image/png' },
    ]);
  });
});
