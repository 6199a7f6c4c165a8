/**
 * `sortie import openapi` of a path parameter named like a variable of the environment it writes
 * (`/things/{baseUrl}`): its scenario variable `baseUrl` hid the environment's, the URL of the service,
 * so every step failed with 'Invalid URL: "abc/things/abc"'. The parameter's variable is now
 * `path_baseUrl`, and the imported scenario runs against a real server that checks the path it gets.
 *
 * And `{id}` of `/users/{id}` and of `/orders/{id}` in one scenario (one tag): both were the variable
 * `id`, the first's example, so the order steps asked for the user's id (`/orders/7`). They are now
 * `users_id` and `orders_id`, each with its own example; the operations of one resource (GET and
 * DELETE `/users/{id}`, `/orders/{id}/items`) still share theirs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let api: ListeningServer;
let dir: string;
const seen: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  api = await startServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    const ok = ['/things/abc', '/users/7', '/orders/o-1', '/orders/o-1/items'].includes(request.url ?? '');
    response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-import-path-names-'));
  await writeFile(
    join(dir, 'api.yaml'),
    `openapi: 3.0.3
info: { title: Path names, version: 1.0.0 }
servers:
  - url: ${api.url}
paths:
  /things/{baseUrl}:
    get:
      tags: [things]
      parameters:
        - { name: baseUrl, in: path, required: true, schema: { type: string, example: abc } }
      responses:
        '200':
          description: the thing
          content:
            application/json:
              schema: { type: object }
`,
  );
  await writeFile(
    join(dir, 'shop.yaml'),
    `openapi: 3.0.3
info: { title: Shop, version: 1.0.0 }
servers:
  - url: ${api.url}
paths:
  /users/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: integer, example: 7 } }
    get: { tags: [shop], responses: { '200': { description: the user, content: { application/json: { schema: { type: object } } } } } }
    delete: { tags: [shop], responses: { '200': { description: deleted, content: { application/json: { schema: { type: object } } } } } }
  /orders/{id}:
    get:
      tags: [shop]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, example: o-1 } }
      responses: { '200': { description: the order, content: { application/json: { schema: { type: object } } } } }
  /orders/{id}/items:
    get:
      tags: [shop]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, example: o-2 } }
      responses: { '200': { description: its items, content: { application/json: { schema: { type: object } } } } }
`,
  );
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import openapi: a path parameter named like an environment variable', () => {
  it('gets a variable of its own, and the step reaches the service', async () => {
    const imported = await runSortie(['import', 'openapi', 'api.yaml', '--out', 'out'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const scenario = await readFile(join(dir, 'out', 'scenarios', 'things.yaml'), 'utf8');
    expect(scenario).toContain('url: /things/{{path_baseUrl}}');
    const run = await runSortie(['run', 'scenarios'], { cwd: join(dir, 'out') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(seen).toEqual(['GET /things/abc']);
  });
});

describe('sortie import openapi: one path parameter name in several resources', () => {
  it('gives each resource its own variable and example; the operations of one resource share theirs', async () => {
    seen.length = 0;
    const imported = await runSortie(['import', 'openapi', 'shop.yaml', '--out', 'shop'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const scenario = await readFile(join(dir, 'shop', 'scenarios', 'shop.yaml'), 'utf8');
    expect(scenario).toContain('variables:\n  users_id: 7\n  orders_id: o-1\n');
    expect(scenario.match(/url: \/users\/\{\{users_id\}\}\n/g)).toHaveLength(2);
    expect(scenario).toContain('url: /orders/{{orders_id}}/items\n');
    const run = await runSortie(['run', 'scenarios'], { cwd: join(dir, 'shop') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(seen).toEqual(['GET /users/7', 'DELETE /users/7', 'GET /orders/o-1', 'GET /orders/o-1/items']);
  });
});
