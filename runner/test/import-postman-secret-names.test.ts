/**
 * Variables typed secret whose names a shell cannot export (`api-key`, `my token`), as Postman allows.
 * A collection variable's was declared as is: the project file written was one Sortie refused ("expected
 * an environment variable name"). It is now declared as API_KEY, the collection variable kept as
 * `{{API_KEY}}`, and the run sends the value set. An environment's `api-key` (a name a `.env` file sets)
 * is a secret of that name, in `sortie run -e` (its value from the export, as Newman uses it) and in
 * `sortie import postman -e` (its value from `.env`): it was refused. An environment's or globals' name no
 * `.env` file can set (`my token`) cannot be renamed for the scripts that read it by name: refused at its
 * key in the export (exit 2), saying what a secret's name must be — not at a line of a converted copy.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
    `${JSON.stringify({ name: 'g', values: [{ key: 'g secret', value: 'x', type: 'secret', enabled: true }] }, null, 2)}\n`,
  );
  // The key as an environment variable typed secret, its value written in the export (as Postman exports it).
  await writeFile(
    join(dir, 'keys.postman_environment.json'),
    `${JSON.stringify({ name: 'keys', values: [{ key: 'api-key', value: SECRET, type: 'secret', enabled: true }] }, null, 2)}\n`,
  );
  await writeFile(join(dir, 'header.postman_collection.json'), JSON.stringify(headerCollection(server.url), null, 2));
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

  it('runs an environment secret named api-key with its value from the export, redacted (sortie run -e)', async () => {
    received.length = 0;
    const run = await runSortie(['run', 'header.postman_collection.json', '-e', 'keys.postman_environment.json'], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received).toEqual([SECRET]);
    expect(run.stdout).toContain('[REDACTED]');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('imports an environment secret named api-key as a secret of that name, set in .env', async () => {
    received.length = 0;
    const args = ['import', 'postman', 'header.postman_collection.json', '-e', 'keys.postman_environment.json', '--out', 'out-keys'];
    const outcome = await runSortie(args, { cwd: dir });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('  api-key  (variable typed secret in keys.postman_environment.json)');
    const environment = await readFile(join(dir, 'out-keys', 'environments', 'keys.yaml'), 'utf8');
    expect(environment).toContain('secrets:\n  - api-key\n');
    expect(environment).not.toContain(SECRET);
    await writeFile(join(dir, 'out-keys', '.env'), `api-key=${SECRET}\n`);
    const run = await runSortie(['run', '.'], { cwd: join(dir, 'out-keys') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received).toEqual([SECRET]);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
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

/** A collection sending the environment's `{{api-key}}` in a header; its test script logs it (the log is redacted). */
function headerCollection(base: string): object {
  return {
    info: { name: 'Header', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [
      {
        name: 'Get',
        request: { method: 'GET', url: `${base}/things`, header: [{ key: 'X-Api-Key', value: '{{api-key}}' }] },
        event: [
          {
            listen: 'test',
            script: { exec: ["console.log(pm.environment.get('api-key'));", "pm.test('ok', () => pm.response.to.have.status(200));"] },
          },
        ],
      },
    ],
  };
}
