/**
 * `sortie import postman` of variables typed secret whose names no environment variable can have
 * (`api-key`, `my token`), as Postman allows. A collection variable's was declared as is: the project
 * file written was one Sortie refuses ("expected an environment variable name"). It is now declared as
 * API_KEY, the collection variable kept as `{{API_KEY}}`, and the run sends the value set. An
 * environment's or globals' cannot be renamed for the scripts that read it by name: refused at its key
 * in the export (exit 2), saying what a secret's name must be — not at a line of a converted copy.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, type ListeningServer, ROOT, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(ROOT, 'runner', 'test', 'golden', 'import-postman-secret-names');
const SECRET = 'k-5f2a-secret';
let dir: string;
let server: ListeningServer;
const received: Array<string | undefined> = [];

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-postman-secret-names-'));
  server = await startServer((request, response) => {
    received.push(request.headers['x-api-key'] as string | undefined);
    response.writeHead(request.headers['x-api-key'] === SECRET ? 200 : 401, { 'content-type': 'text/plain' }).end('ok');
  });
  const collection = {
    info: { name: 'Keys', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    variable: [
      { key: 'api-key', value: 'written-in-postman', type: 'secret' },
      { key: 'baseUrl', value: server.url },
    ],
    item: [
      {
        name: 'Get',
        request: { method: 'GET', url: '{{baseUrl}}/things', header: [{ key: 'X-Api-Key', value: '{{api-key}}' }] },
        event: [{ listen: 'test', script: { exec: ["pm.test('ok', () => pm.response.to.have.status(200));"] } }],
      },
    ],
  };
  await writeFile(join(dir, 'keys.postman_collection.json'), JSON.stringify(collection, null, 2));
  await writeFile(
    join(dir, 'local.postman_environment.json'),
    `${JSON.stringify({ name: 'local', values: [{ key: 'my token', value: 'x', type: 'secret', enabled: true }] }, null, 2)}\n`,
  );
  await writeFile(
    join(dir, 'workspace.postman_globals.json'),
    `${JSON.stringify({ name: 'g', values: [{ key: 'g-secret', value: 'x', type: 'secret', enabled: true }] }, null, 2)}\n`,
  );
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import postman: secrets whose names are no environment variable names', () => {
  it('declares a collection variable typed secret under a valid name; the written project validates and runs', async () => {
    const outcome = await runSortie(['import', 'postman', 'keys.postman_collection.json', '--out', 'out'], { cwd: dir });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expectGolden(join(GOLDEN, 'keys.out'), outcome.stdout);
    const validate = await runSortie(['validate', '.'], { cwd: join(dir, 'out') });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const run = await runSortie(['run', '.'], { cwd: join(dir, 'out'), env: { API_KEY: SECRET } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received).toEqual([SECRET]);
    expect(run.stdout).not.toContain(SECRET);
  });

  it.each([
    ['environment', ['-e', 'local.postman_environment.json']],
    ['globals', ['-g', 'workspace.postman_globals.json']],
  ])('refuses a secret of the %s at its key, exit 2', async (name, args) => {
    const outcome = await runSortie(['import', 'postman', 'keys.postman_collection.json', ...args, '--out', `out-${name}`], { cwd: dir });
    expect(outcome.stdout).toBe('');
    expect(outcome.code).toBe(2);
    expectGolden(join(GOLDEN, `${name}.err`), outcome.stderr);
  });
});
