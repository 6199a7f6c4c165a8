/**
 * `sortie import openapi` of a description whose path item or operation names its own `servers`
 * (OpenAPI 3.0.3 §4.7.9.1, §4.7.10: they override the description's): every step was sent to the
 * description's first server (`/v1/upload` where the API takes `/v2/upload`). Such an operation now
 * has a service of its own (`api2`, URL `baseUrl2`), and the imported scenario runs against a real
 * server that checks the paths it gets, each step passing its contract assertion.
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
    const known = ['/v1/things', '/v2/upload', '/read/items'].includes(request.url ?? '');
    response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-import-servers-'));
  const ok = "{ '200': { description: ok, content: { application/json: { schema: { type: object } } } } }";
  await writeFile(
    join(dir, 'api.yaml'),
    `openapi: 3.0.3
info: { title: Servers, version: 1.0.0 }
servers:
  - url: ${api.url}/v1
paths:
  /things:
    get: { tags: [all], responses: ${ok} }
  /upload:
    servers:
      - url: '{origin}/v2'
        variables: { origin: { default: '${api.url}' } }
    post: { tags: [all], responses: ${ok} }
  /items:
    get:
      tags: [all]
      servers: [{ url: '${api.url}/read' }]
      responses: ${ok}
`,
  );
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import openapi: servers of a path item or an operation', () => {
  it('sends each operation to its own server', async () => {
    const imported = await runSortie(['import', 'openapi', 'api.yaml', '--out', 'out'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const environment = await readFile(join(dir, 'out', 'environments', 'default.yaml'), 'utf8');
    expect(environment).toContain(`baseUrl2: ${api.url}/v2\n`);
    expect(environment).toContain(`baseUrl3: ${api.url}/read\n`);
    const run = await runSortie(['run', 'scenarios'], { cwd: join(dir, 'out') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(seen).toEqual(['GET /v1/things', 'POST /v2/upload', 'GET /read/items']);
  });
});
