/**
 * The server's plan loader over an unpacked bundle: `--folder` and `--working-dir` of the manifest
 * select and convert as `sortie run` does; a plan that would send a file from outside the bundle (a
 * body file, even one missing here, which an agent would read from its own disk) or a working folder
 * outside it is refused.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, type SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundlePlan } from '../src/load-bundle-plan.js';

let dir: string;

const request = (name: string, body: Record<string, unknown>) => ({ name, request: { method: 'POST', url: 'http://127.0.0.1:1/x', body } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-bundle-plan-'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data', 'upload.txt'), 'upload');
  await writeFile(
    join(dir, 'ok.json'),
    JSON.stringify({ name: 'ok', steps: [request('send', { file: 'data/upload.txt' }), request('other', { text: 'x' })] }),
  );
  // A file of the server's machine, outside the bundle, with keys a scenario does not have.
  await writeFile(join(dir, '..', `${dir.split('/').pop()}-server-file.json`), '{"name":"x","steps":[{"dbPassword":"hunter2"}]}');
  const include = (file: string) => JSON.stringify({ name: 'includes', steps: [{ name: 'i', include: { file } }] });
  await writeFile(join(dir, 'include-outside.json'), include(`${dir}-server-file.json`));
  await writeFile(join(dir, 'include-missing.json'), include(`${dir}-not-here.json`));
  await writeFile(join(dir, 'escapes.json'), JSON.stringify({ name: 'escapes', steps: [request('leak', { file: '../../etc/not-here' })] }));
  await writeFile(
    join(dir, 'escapes-multipart.json'),
    JSON.stringify({ name: 'escapes', steps: [request('leak', { multipart: [{ name: 'f', file: '/etc/hostname' }] })] }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-server-file.json`, { force: true });
});

describe('loadBundlePlan', () => {
  it('selects the steps --folder names and carries the body files they send', async () => {
    const plan = await loadBundlePlan(dir, { version: 1, files: ['ok.json'], folders: ['send'] });
    expect(plan.scenarios[0]?.value.steps.map((step) => ('name' in step ? step.name : undefined))).toEqual(['send']);
    expect(Object.keys(plan.files)).toEqual(['data/upload.txt']);
  });

  it.each([
    ['escapes.json', '../../etc/not-here'],
    ['escapes-multipart.json', '/etc/hostname'],
  ])('refuses %s, whose body file is outside the bundle', async (file, outside) => {
    await expect(loadBundlePlan(dir, { version: 1, files: [file] })).rejects.toMatchObject({
      title: 'Invalid bundle',
      message: `the plan reads files outside the bundle: ${outside}`,
    });
  });

  it.each([
    ['include-outside.json', '-server-file.json'],
    ['include-missing.json', '-not-here.json'],
  ])('refuses %s, an include outside the bundle, without telling what the file holds or whether it exists', async (file, suffix) => {
    const error = (await loadBundlePlan(dir, { version: 1, files: [file] }).catch((caught: unknown) => caught)) as SortieError;
    expect(error).toMatchObject({
      title: 'Invalid bundle',
      message: `the plan reads files outside the bundle: ${dir}${suffix}`,
      details: [],
    });
    expect(JSON.stringify(error)).not.toContain('dbPassword');
  });

  it('refuses an include through a link of the bundle that leads outside it, before reading it', async () => {
    await symlink(`${dir}-server-file.json`, join(dir, 'inner-link.json'));
    await writeFile(
      join(dir, 'include-link.json'),
      JSON.stringify({ name: 'l', steps: [{ name: 'i', include: { file: 'inner-link.json' } }] }),
    );
    const error = (await loadBundlePlan(dir, { version: 1, files: ['include-link.json'] }).catch(
      (caught: unknown) => caught,
    )) as SortieError;
    expect(error.details.map((detail) => detail.message)).toEqual([
      'cannot read the included scenario inner-link.json: it is outside the bundle',
    ]);
    expect(JSON.stringify([error, error.details])).not.toContain('dbPassword');
    expect(JSON.stringify([error, error.details])).not.toContain(dir);
  });

  it("names an unknown environment without the server's folder of the bundle", async () => {
    const error = (await loadBundlePlan(dir, { version: 1, files: ['ok.json'], environment: 'nope' }).catch(
      (caught: unknown) => caught,
    )) as SortieError;
    expect(error.title).toBe('Unknown environment');
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain(dir);
    expect(error.message).toBe('no environment "nope" in environments');
  });

  it('refuses a Postman collection variable typed secret that carries its value: it would travel to the agents', async () => {
    const collection = (value: string) =>
      JSON.stringify({
        info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        variable: [{ key: 'apiKey', value, type: 'secret' }],
        item: [{ name: 'r', request: 'http://127.0.0.1:1/x' }],
      });
    await writeFile(join(dir, 'secret.postman_collection.json'), collection('bundle-secret-value'));
    await writeFile(join(dir, 'empty.postman_collection.json'), collection(''));
    const error = (await loadBundlePlan(dir, { version: 1, files: ['secret.postman_collection.json'] }).catch(
      (caught: unknown) => caught,
    )) as SortieError;
    expect(error).toMatchObject({
      title: 'Secret in a collection',
      location: { file: 'secret.postman_collection.json', path: '$.variable[0].value' },
    });
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain('bundle-secret-value');
    // Left empty, the variable is only a name: an agent's declared secret gives the value.
    const plan = await loadBundlePlan(dir, { version: 1, files: ['empty.postman_collection.json'] });
    expect(plan.scenarios).toHaveLength(1);
  });

  describe('a Postman environment export with a value typed secret', () => {
    const scenario = JSON.stringify({ name: 's', steps: [{ name: 'r', request: { method: 'GET', url: 'http://127.0.0.1:1/{{tok}}' } }] });
    const environment = (values: Array<{ key: string; value: string; type?: string }>) =>
      `${JSON.stringify({ name: 'env', _postman_variable_scope: 'environment', values }, null, 2)}\n`;
    const refusal = (environmentFile: string) =>
      loadBundlePlan(dir, { version: 1, files: ['env-scenario.json'], environment: environmentFile }).catch(
        (caught: unknown) => caught,
      ) as Promise<SortieError>;

    beforeAll(async () => {
      await writeFile(join(dir, 'env-scenario.json'), scenario);
      await writeFile(
        join(dir, 'secret.postman_environment.json'),
        environment([
          { key: 'base', value: 'http://127.0.0.1:1' },
          { key: 'tok', value: 'env-bundle-secret-1', type: 'secret' },
        ]),
      );
      await writeFile(
        join(dir, 'emptied.postman_environment.json'),
        environment([
          { key: 'base', value: 'http://127.0.0.1:1' },
          { key: 'tok', value: '', type: 'secret' },
        ]),
      );
      await writeFile(
        join(dir, 'two.postman_environment.json'),
        environment([
          { key: 'tok', value: 'env-bundle-secret-1', type: 'secret' },
          { key: 'other', value: 'env-bundle-secret-2', type: 'secret' },
        ]),
      );
      await writeFile(
        join(dir, 'secret.environment.yaml'),
        'name: env\nvalues:\n  - key: tok\n    value: env-bundle-secret-1\n    type: secret\n',
      );
    });

    it('is refused, naming the variable and where its value is, never the value (it would wait on the server, unused)', async () => {
      const error = await refusal('secret.postman_environment.json');
      expect(error).toMatchObject({
        code: ErrorCode.INVALID_INPUT,
        title: 'Secret in an environment',
        message:
          'variable "tok" is typed secret and has a value in secret.postman_environment.json: the bundle would carry it to the server, and the agents would use their own value instead',
        location: { file: 'secret.postman_environment.json', line: 11, column: 16, path: '$.values[1].value' },
        details: [],
      });
      expect(error.hint).toMatch(/empty its value in the environment .*set "tok" in the environment \(or \.env\) of the agents/);
      expect(JSON.stringify({ ...error, message: error.message, hint: error.hint })).not.toContain('env-bundle-secret');
    });

    it('is refused in the YAML form of a Postman v3 environment', async () => {
      const error = await refusal('secret.environment.yaml');
      expect(error).toMatchObject({
        title: 'Secret in an environment',
        location: { file: 'secret.environment.yaml', line: 4, column: 12, path: '$.values[0].value' },
      });
      expect(JSON.stringify({ ...error, message: error.message, hint: error.hint })).not.toContain('env-bundle-secret');
    });

    it('with two, is one error with a detail for each', async () => {
      const error = await refusal('two.postman_environment.json');
      expect(error).toMatchObject({
        code: ErrorCode.INVALID_INPUT,
        title: 'Invalid input',
        message: '2 environment variables typed secret have values',
      });
      expect(error.details.map((detail) => [detail.title, detail.location?.path, /variable "(\w+)"/.exec(detail.message)?.[1]])).toEqual([
        ['Secret in an environment', '$.values[0].value', 'tok'],
        ['Secret in an environment', '$.values[1].value', 'other'],
      ]);
      const text = JSON.stringify({
        ...error,
        message: error.message,
        details: error.details.map((detail) => ({ ...detail, message: detail.message, hint: detail.hint })),
      });
      expect(text).not.toContain('env-bundle-secret');
    });

    it('is taken once the value is empty (what `sortie run --remote` sends): the plan names the variable as a secret', async () => {
      const plan = await loadBundlePlan(dir, { version: 1, files: ['env-scenario.json'], environment: 'emptied.postman_environment.json' });
      expect(plan.secrets).toEqual(['tok']);
      expect(plan.environmentFile?.file).toBe('emptied.postman_environment.json');
      expect(plan.environmentFile?.value.variables).toEqual({ base: 'http://127.0.0.1:1' });
    });
  });

  it('refuses a working folder outside the bundle', async () => {
    await expect(loadBundlePlan(dir, { version: 1, files: ['ok.json'], workingDir: 'data/../..' })).rejects.toMatchObject({
      title: 'Invalid bundle',
      message: 'the working folder data/../.. is outside the bundle',
    });
  });
});
