/**
 * `sortie import openapi` of a path parameter named like a variable of the environment it writes
 * (`/things/{baseUrl}`): its scenario variable `baseUrl` hid the environment's, the URL of the service,
 * so every step failed with 'Invalid URL: "abc/things/abc"'. The parameter's variable is now
 * `path_baseUrl`, and the imported scenario runs against a real server that checks the path it gets.
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
    const ok = request.url === '/things/abc';
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
