/**
 * Postman environment and globals exports whose `values` is malformed. A `values` that is not a list,
 * or a list with a null entry, was not recognised as an export: `-e` read it as a Sortie environment
 * and said 'unknown property "values" (expected one of: $schema, name, variables…)' at the top of the
 * file, which tells a Postman user nothing. Each is now refused at its place in the export (exit 2),
 * saying what it must be; a well-formed export next to them still runs.
 *
 * And `sortie import postman <folder>` of a folder that is no Collection v3 (empty, or holding other
 * files) wrote a scenario with no steps, exit 0: it is now refused, naming what a v3 folder has.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let server: ListeningServer;

beforeAll(async () => {
  ensureBuilt();
  server = await startServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-postman-malformed-'));
  const collection = {
    info: { name: 'Ping', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [
      {
        name: 'Ping',
        request: { method: 'GET', url: '{{base}}/ping' },
        event: [{ listen: 'test', script: { exec: ["pm.test('ok', () => pm.response.to.have.status(200));"] } }],
      },
    ],
  };
  await writeFile(join(dir, 'ping.postman_collection.json'), JSON.stringify(collection));
  // With a byte order mark, as Windows editors save it.
  await writeFile(join(dir, 'object.json'), `\uFEFF{"name":"e","values":{"key":"base","value":"x"}}`);
  await writeFile(join(dir, 'null-entry.json'), `{"name":"e","values":[\n  {"key":"base","value":"${server.url}"},\n  null\n]}`);
  await writeFile(join(dir, 'number-key.json'), `{"name":"e","values":[\n  {"key":7,"value":"x"}\n]}`);
  await writeFile(join(dir, 'good.json'), `{"name":"e","values":[{"key":"base","value":"${server.url}"}]}`);
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie run -e / -g: a malformed Postman export', () => {
  it.each([
    ['-e', 'object.json', 'Invalid Postman environment', 'object.json:1:22  $.values', '"values" must be a list of { "key", "value" }'],
    [
      '-e',
      'null-entry.json',
      'Invalid Postman environment',
      'null-entry.json:3:3  $.values[1]',
      'each entry of "values" must be an object',
    ],
    ['-e', 'number-key.json', 'Invalid Postman environment', 'number-key.json:2:10  $.values[0].key', '"key" must be text'],
    ['-g', 'object.json', 'Invalid globals', 'object.json:1:22  $.values', '"values" must be a list of { "key", "value" }'],
    ['-g', 'null-entry.json', 'Invalid globals', 'null-entry.json:3:3  $.values[1]', 'each entry of "values" must be an object'],
  ])('%s %s is refused at its place (exit 2)', async (option, file, title, place, message) => {
    const outcome = await runSortie(['run', 'ping.postman_collection.json', option, file], { cwd: dir });
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain(title);
    expect(outcome.stderr).toContain(place);
    expect(outcome.stderr).toContain(message);
    expect(outcome.stderr).not.toContain('unknown property');
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs with a well-formed export', async () => {
    const outcome = await runSortie(['run', 'ping.postman_collection.json', '-e', 'good.json'], { cwd: dir });
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0);
  });
});

describe('sortie import postman: a folder that is no Collection v3', () => {
  it.each([
    ['empty', []],
    ['other-files', ['readme.txt']],
  ])('refuses the %s folder and writes nothing (exit 2)', async (name, files) => {
    await mkdir(join(dir, name));
    for (const file of files) await writeFile(join(dir, name, file), 'not a collection\n');
    const outcome = await runSortie(['import', 'postman', name, '--out', `out-${name}`], { cwd: dir });
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(2);
    expect(outcome.stderr).toContain(
      `Not a Postman collection: ${name} is not a Postman Collection v3 folder: it has no .resources/definition.yaml and no *.request.yaml file`,
    );
    await expect(stat(join(dir, `out-${name}`))).rejects.toThrow();
  });
});
