/** docs/api.md's example, run exactly as written against the fixture API. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
// Written next to this test so that '@sortie/api' resolves as it does for a user of the package: the
// doc imports from 'sortie', the published package, whose entry is this one (runner/test/package.test.ts
// runs the same block from an installed tarball).
const GENERATED = join(import.meta.dirname, 'generated');
let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
}, 60_000);
afterAll(async () => {
  await server.close();
  rmSync(GENERATED, { recursive: true, force: true });
}, 60_000);

it('runs the example of docs/api.md and returns what the doc says', async () => {
  const code = /```ts example\n([\s\S]*?)```/.exec(DOC)?.[1];
  const expected = /It returns:\n\n```\n([\s\S]*?)```/.exec(DOC)?.[1];
  expect(code).toBeDefined();
  expect(expected).toBeDefined();
  mkdirSync(GENERATED, { recursive: true });
  const file = join(GENERATED, 'example.ts');
  writeFileSync(file, code!.replace(" from 'sortie';", " from '@sortie/api';"));
  const { example } = (await import(file)) as { example(base: string, cwd: string): Promise<string[]> };
  const lines = await example(server.url, ROOT);
  // The fixture API's /login checks the body it receives and /items the bearer token from it.
  expect(`${lines.join('\n')}\n`).toBe(expected);
}, 60_000);

it('documents every function, class and constant the package exports', async () => {
  const exported = Object.keys(await import('../src/index.js')).sort();
  const table = DOC.slice(0, DOC.indexOf('## Inputs'));
  const undocumented = exported.filter((name) => !new RegExp(`\`${name}[\`(]`).test(table));
  expect(undocumented).toEqual([]);
});
