/**
 * An `openapi` assertion naming an operationId its description does not have (a typo, a renamed
 * operation) passed `sortie validate`, and the run sent every request and failed each check with
 * "has no operation for operationId …" (exit 1). It is now an error at the assertion's `operation`
 * (file, line, column, the closest operationId) when the plan is made: exit 2, nothing sent.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let api: ListeningServer;
let dir: string;
let requests = 0;

beforeAll(async () => {
  ensureBuilt();
  api = await startServer((_request, response) => {
    requests += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}');
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-contract-operation-'));
  await writeFile(
    join(dir, 'api.yaml'),
    `openapi: 3.0.3
info: { title: Pets, version: 1.0.0 }
paths:
  /pets/{id}:
    get:
      operationId: getPetById
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200': { description: a pet, content: { application/json: { schema: { type: object } } } }
`,
  );
  await writeFile(
    join(dir, 'pets.yaml'),
    `name: pets
steps:
  - name: a pet
    request: { url: "${api.url}/pets/1" }
    post:
      - assert: { openapi: { spec: api.yaml, operation: getPetByID } }
  - name: the same, by its right id
    request: { url: "${api.url}/pets/1" }
    post:
      - assert: { openapi: { spec: api.yaml, operation: getPetById } }
`,
  );
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('openapi assertion: an operationId the description does not have', { timeout: 60_000 }, () => {
  it.each([['validate'], ['run']])('is an error at the operation before anything is sent (sortie %s, exit 2)', async (command) => {
    const outcome = await runSortie([command, 'pets.yaml'], { cwd: dir });
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(2);
    expect(outcome.stderr).toContain('pets.yaml:6:57  $.steps[0].post[0].assert.openapi.operation');
    expect(outcome.stderr).toContain('api.yaml has no operation with operationId "getPetByID"');
    expect(outcome.stderr).toContain('hint: did you mean "getPetById"?');
    // The right id of step 2 is no problem.
    expect(outcome.stderr.match(/has no operation/g)).toHaveLength(1);
    expect(requests).toBe(0);
  });

  it('counts one file, with both operations in its block, when one scenario names two unknown operationIds', async () => {
    await writeFile(
      join(dir, 'two-typos.yaml'),
      `name: two typos
steps:
  - name: one
    request: { url: "${api.url}/pets/1" }
    post:
      - assert: { openapi: { spec: api.yaml, operation: getPetByID } }
  - name: two
    request: { url: "${api.url}/pets/1" }
    post:
      - assert: { openapi: { spec: api.yaml, operation: getPet } }
`,
    );
    const outcome = await runSortie(['run', 'two-typos.yaml'], { cwd: dir });
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(2);
    expect(outcome.stderr).toBe(
      [
        'Invalid scenario: two-typos.yaml names 2 operations its OpenAPI descriptions do not have',
        '',
        'two-typos.yaml:6:57  $.steps[0].post[0].assert.openapi.operation',
        '  api.yaml has no operation with operationId "getPetByID"',
        '  hint: did you mean "getPetById"?',
        'two-typos.yaml:10:57  $.steps[1].post[0].assert.openapi.operation',
        '  api.yaml has no operation with operationId "getPet"',
        '  hint: did you mean "getPetById"?',
        '',
      ].join('\n'),
    );
    expect(outcome.stderr).not.toContain('files have problems');
    expect(requests).toBe(0);
  });
});
