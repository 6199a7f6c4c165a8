/**
 * Variables named `__proto__`, `constructor` and `prototype` in the files of a run: a scenario's
 * `variables` and `defaults`, an include's `variables`, an environment's and a project file's, and
 * secrets from `.env`. Zod's records and plain assignments dropped `__proto__` without a word (the
 * request then failed with "variable is not defined"), and a secret named `constructor` read
 * Object.prototype's (no "Missing secret"). Each is now an ordinary variable, and an object value
 * under `__proto__` pollutes no prototype.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan, type RunEvent, run } from '../src/index.js';

let dir: string;
let server: Server;
let base: string;
/** The JSON bodies the server received, in order. */
const received: unknown[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-proto-'));
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});

const write = async (name: string, text: string) => {
  await mkdir(join(dir, name, '..'), { recursive: true });
  await writeFile(join(dir, name), text);
};

/** A step that posts `json` (templates in it) to the server. */
const post = (name: string, json: Record<string, string>) => ({ name, request: { method: 'POST', url: '{{base}}/', body: { json } } });

async function runIn(folder: string, paths: string[], environment?: string) {
  const plan = await loadPlan({ paths, cwd: join(dir, folder), env: {}, ...(environment === undefined ? {} : { environment }) });
  const events: RunEvent[] = [];
  received.length = 0;
  const result = await run(plan, { env: {}, envVars: { base }, onEvent: (event) => events.push(event) });
  const errors = events.flatMap((event) =>
    event.type === 'step:end' && event.result.error !== undefined ? [event.result.error.message] : [],
  );
  return { status: result.status, errors, received: [...received] };
}

describe('variables named __proto__, constructor and prototype', () => {
  it("keep their values in a scenario's variables and defaults, an include's variables, an environment and a project file", async () => {
    await write('files/sortie.config.json', JSON.stringify({ variables: { prototype: 'from the project' } }));
    await write(
      'files/environments/dev.json',
      // Written escaped, as a JSON key may be: the same name.
      '{ "variables": { "constructor": "from the environment", "\\u005f_proto__": "environment\'s" } }',
    );
    await write(
      'files/main.yaml',
      [
        'name: proto names',
        'defaults:',
        '  __proto__: from defaults',
        'variables:',
        '  first: one',
        '  __proto__: { polluted: from the scenario }',
        '  after: "{{__proto__}}"',
        'steps:',
        `  - ${JSON.stringify(post('scenario', { proto: '{{__proto__.polluted}}', after: '{{after}}', ctor: '{{constructor}}', prototype: '{{prototype}}' }))}`,
        '  - name: included',
        '    include:',
        '      file: parts/part.json',
        '      variables: { __proto__: passed in }',
      ].join('\n'),
    );
    await write('files/parts/part.json', JSON.stringify({ name: 'part', steps: [post('part', { proto: '{{__proto__}}' })] }));
    const outcome = await runIn('files', ['main.yaml'], 'dev');
    expect(outcome.errors).toEqual([]);
    expect(outcome.status).toBe('passed');
    expect(outcome.received).toEqual([
      { proto: 'from the scenario', after: { polluted: 'from the scenario' }, ctor: 'from the environment', prototype: 'from the project' },
      { proto: 'passed in' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it("keep their values in a Postman collection's variables and a Postman environment export", async () => {
    await write(
      'postman/env.json',
      JSON.stringify({
        name: 'pm',
        _postman_variable_scope: 'environment',
        values: [{ key: '__proto__', value: 'from the export', enabled: true }],
      }),
    );
    const raw = { mode: 'raw', raw: '{"env": "{{__proto__}}", "collection": "{{constructor}}"}', options: { raw: { language: 'json' } } };
    await write(
      'postman/collection.json',
      JSON.stringify({
        info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        variable: [
          { key: 'constructor', value: 'from the collection' },
          { key: '__proto__', value: 'below the environment' },
        ],
        item: [{ name: 'post', request: { method: 'POST', url: '{{base}}/', body: raw } }],
      }),
    );
    const outcome = await runIn('postman', ['collection.json'], 'env.json');
    expect(outcome.errors).toEqual([]);
    expect(outcome.received).toEqual([{ env: 'from the export', collection: 'from the collection' }]);
  });

  it('keep their values as secrets from .env; a secret named constructor with no value is missing', async () => {
    await write('secrets/sortie.config.json', JSON.stringify({ secrets: ['__proto__', 'constructor'] }));
    await write('secrets/.env', '__proto__=dotenv-proto\nconstructor=dotenv-ctor\n');
    await write(
      'secrets/s.json',
      JSON.stringify({ name: 's', steps: [post('secrets', { proto: '{{__proto__}}', ctor: '{{constructor}}' })] }),
    );
    const outcome = await runIn('secrets', ['s.json']);
    expect(outcome.errors).toEqual([]);
    expect(outcome.received).toEqual([{ proto: 'dotenv-proto', ctor: 'dotenv-ctor' }]);

    await write('secrets/.env', 'OTHER=1\n');
    await expect(loadPlan({ paths: ['s.json'], cwd: join(dir, 'secrets'), env: {} })).rejects.toMatchObject({
      details: [{ message: 'secret "__proto__" has no value' }, { message: 'secret "constructor" has no value' }],
    });
  });
});
