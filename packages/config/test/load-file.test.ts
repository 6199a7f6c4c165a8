import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ErrorCode, isSortieError, type SortieError } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { formatInputError, loadEnvironment, loadScenario } from '../src/index.js';
import { expectGolden, filesDir, userPath } from './helpers.js';

async function loadFailure(load: Promise<unknown>): Promise<SortieError> {
  try {
    await load;
  } catch (error) {
    if (isSortieError(error)) return error;
    throw error;
  }
  throw new Error('expected the load to fail');
}

describe('loadScenario', () => {
  it('loads JSON and YAML versions of a scenario to the same value', async () => {
    const json = await loadScenario(userPath('scenarios', 'valid.json'));
    const yaml = await loadScenario(userPath('scenarios', 'valid.yaml'));
    const { $schema, ...withoutSchema } = json.value;
    expect($schema).toBe('../../../../../schemas/scenario.schema.json');
    expect(yaml.value).toEqual(withoutSchema);
    expect(json.value.steps).toHaveLength(2);
    const second = json.value.steps[1];
    expect(second !== undefined && 'request' in second ? second.request.method : undefined).toBe('GET');
  });

  it('keeps the file as given and gives its absolute directory', async () => {
    const file = userPath('scenarios', 'valid.json');
    const loaded = await loadScenario(file);
    expect(loaded.file).toBe(file);
    expect(loaded.dir).toBe(join(filesDir, 'scenarios'));
    expect(loaded.dir).toBe(resolve(loaded.dir));
  });

  it('locates a JSON path for later runtime errors', async () => {
    const json = await loadScenario(userPath('scenarios', 'valid.json'));
    expect(json.locate(['steps', 0, 'post', 1, 'assert', 'jsonpath'])).toEqual({
      file: userPath('scenarios', 'valid.json'),
      line: 20,
      column: 35,
      path: '$.steps[0].post[1].assert.jsonpath',
    });
    const yaml = await loadScenario(userPath('scenarios', 'valid.yaml'));
    expect(yaml.locate(['steps', 0, 'post', 1, 'assert', 'jsonpath'])).toMatchObject({ line: 27, column: 21 });
  });

  it('throws FILE_NOT_FOUND for a missing file and for a directory', async () => {
    const missing = await loadFailure(loadScenario('nope/missing.json'));
    expect(missing.code).toBe(ErrorCode.FILE_NOT_FOUND);
    expect(missing.message).toBe('cannot read nope/missing.json: no such file');
    expect(missing.location).toEqual({ file: 'nope/missing.json' });
    const dir = mkdtempSync(join(tmpdir(), 'sortie-config-'));
    const directory = await loadFailure(loadScenario(join(dir)));
    expect(directory.code).toBe(ErrorCode.FILE_NOT_FOUND);
  });

  it('throws one INVALID_INPUT error listing every problem with file, line, column and path', async () => {
    const file = userPath('scenarios', 'invalid', 'bad-step.yaml');
    const error = await loadFailure(loadScenario(file));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.title).toBe('Invalid scenario');
    expect(error.message).toBe(`${file} has 13 problems`);
    expect(error.details).toHaveLength(13);
    for (const detail of error.details) {
      expect(detail.code).toBe(ErrorCode.INVALID_INPUT);
      expect(detail.location).toEqual({ file, line: expect.any(Number), column: expect.any(Number), path: expect.stringMatching(/^\$/) });
    }
  });

  it('reports a syntax error with its position, under the same title', async () => {
    const file = userPath('scenarios', 'syntax', 'trailing-comma.json');
    const error = await loadFailure(loadScenario(file));
    expect(error).toMatchObject({ code: ErrorCode.INVALID_INPUT, title: 'Invalid scenario', message: `${file} is not valid JSON` });
    expect(error.details).toMatchObject([{ message: 'trailing commas are not allowed in JSON', location: { file, line: 3, column: 14 } }]);
  });
});

