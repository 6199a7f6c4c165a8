import { readFileSync } from 'node:fs';
import { EnvironmentSchema, ErrorCode, ScenarioSchema, type SortieError } from '@sortie/core';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { parseSourceText, validateSource } from '../src/index.js';
import { userPath } from './helpers.js';

/** Validates JSON text and returns the problems as plain objects (or fails the test when valid). */
function problemsOf(schema: z.ZodType, text: string, file = 'f.json'): Array<Pick<SortieError, 'message' | 'hint' | 'location' | 'title'>> {
  const result = validateSource(schema, parseSourceText(text, file), file);
  if (!('errors' in result)) throw new Error('expected validation errors');
  for (const error of result.errors) expect(error.code).toBe(ErrorCode.INVALID_INPUT);
  return result.errors.map(({ message, hint, location, title }) =>
    hint === undefined ? { message, location, title } : { message, hint, location, title },
  );
}

function scenarioWithStep(step: unknown): string {
  return JSON.stringify({ name: 's', steps: [step] }, null, 2);
}

describe('validateSource', () => {
  it('returns the parsed value, with defaults applied, when the data is valid', () => {
    const result = validateSource(ScenarioSchema, parseSourceText(scenarioWithStep({ request: { url: '/a' } }), 'f.json'), 'f.json');
    expect(result).toEqual({ value: { name: 's', steps: [{ request: { method: 'GET', url: '/a' } }] } });
  });

  it('reports a wrong type with the actual value, at the value', () => {
    expect(problemsOf(ScenarioSchema, '{\n  "name": 42,\n  "steps": []\n}')).toEqual([
      { title: 'Invalid value', message: 'expected a string, got 42', location: { file: 'f.json', line: 2, column: 11, path: '$.name' } },
    ]);
  });

  it('says what to write for the shorthands of other tools: include: file, body: text, status: 200', () => {
    const text = [
      'name: s',
      'steps:',
      '  - include: parts/login.yaml',
      '  - request: { url: /a, method: POST, body: \'{"a": 1}\' }',
      '    post:',
      '      - assert: { status: 200 }',
      '      - assert: { responseTime: 500 }',
      '  - request: { url: /b }',
      '    post: [{ assert: { jsonpath: 2 } }]',
      '',
    ].join('\n');
    expect(
      problemsOf(ScenarioSchema, text, 'f.yaml').map(({ message, hint, location }) => ({ message, hint, at: location?.path })),
    ).toEqual([
      {
        at: '$.steps[0].include',
        message: 'expected an object, got "parts/login.yaml"',
        hint: 'write "include": { "file": "parts/login.yaml" }',
      },
      {
        at: '$.steps[1].request.body',
        message: 'expected an object, got "{\\"a\\": 1}"',
        hint: 'a body names its kind: "body": { "text": "{\\"a\\": 1}" }, or { "json": … } for a JSON value',
      },
      {
        at: '$.steps[1].post[0].assert.status',
        message: 'expected an object, got 200',
        hint: 'an assertion names its operator: "status": { "equals": 200 }',
      },
      {
        at: '$.steps[1].post[1].assert.responseTime',
        message: 'expected an object, got 500',
        hint: 'an assertion names its operator: "responseTime": { "equals": 500 }',
      },
      // A selector with arguments gets no such hint: its object holds the path too.
      { at: '$.steps[2].post[0].assert.jsonpath', message: 'expected an object, got 2', hint: undefined },
    ]);
  });

  it('says that a YAML 1.1 boolean word (yes, no, on, off) is a string in YAML 1.2, and what to write', () => {
    const text = 'name: s\nsteps:\n  - request:\n      url: /a\n      followRedirects: yes\n      http2: Off\n';
    expect(problemsOf(ScenarioSchema, text, 'f.yaml')).toEqual([
      {
        title: 'Invalid value',
        message: 'expected a boolean, got "yes"',
        hint: 'YAML 1.2 reads yes as a string (YAML 1.1 read it as a boolean): write true',
        location: { file: 'f.yaml', line: 5, column: 24, path: '$.steps[0].request.followRedirects' },
      },
      {
        title: 'Invalid value',
        message: 'expected a boolean, got "Off"',
        hint: 'YAML 1.2 reads Off as a string (YAML 1.1 read it as a boolean): write false',
        location: { file: 'f.yaml', line: 6, column: 14, path: '$.steps[0].request.http2' },
      },
    ]);
    // In JSON "yes" is quoted by hand: no YAML hint.
    expect(problemsOf(ScenarioSchema, scenarioWithStep({ request: { url: '/a', followRedirects: 'yes' } }))[0]?.hint).toBeUndefined();
  });

  it('shows objects and arrays by their kind and long strings shortened', () => {
    const long = 'x'.repeat(100);
    const problems = problemsOf(ScenarioSchema, JSON.stringify({ name: {}, variables: [], steps: long }));
    expect(problems.map((p) => p.message)).toEqual([
      'expected a string, got an object',
      'expected an object, got an array',
      `expected an array, got "${'x'.repeat(39)}…"`,
    ]);
  });

  it('reports a missing required property at the parent object', () => {
    expect(problemsOf(ScenarioSchema, '{\n  "name": "s",\n  "steps": [\n    { "request": { "method": "GET" } }\n  ]\n}')).toEqual([
      {
        title: 'Missing property',
        message: 'missing required property "url"',
        location: { file: 'f.json', line: 4, column: 18, path: '$.steps[0].request' },
      },
    ]);
  });

  it('reports each unknown property at its key, listing the allowed ones and suggesting a close one', () => {
    const problems = problemsOf(ScenarioSchema, '{\n  "name": "s",\n  "steps": [],\n  "nmae": "x",\n  "env": "dev"\n}');
    expect(problems).toEqual([
      {
        title: 'Unknown property',
        message:
          'unknown property "nmae" (expected one of: $schema, name, description, tags, variables, defaults, auth, options, setup, steps, teardown)',
        hint: 'did you mean "name"?',
        location: { file: 'f.json', line: 4, column: 3, path: '$' },
      },
      {
        title: 'Unknown property',
        message:
          'unknown property "env" (expected one of: $schema, name, description, tags, variables, defaults, auth, options, setup, steps, teardown)',
        location: { file: 'f.json', line: 5, column: 3, path: '$' },
      },
    ]);
  });

  it('leaves out the "exactly one selector" rule when a misspelled selector explains it', () => {
    const problems = problemsOf(
      ScenarioSchema,
      scenarioWithStep({ request: { url: '/' }, post: [{ assert: { jsonpth: { path: '$', exists: true } } }] }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'unknown property "jsonpth" (expected one of: status, header, cookie, jsonpath, xpath, regex, body, responseTime, variable, openapi, name)',
    ]);
  });

  it('reports enum and literal values with the allowed ones', () => {
    const problems = problemsOf(
      ScenarioSchema,
      scenarioWithStep({ request: { url: '/' }, onError: 'contnue', post: [{ extract: { var: 'v', status: false } }] }),
    );
    expect(problems).toMatchObject([
      {
        message: 'expected one of "end", "continue", "ignore", "break", got "contnue"',
        hint: 'did you mean "continue"?',
        location: { path: '$.steps[0].onError' },
      },
      { message: 'expected true, got false', location: { path: '$.steps[0].post[0].extract.status' } },
    ]);
  });

  it('words size and range limits', () => {
    const schema = z.strictObject({
      a: z.string().min(1),
      b: z.string().max(3),
      c: z.number().int().positive(),
      d: z.array(z.number()).min(2),
      e: z.array(z.number()).max(1),
      f: z.number().lt(10),
      g: z.string().length(2),
      h: z.number().multipleOf(5),
    });
    const problems = problemsOf(schema, JSON.stringify({ a: '', b: 'abcd', c: 0, d: [1], e: [1, 2], f: 10, g: 'abc', h: 7 }));
    expect(problems.map((p) => `${p.location?.path} ${p.message}`)).toEqual([
      '$.a expected a non-empty string, got ""',
      '$.b expected at most 3 characters, got "abcd"',
      '$.c expected a number > 0, got 0',
      '$.d expected at least 2 items, got 1 item',
      '$.e expected at most 1 item, got 2 items',
      '$.f expected a number < 10, got 10',
      '$.g expected exactly 2 characters, got "abc"',
      '$.h expected a multiple of 5, got 7',
    ]);
  });

  it('words string formats', () => {
    const schema = z.strictObject({ a: z.string().regex(/^\d+$/), b: z.url(), c: z.string().startsWith('x'), d: z.email() });
    const problems = problemsOf(schema, JSON.stringify({ a: 'x', b: 'nope', c: 'y', d: 'nope' }));
    expect(problems.map((p) => p.message)).toEqual([
      'expected a string matching /^\\d+$/, got "x"',
      'expected a valid URL, got "nope"',
      'expected a string starting with "x", got "y"',
      'expected a valid email address, got "nope"',
    ]);
  });

  it('passes custom messages of the schema through, adding the actual value when it is a scalar', () => {
    const problems = problemsOf(
      ScenarioSchema,
      scenarioWithStep({ request: { method: 'GE T', url: '/', body: { json: 1, text: 'a' } }, post: [{}] }),
    );
    expect(problems.map((p) => `${p.location?.path} ${p.message}`)).toEqual([
      '$.steps[0].request.method expected an HTTP method such as GET or POST, got "GE T"',
      '$.steps[0].request.body expected only one of "json", "text", "form", "multipart", "file", "xml", "graphql" in a body, found "json" and "text"',
      '$.steps[0].post[0] expected one of "assert", "extract", "wait", "db", "script" in a processor',
    ]);
  });

  it('refuses a request header name that is not a token at load, and leaves a templated one to the send', () => {
    const problems = problemsOf(
      ScenarioSchema,
      scenarioWithStep({ request: { url: '/', headers: { 'Bad Header': 'v', 'X-{{name}}': 'v', 'X {{name}}': 'v', 'X-Ok': 'v' } } }),
    );
    expect(problems.map((p) => `${p.location?.path} ${p.message}`)).toEqual([
      '$.steps[0].request.headers["Bad Header"] invalid property name "Bad Header": expected a header name: only letters, digits and !#$%&\'*+-.^_`|~ (RFC 9110 §5.1), or a {{template}}, got "Bad Header"',
    ]);
  });

  it('words a union that rejects the type as the list of accepted types', () => {
    const problems = problemsOf(ScenarioSchema, scenarioWithStep({ request: { url: '/', headers: { 'X-A': null } } }));
    expect(problems).toMatchObject([
      { message: 'expected a string, a number or a boolean, got null', location: { path: '$.steps[0].request.headers["X-A"]' } },
    ]);
    const literals = z.strictObject({ mode: z.union([z.literal('a'), z.literal('b')]), size: z.union([z.literal('big'), z.number()]) });
    expect(problemsOf(literals, '{"mode": "c", "size": true}').map((p) => p.message)).toEqual([
      'expected one of "a", "b", got "c"',
      'expected "big" or a number, got true',
    ]);
  });

  it('reports a union by the branch that fits the value best', () => {
    const problems = problemsOf(EnvironmentSchema, '{"services": {"a": {"url": 1}, "b": {"default": true}, "c": {"url": "x", "x": 1}}}');
    expect(problems.map((p) => `${p.location?.path} ${p.message}`)).toEqual([
      '$.services.a.url expected a string, got 1',
      '$.services.b missing required property "url"',
      '$.services.c unknown property "x" (expected one of: url, default)',
    ]);
  });

  it('reports a wrong profile inside a scenario\'s auth section at the profile, not as an inline profile without "type"', () => {
    const text = JSON.stringify({
      name: 's',
      auth: {
        profiles: {
          key: { type: 'apiKey', name: 'X-Key', value: 5 },
          cc: { type: 'oauth2', grant: 'client_credentials', clientId: 'me' },
        },
        use: 'key',
      },
      steps: [],
    });
    expect(problemsOf(ScenarioSchema, text).map((p) => `${p.location?.path} ${p.message}`)).toEqual([
      '$.auth.profiles.key.value expected a string, got 5',
      '$.auth.profiles.cc.tokenUrl "tokenUrl" is required for the client_credentials grant',
    ]);
    expect(
      problemsOf(ScenarioSchema, JSON.stringify({ name: 's', auth: { profiles: { key: { type: 'apiKey', name: 'X' } } }, steps: [] })).map(
        (p) => `${p.location?.path} ${p.message}`,
      ),
    ).toEqual(['$.auth.profiles.key missing required property "value"']);
  });

  describe('with a union of object shapes (step kinds)', () => {
    const step = z.union([
      z.strictObject({ name: z.string().optional(), request: z.strictObject({ url: z.string() }) }),
      z.strictObject({ name: z.string().optional(), wait: z.number() }),
      z.strictObject({ name: z.string().optional(), group: z.array(z.unknown()) }),
    ]);
    const schema = z.strictObject({ steps: z.array(step) });

    it('reports the problems of the kind the value has', () => {
      expect(
        problemsOf(schema, '{"steps": [{"request": {"url": 1}}, {"wait": "x"}]}').map((p) => `${p.location?.path} ${p.message}`),
      ).toEqual(['$.steps[0].request.url expected a string, got 1', '$.steps[1].wait expected a number, got "x"']);
    });

    it('names the kinds to choose from when the value has none, and keys no kind knows', () => {
      expect(problemsOf(schema, '{"steps": [{}, {"reqest": {"url": "/"}}]}')).toMatchObject([
        { message: 'missing one of the properties "request", "wait" or "group"', location: { path: '$.steps[0]' } },
        { message: 'missing one of the properties "request", "wait" or "group"', location: { path: '$.steps[1]' } },
        {
          message: 'unknown property "reqest" (expected one of: name, request, wait, group)',
          hint: 'did you mean "request"?',
          location: { path: '$.steps[1]', line: 1, column: 17 },
        },
      ]);
    });
  });

  it('reports an unknown discriminator value with the known ones', () => {
    const schema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('a') }), z.strictObject({ type: z.literal('b') })]);
    expect(problemsOf(schema, '{"type": "c"}')).toMatchObject([
      { message: 'expected one of "a", "b", got "c"', location: { path: '$.type', column: 10 } },
    ]);
    expect(problemsOf(schema, '{}')).toMatchObject([{ message: 'missing required property "type"', location: { path: '$' } }]);
  });

  it('suggests the known discriminator value a misspelled one most likely meant', () => {
    const text = JSON.stringify({ name: 's', steps: [{ request: { url: '/', auth: { type: 'apikey', name: 'X', value: 'k' } } }] });
    expect(problemsOf(ScenarioSchema, text)).toMatchObject([
      { hint: 'did you mean "apiKey"?', location: { path: '$.steps[0].request.auth.type' } },
    ]);
  });

  it('reports a missing union-valued property as missing', () => {
    const schema = z.strictObject({ id: z.union([z.string(), z.number()]) });
    expect(problemsOf(schema, '{}')).toMatchObject([{ message: 'missing required property "id"', location: { path: '$' } }]);
  });

  it('reports every problem of a file at once, in the order of the file', () => {
    const file = userPath('scenarios', 'invalid', 'bad-step.json');
    const problems = problemsOf(ScenarioSchema, readFileSync(file, 'utf8'), file);
    expect(problems).toHaveLength(13);
    const positions = problems.map((p) => [p.location?.line ?? 0, p.location?.column ?? 0] as const);
    expect([...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual(positions);
    expect(problems[0]).toEqual({
      title: 'Invalid value',
      message: 'expected an HTTP method such as GET or POST, got "GE T"',
      location: { file, line: 7, column: 19, path: '$.steps[0].request.method' },
    });
  });

  it('never shows Zod wording', () => {
    for (const [schema, file] of [
      [ScenarioSchema, userPath('scenarios', 'invalid', 'bad-step.json')],
      [ScenarioSchema, userPath('scenarios', 'invalid', 'wrong-types.json')],
      [EnvironmentSchema, userPath('environments', 'invalid', 'bad-services.json')],
    ] as const) {
      for (const problem of problemsOf(schema, readFileSync(file, 'utf8'), file)) {
        expect(problem.message).not.toMatch(/Invalid input|Invalid option|Too small|Too big|Unrecognized key|received/);
        expect(problem.message).not.toContain('\u0000');
      }
    }
  });

  it('gives YAML and JSON files the same paths and messages', () => {
    for (const [schema, dir, name] of [
      [ScenarioSchema, 'scenarios/invalid', 'bad-step'],
      [EnvironmentSchema, 'environments/invalid', 'bad-services'],
    ] as const) {
      const json = userPath(dir, `${name}.json`);
      const yaml = userPath(dir, `${name}.yaml`);
      const fromJson = problemsOf(schema, readFileSync(json, 'utf8'), json).map((p) => [p.location?.path, p.message, p.hint]);
      const fromYaml = problemsOf(schema, readFileSync(yaml, 'utf8'), yaml).map((p) => [p.location?.path, p.message, p.hint]);
      expect(fromYaml).toEqual(fromJson);
    }
  });

  it('uses the file name it is given in every location', () => {
    const parsed = parseSourceText('{"name": 1, "steps": []}', 'parsed.json');
    const result = validateSource(ScenarioSchema, parsed, 'shown/as.json');
    expect('errors' in result && result.errors[0]?.location?.file).toBe('shown/as.json');
  });

  it("validates without Zod's generated parsers until the process has validated 8,192 characters", async () => {
    vi.resetModules();
    const fresh = await import('../src/validate-source.js');
    const schema = z.strictObject({ name: z.string() });
    const parse = vi.spyOn(schema, 'safeParse');
    const parsed = parseSourceText('{"name": "s"}', 'f.json');
    const length = fresh.GENERATED_PARSERS_FROM_LENGTH / 4;
    for (let i = 0; i < 5; i++) fresh.validateSource(schema, parsed, 'f.json', length);
    expect(parse.mock.calls.map(([, context]) => context?.jitless)).toEqual([true, true, true, false, false]);
    vi.resetModules();
    const other = await import('../src/validate-source.js');
    other.validateSource(schema, parsed, 'f.json');
    expect(parse.mock.calls.at(-1)?.[1]?.jitless).toBe(false);
  });

  /** validateSource in a process that has validated nothing yet (a fresh module), checked to go without the parsers. */
  async function withoutGeneratedParsers(schema: z.ZodType, parsed: ReturnType<typeof parseSourceText>, file: string) {
    vi.resetModules();
    const fresh = await import('../src/validate-source.js');
    const parse = vi.spyOn(schema, 'safeParse');
    try {
      const result = fresh.validateSource(schema, parsed, file, 0);
      expect(parse.mock.calls[0]?.[1]?.jitless).toBe(true);
      return result;
    } finally {
      parse.mockRestore();
    }
  }

  it('gives the same value and problems with and without the generated parsers', async () => {
    const files: Array<[z.ZodType, string, string]> = [
      [ScenarioSchema, 'scenarios/invalid', 'bad-step.json'],
      [ScenarioSchema, 'scenarios/invalid', 'wrong-types.json'],
      [ScenarioSchema, 'scenarios/invalid', 'missing-fields.yaml'],
      [EnvironmentSchema, 'environments/invalid', 'bad-services.json'],
    ];
    for (const [schema, dir, name] of files) {
      const file = userPath(dir, name);
      const parsed = parseSourceText(readFileSync(file, 'utf8'), file);
      const short = await withoutGeneratedParsers(schema, parsed, file);
      expect('errors' in short && short.errors.length).toBeGreaterThan(0);
      expect(short).toEqual(validateSource(schema, parsed, file));
    }
    const valid = parseSourceText(scenarioWithStep({ request: { url: '/a' }, post: [{ assert: { status: { equals: 200 } } }] }), 'f.json');
    expect(await withoutGeneratedParsers(ScenarioSchema, valid, 'f.json')).toEqual(validateSource(ScenarioSchema, valid, 'f.json'));
  });
});
