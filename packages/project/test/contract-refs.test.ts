/**
 * An OpenAPI description a scenario checks against (`openapi` assertions, `options.contract`) whose
 * `$ref` leads to a file that is no description — a private key, /etc/passwd, in a description taken
 * from elsewhere — is refused at the $ref, and that file is neither read into the error nor carried in
 * the plan (which `--remote` sends to the server and the agents).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSortieError, type SortieError } from '@sortie/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../src/index.js';

async function rejection(promise: Promise<unknown>): Promise<SortieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSortieError(error)) throw new Error(`expected a SortieError, got ${String(error)}`);
  return error;
}

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQ-contract-ref-key-7d1e\n-----END PRIVATE KEY-----\n';
const work = mkdtempSync(join(tmpdir(), 'sortie-contract-refs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a contract description with a $ref to a file that is no description', () => {
  it('is refused at the $ref, and the file is neither shown nor carried in the plan', async () => {
    writeFileSync(join(work, 'id_rsa'), KEY);
    writeFileSync(
      join(work, 'api.yaml'),
      [
        'openapi: 3.0.3',
        'info: { title: t, version: "1" }',
        'paths:',
        '  /pets:',
        '    get:',
        '      operationId: listPets',
        '      responses:',
        "        '200': { $ref: './id_rsa' }",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(work, 'pets.json'),
      JSON.stringify({
        name: 'pets',
        steps: [
          {
            name: 'list',
            request: { url: 'http://127.0.0.1:1/pets' },
            post: [{ assert: { openapi: { spec: 'api.yaml', operation: 'listPets' } } }],
          },
        ],
      }),
    );
    const error = await rejection(loadPlan({ paths: ['pets.json'], cwd: work }));
    const text = JSON.stringify(error, Object.getOwnPropertyNames(error)) + JSON.stringify(error.details);
    expect(text).toContain('it is not a .json, .yaml or .yml file');
    expect(text).not.toContain('MIIEvQ');
    expect(text).not.toContain('PRIVATE KEY');
  });
});
