/**
 * A Postman collection or environment resaved as Windows-1252 / Latin-1 (an editor's "Save as"):
 * `sortie run` and `sortie import postman` read it with U+FFFD in place of its accented letters and went
 * on (the name "Café" written as "Caf\uFFFD", a body sent with the wrong bytes). It is now refused at the
 * line and column of its first byte that is not UTF-8, exit 2, as descriptions and HAR files are.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(ROOT, 'runner', 'test', 'golden', 'postman-not-utf8');
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-postman-latin1-'));
  const collection = `{
  "info": { "name": "Caf\u00e9", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
  "item": [{ "name": "r", "request": { "method": "GET", "url": "http://127.0.0.1:9/" } }]
}
`;
  await writeFile(join(dir, 'cafe.postman_collection.json'), Buffer.from(collection, 'latin1'));
  await writeFile(join(dir, 'ok.postman_collection.json'), collection);
  await writeFile(
    join(dir, 'local.postman_environment.json'),
    Buffer.from('{ "name": "local",\n  "values": [{ "key": "city", "value": "M\u00fcnchen" }] }\n', 'latin1'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Postman files that are not UTF-8', () => {
  it.each([
    ['import-collection', ['import', 'postman', 'cafe.postman_collection.json', '--out', 'out']],
    ['run-collection', ['run', 'cafe.postman_collection.json']],
    ['import-environment', ['import', 'postman', 'ok.postman_collection.json', '-e', 'local.postman_environment.json', '--out', 'out']],
  ])('%s: refused at the first byte that is not UTF-8, exit 2', async (name, args) => {
    const outcome = await runSortie(args, { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expectGolden(join(GOLDEN, `${name}.err`), outcome.stderr);
  });
});
