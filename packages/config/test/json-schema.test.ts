import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentSchema, ScenarioSchema } from '@sortie/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { buildEnvironmentJsonSchema, buildScenarioJsonSchema, parseSourceText } from '../src/index.js';
import { filesDir, testDir } from './helpers.js';

const schemasDir = join(testDir, '..', '..', '..', 'schemas');
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateScenario = ajv.compile(buildScenarioJsonSchema());
const validateEnvironment = ajv.compile(buildEnvironmentJsonSchema());

function readData(...segments: string[]): unknown {
  const file = join(filesDir, ...segments);
  return parseSourceText(readFileSync(file, 'utf8'), file).data;
}

/** Asserts that the JSON Schema (through ajv) and Zod agree on `data`, and returns the verdict. */
function expectAgreement(validate: (data: unknown) => boolean, schema: z.ZodType, data: unknown): boolean {
  const zodAccepts = schema.safeParse(data).success;
  expect({ data, ajv: validate(data) }).toEqual({ data, ajv: zodAccepts });
  return zodAccepts;
}

describe('generated JSON Schemas', () => {
  it('are committed in schemas/ as generated (run `pnpm schemas` when this fails)', () => {
    expect(JSON.parse(readFileSync(join(schemasDir, 'scenario.schema.json'), 'utf8'))).toEqual(buildScenarioJsonSchema());
    expect(JSON.parse(readFileSync(join(schemasDir, 'environment.schema.json'), 'utf8'))).toEqual(buildEnvironmentJsonSchema());
  });

  it('are draft 2020-12 documents with an $id, a title and the descriptions of the Zod schemas', () => {
    const schema = buildScenarioJsonSchema() as {
      $schema: string;
      $id: string;
      title: string;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://sortie.dev/schemas/scenario.schema.json');
    expect(schema.title).toBe('Sortie scenario');
    expect(JSON.stringify(schema)).toContain('Absolute URL, or a path relative to `service`.');
    expect(buildEnvironmentJsonSchema()).toMatchObject({
      $id: 'https://sortie.dev/schemas/environment.schema.json',
      title: 'Sortie environment',
    });
  });

  it('accept the example scenarios and environments, including their $schema property', () => {
    expect(readData('scenarios', 'valid.json')).toHaveProperty('$schema');
    for (const name of ['valid.json', 'valid.yaml']) {
      expect(validateScenario(readData('scenarios', name)), JSON.stringify(validateScenario.errors)).toBe(true);
      expect(validateEnvironment(readData('environments', name)), JSON.stringify(validateEnvironment.errors)).toBe(true);
    }
  });

  it('make a request method optional, as its default is (input mode)', () => {
    expect(expectAgreement(validateScenario, ScenarioSchema, { name: 's', steps: [{ request: { url: '/' } }] })).toBe(true);
  });

  it('reject every invalid example, as Zod does', () => {
    const scenarios = readdirSync(join(filesDir, 'scenarios', 'invalid'));
    const environments = readdirSync(join(filesDir, 'environments', 'invalid'));
    expect(scenarios.length).toBeGreaterThan(0);
    expect(environments.length).toBeGreaterThan(0);
    for (const name of scenarios) {
      expect(expectAgreement(validateScenario, ScenarioSchema, readData('scenarios', 'invalid', name))).toBe(false);
    }
    for (const name of environments) {
      expect(expectAgreement(validateEnvironment, EnvironmentSchema, readData('environments', 'invalid', name))).toBe(false);
    }
  });

  it('enforce the rules Zod checks in refinements: exactly one selector, kind or body, at least one operator', () => {
    const withPost = (post: unknown[], request: Record<string, unknown> = {}) => ({
      name: 's',
      steps: [{ request: { url: '/', ...request }, post }],
    });
    const cases: Array<[unknown, boolean]> = [
      [withPost([{ wait: 1 }]), true],
      [withPost([{}]), false],
      [withPost([{ wait: 1, assert: { status: { equals: 200 } } }]), false],
      [withPost([{ assert: { status: { equals: 200 } } }]), true],
      [withPost([{ assert: { status: {} } }]), false],
      [withPost([{ assert: { name: 'only a name' } }]), false],
      [withPost([{ assert: { status: { equals: 200 }, body: { contains: 'x' } } }]), false],
      [withPost([{ assert: { header: { name: 'x', exists: true } } }]), true],
      [withPost([{ assert: { header: { name: 'x' } } }]), false],
      [withPost([{ extract: { var: 'v', jsonpath: '$.a' } }]), true],
      [withPost([{ extract: { var: 'v' } }]), false],
      [withPost([{ extract: { var: 'v', jsonpath: '$.a', header: 'x' } }]), false],
      [withPost([], { body: { json: { a: 1 } } }), true],
      [withPost([], { body: { json: 1, text: 'a' } }), false],
      [withPost([], { body: { contentType: 'text/plain' } }), false],
      [withPost([], { body: { multipart: [{ name: 'a', value: 'x' }] } }), true],
      [withPost([], { body: { multipart: [{ name: 'a' }] } }), false],
      [withPost([], { body: { multipart: [{ name: 'a', value: 'x', file: 'f' }] } }), false],
      [withPost([], { method: 'GE T' }), false],
      [withPost([], { timeout: 0 }), false],
    ];
    for (const [data, expected] of cases) expect(expectAgreement(validateScenario, ScenarioSchema, data)).toBe(expected);
  });

  it('agree with Zod on environments', () => {
    const cases: Array<[unknown, boolean]> = [
      [{ services: { a: 'http://x' } }, true],
      [{ services: { a: '' } }, false],
      [{ services: { a: { url: 'http://x', default: true } } }, true],
      [{ services: { a: { default: true } } }, false],
      [{ services: { a: 1 } }, false],
      [{ secrets: {} }, false],
    ];
    for (const [data, expected] of cases) expect(expectAgreement(validateEnvironment, EnvironmentSchema, data)).toBe(expected);
  });
});