describe('loadEnvironment', () => {
  it('loads JSON and YAML environments to the same value', async () => {
    const json = await loadEnvironment(userPath('environments', 'valid.json'));
    const yaml = await loadEnvironment(userPath('environments', 'valid.yaml'));
    expect(yaml.value).toEqual(json.value);
    expect(json.value.services?.auth).toEqual({ url: 'http://127.0.0.1:9090', default: true });
  });

  it('titles its errors "Invalid environment"', async () => {
    const error = await loadFailure(loadEnvironment(userPath('environments', 'invalid', 'bad-services.json')));
    expect(error).toMatchObject({ code: ErrorCode.INVALID_INPUT, title: 'Invalid environment' });
    expect(error.details).toHaveLength(6);
  });

  it('says that a scenario given as the environment (-e) is a scenario, at its "steps"', async () => {
    const error = await loadFailure(loadEnvironment(userPath('scenarios', 'valid.yaml')));
    const steps = error.details.find((detail) => detail.message.startsWith('unknown property "steps"'));
    expect(steps?.location).toMatchObject({ path: '$' });
    expect(steps?.hint).toBe(
      'this file is a scenario (it has "steps"), not an environment: give it to run as a file, and an environment with -e',
    );
  });

  it('says that a .env file given as the environment (-e) is read with --variables-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-dotenv-env-'));
    for (const name of ['.env', 'staging.env']) {
      writeFileSync(join(dir, name), 'TOKEN=abc\n');
      const error = await loadFailure(loadEnvironment(join(dir, name)));
      expect(error.details).toHaveLength(1);
      expect(error.details[0]).toMatchObject({
        title: 'Unsupported file',
        hint: 'a .env file (NAME=value lines) sets variables with --variables-file <file>; -e takes an environment file (.json, .yaml or .yml)',
      });
    }
    writeFileSync(join(dir, 'vars.txt'), 'TOKEN=abc\n');
    expect((await loadFailure(loadEnvironment(join(dir, 'vars.txt')))).details[0]?.hint).toBeUndefined();
  });
});

describe('formatInputError', () => {
  const cases = [
    ...readdirSync(join(filesDir, 'scenarios', 'invalid')).map((name) => ['scenarios', 'invalid', name] as const),
    ...readdirSync(join(filesDir, 'scenarios', 'syntax')).map((name) => ['scenarios', 'syntax', name] as const),
    ...readdirSync(join(filesDir, 'environments', 'invalid')).map((name) => ['environments', 'invalid', name] as const),
  ];

  it('has examples in every folder it lists', () => {
    for (const folder of ['scenarios/invalid', 'scenarios/syntax', 'environments/invalid']) {
      expect(cases.filter(([kind, dir]) => `${kind}/${dir}` === folder).length, folder).toBeGreaterThan(0);
    }
  });

  it.each(cases)('prints %s/%s/%s as in its golden file', async (kind, dir, name) => {
    const load = kind === 'scenarios' ? loadScenario : loadEnvironment;
    const error = await loadFailure(load(userPath(kind, dir, name)));
    expectGolden(`${kind}/${dir}/${name}.txt`, formatInputError(error));
  });

  it('prints a single located problem with its location, path and hint', async () => {
    const error = await loadFailure(loadEnvironment(userPath('environments', 'invalid', 'bad-services.yaml')));
    const typo = error.details.find((detail) => detail.hint !== undefined)!;
    expect(formatInputError(typo)).toBe(
      [
        'Unknown property',
        '',
        `${userPath('environments', 'invalid', 'bad-services.yaml')}:5:40  $.services.files`,
        '  unknown property "defualt" (expected one of: url, default)',
        '  hint: did you mean "default"?',
      ].join('\n'),
    );
  });

  it('prints an error without details as one block', async () => {
    const error = await loadFailure(loadScenario('nope/missing.json'));
    expect(formatInputError(error)).toBe('File not found: cannot read nope/missing.json: no such file');
  });
});
