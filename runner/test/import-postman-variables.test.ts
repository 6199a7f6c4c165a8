/**
 * `sortie import postman` of a collection that uses variables it does not define (`{{token}}` in its
 * bearer auth, `{{user}}`/`{{pass}}` in a basic auth, `{{tenant}}` in a URL): the output named only the
 * secrets it declared, so the run sent `Bearer {{token}}` as written. It now lists those variables with
 * where each is first used; the ones the collection, its environment or a script (`pm.environment.set('sid', …)`)
 * define are not listed. Set with --env-var, the imported files send them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, type ListeningServer, ROOT, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(ROOT, 'runner', 'test', 'golden', 'import-postman-variables');
let dir: string;
let server: ListeningServer;
/** Request path → its Authorization header and query, as received. */
const received = new Map<string, { authorization: string | undefined; url: string }>();

const collection = {
  info: { name: 'Shop', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
  event: [{ listen: 'test', script: { exec: ["pm.environment.set('sid', pm.response.headers.get('x-sid'));"] } }],
  item: [
    { name: 'List', request: { method: 'GET', url: '{{baseUrl}}/items?tenant={{tenant}}&sid={{sid}}&id={{$randomInt}}' } },
    {
      name: 'Login',
      request: {
        method: 'POST',
        url: '{{baseUrl}}/login',
        auth: {
          type: 'basic',
          basic: [
            { key: 'username', value: '{{user}}' },
            { key: 'password', value: '{{pass}}' },
          ],
        },
      },
    },
  ],
  variable: [{ key: 'shop', value: 'main' }],
};

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-postman-variables-'));
  server = await startServer((request, response) => {
    received.set((request.url ?? '').split('?')[0] ?? '', { authorization: request.headers.authorization, url: request.url ?? '' });
    response.writeHead(200, { 'content-type': 'text/plain', 'x-sid': 's-1' }).end('ok');
  });
  await writeFile(join(dir, 'shop.postman_collection.json'), JSON.stringify(collection));
  await writeFile(
    join(dir, 'local.postman_environment.json'),
    JSON.stringify({ name: 'local', values: [{ key: 'baseUrl', value: server.url, enabled: true }] }),
  );
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import postman: the variables to set before running', () => {
  it('lists the variables the collection uses and nothing defines, where each is first used', async () => {
    const outcome = await runSortie(
      ['import', 'postman', 'shop.postman_collection.json', '-e', 'local.postman_environment.json', '--out', 'out'],
      { cwd: dir },
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expectGolden(join(GOLDEN, 'shop.out'), outcome.stdout);
    const listed = outcome.stdout.slice(outcome.stdout.indexOf('Variables'));
    expect(listed).toContain('token  (auth "Shop")');
    // Defined by the environment, set by a script, a collection variable, a dynamic variable: not listed.
    for (const name of ['baseUrl', 'sid', 'shop', '$randomInt']) expect(listed).not.toContain(`  ${name}  `);
  });

  it('sends what the variables are set to with --env-var', async () => {
    const vars = ['token=t-123', 'tenant=acme', 'user=ann', 'pass=pw'].flatMap((pair) => ['--env-var', pair]);
    const run = await runSortie(['run', '.', ...vars], { cwd: join(dir, 'out') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received.get('/items')?.authorization).toBe('Bearer t-123');
    expect(received.get('/items')?.url).toContain('tenant=acme');
    expect(received.get('/login')?.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
  });
});
