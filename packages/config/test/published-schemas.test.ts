/**
 * Every fixture file a user could open in an editor is checked against the published JSON Schemas
 * (schemas/*.schema.json, draft 2020-12, through Ajv): scenarios under fixtures/scenarios/** and the
 * script library's examples, environments under fixtures/environments/**, project files and script
 * library manifests. Files in an `invalid/` folder must be rejected, unless they are invalid only for
 * a reason no JSON Schema can express (listed below with the reason); every other file must be
 * accepted. Zod must agree with the JSON Schema on every file that parses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EnvironmentSchema, ProjectSchema, ScenarioSchema, ScriptLibrarySchema } from '@sortie/core';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { parseSourceText } from '../src/index.js';
import { testDir } from './helpers.js';

const root = join(testDir, '..', '..', '..');
const fixtures = join(root, 'fixtures');
const ajv = new Ajv2020({ allErrors: true, strict: false });

function compile(name: string): ValidateFunction {
  return ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8')));
}

/** Files under `dir` (recursively, expected/ outputs and generated reports left out) whose name matches. */
function listFiles(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'expected' && entry.name !== 'node_modules') found.push(...listFiles(path, pattern));
    } else if (pattern.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/**
 * Invalid fixtures the schema accepts by nature: each is invalid for a reason only the loader can
 * see (a malformed template, a flow rule, a missing file or library script), and each reason is
 * checked by its own golden file in fixtures/scenarios/invalid/expected/.
 */
const SEMANTICALLY_INVALID: Record<string, string> = {
  'scenarios/invalid/bad-templates.json':
    'malformed templates in a step name and in expected values, a dynamic value too large to generate (validateTemplates)',
  'scenarios/invalid/bad-include.json': 'includes a file that does not exist and one with a broken step (load-time checks)',
  'scenarios/invalid/inexact-numbers.yaml':
    'numbers written with more precision than a number keeps (the loader reads the literals: inexact-numbers.ts)',
  'scenarios/invalid/flow-and-scripts.json':
    'a loop without count or while, a break outside a loop, unknown library scripts (lintScenario, checkScriptUses)',
};

interface Kind {
  name: string;
  validate: ValidateFunction;
  zod: z.ZodType;
  files: string[];
}

const SCENARIO = /\.(json|ya?ml)$/;
const kinds: Kind[] = [
  {
    name: 'scenario',
    validate: compile('scenario'),
    zod: ScenarioSchema,
    files: [
      ...listFiles(join(fixtures, 'scenarios'), SCENARIO),
      ...listFiles(join(fixtures, 'script-library'), /^(?!sortie-library)\w[\w-]*\.json$/),
    ],
  },
  {
    name: 'environment',
    validate: compile('environment'),
    zod: EnvironmentSchema,
    files: listFiles(join(fixtures, 'environments'), SCENARIO),
  },
  { name: 'project', validate: compile('project'), zod: ProjectSchema, files: listFiles(fixtures, /^sortie\.config\.(json|ya?ml)$/) },
  {
    name: 'script-library',
    validate: compile('script-library'),
    zod: ScriptLibrarySchema,
    files: listFiles(fixtures, /^sortie-library\.json$/),
  },
];

/** The file's data, or undefined when it does not parse (a syntax fixture). */
function readData(file: string): { data: unknown } | undefined {
  try {
    return { data: parseSourceText(readFileSync(file, 'utf8'), file).data };
  } catch {
    return undefined;
  }
}

describe('the published JSON Schemas and the fixtures', () => {
  for (const kind of kinds) {
    it(`find ${kind.name} fixtures to check`, () => {
      expect(kind.files.length).toBeGreaterThan(0);
    });

    for (const file of kind.files) {
      const name = relative(fixtures, file);
      const invalid = name.split('/').includes('invalid');
      it(`${invalid ? 'reject' : 'accept'} ${name} (${kind.name})`, () => {
        const parsed = readData(file);
        if (parsed === undefined) {
          expect(invalid, `${name} does not parse`).toBe(true);
          return;
        }
        const accepted = kind.validate(parsed.data);
        expect({ name, zod: kind.zod.safeParse(parsed.data).success }).toEqual({ name, zod: accepted });
        if (!invalid) expect(kind.validate.errors ?? [], name).toEqual([]);
        else if (name in SEMANTICALLY_INVALID) expect(accepted, `${name} is listed as schema-valid`).toBe(true);
        else expect(accepted, `${name} must fail the schema`).toBe(false);
      });
    }
  }
});

/** JSON paths of the properties without a description, anywhere in a schema document. */
function findUndescribed(node: unknown, path: string, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) findUndescribed(item, `${path}/${index}`, found);
  } else if (node !== null && typeof node === 'object') {
    const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
    for (const [key, value] of Object.entries(properties ?? {})) {
      if (typeof value.description !== 'string' || value.description === '') found.push(`${path}/properties/${key}`);
    }
    for (const [key, value] of Object.entries(node)) findUndescribed(value, `${path}/${key}`, found);
  }
  return found;
}

describe('the published JSON Schemas for editors', () => {
  for (const name of ['scenario', 'environment', 'project', 'script-library']) {
    it(`describe every property of ${name}.schema.json (from the Zod schemas' .describe())`, () => {
      const schema: unknown = JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'));
      expect(findUndescribed(schema, '#')).toEqual([]);
    });
  }

  it('suggest the usual HTTP methods and still accept a custom one of letters', () => {
    const validate = kinds[0]!.validate;
    const withMethod = (method: string) => ({ name: 's', steps: [{ request: { method, url: '/' } }] });
    expect(validate(withMethod('PATCH'))).toBe(true);
    expect(validate(withMethod('purge'))).toBe(true);
    expect(validate(withMethod('GE T'))).toBe(false);
    expect(JSON.stringify(JSON.parse(readFileSync(join(root, 'schemas', 'scenario.schema.json'), 'utf8')))).toContain(
      '"anyOf":[{"enum":["GET","POST","PUT","PATCH","DELETE","HEAD","OPTIONS","TRACE","CONNECT"]}',
    );
  });
});
