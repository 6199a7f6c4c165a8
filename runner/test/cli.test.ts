/**
 * The command line as a user meets it: usage errors, validate, folders, environments, --bail,
 * timeouts, TLS flags, verbose output, report truncation and seeded dynamic values. Output that a
 * user reads is compared with golden files in runner/test/golden/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, expectGolden, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(import.meta.dirname, 'golden');
let server: FixtureServer;
let work: string;

beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-cli-'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Writes a scenario into the temp folder and returns its path. */
function scenario(name: string, value: unknown): string {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

const get = (name: string, url: string, post: unknown[] = []) => ({ name, request: { url }, post });

describe('usage', () => {
  it('prints help and exits 0', async () => {
    const main = await runSortie(['--help']);
    expect(main.code).toBe(0);
    expectGolden(join(GOLDEN, 'help.out'), main.stdout);
    const run = await runSortie(['run', '--help']);
    expect(run.code).toBe(0);
    expectGolden(join(GOLDEN, 'run-help.out'), run.stdout);
  });

  it('prints the version', async () => {
    const result = await runSortie(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sortie \d+\.\d+\.\d+/);
  });

  it.each([
    ['unknown-command', ['launch', 'x.json']],
    ['unknown-help-topic', ['help', 'valdiate']],
    ['unknown-option', ['run', 'x.json', '--colour']],
    ['no-files', ['run']],
    // The argument is not quoted back: it may be the token itself (`--env-var "$TOKEN"`).
    ['bad-env-var', ['run', 'x.json', '--env-var', 'sk-live-0123456789']],
    ['env-var-without-name', ['run', 'x.json', '--global-var', '=sk-live-0123456789']],
    ['bad-reporter', ['run', 'x.json', '-r', 'cli,html5']],
    ['bad-timeout', ['run', 'x.json', '--timeout-request', 'soon']],
    ['missing-file', ['run', 'fixtures/scenarios/ok/nope.json']],
    // Quoted, or typed in cmd.exe/PowerShell: no shell expanded the pattern, sortie received it as written.
    ['unexpanded-wildcard', ['run', 'fixtures/scenarios/ok/*.json']],
    ['windows-separators', ['validate', 'fixtures\\scenarios\\ok\\bodies.yaml']],
    // `-` as standard input (curl, jq, `sortie import curl -`) was only "no such file or folder: -".
    ['stdin-dash', ['run', '-']],
  ])('%s is a usage error with exit code 2 and no stack trace', async (name, args) => {
    const result = await runSortie(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expectGolden(join(GOLDEN, `${name}.err`), result.stderr);
  });
});

describe('validate', () => {
  it('lists every valid file of a folder', async () => {
    const result = await runSortie(['validate', 'fixtures/scenarios/ok', '-e', 'fixtures/environments/local.json']);
    expect(result.code).toBe(0);
    expectGolden(join(GOLDEN, 'validate-ok.out'), result.stdout);
  });

  it('reports every problem of every invalid file at once', async () => {
    const result = await runSortie([
      'validate',
      'fixtures/scenarios/invalid/many-problems.json',
      'fixtures/scenarios/invalid/wrong-types.yaml',
    ]);
    expect(result.code).toBe(2);
    expectGolden(join(GOLDEN, 'validate-invalid.err'), result.stderr);
  });

  it('reports an unknown dynamic value with a suggestion, before anything runs', async () => {
    const file = scenario('dynamic-typo.json', { name: 'typo', steps: [get('a', '{{base}}/echo?n={{$person.fulName}}')] });
    const result = await runSortie(['run', file, '--env-var', `base=${server.url}`]);
    expect(result.code).toBe(2);
    expect(normaliseText(result.stderr.replaceAll(work, 'WORK'), server.port)).toMatchInlineSnapshot(`
      "Invalid scenario: WORK/dynamic-typo.json has 1 problem

      WORK/dynamic-typo.json:7:16  $.steps[0].request.url
        template "{{base}}/echo?n={{$person.fulName}}": in {{$person.fulName}}: unknown method "fulName" of "$person"; did you mean "fullName"? (methods of $person: firstName, lastName, middleName, fullName, gender, sex, sexType, bio, prefix, suffix, jobTitle, jobDescriptor, jobArea, jobType, zodiacSign)
      "
    `);
  });

  it('refuses a condition expression that cannot be read before anything runs, at the expression', async () => {
    const file = join(work, 'bad-condition.json');
    writeFileSync(
      file,
      '{\n  "name": "bad condition",\n  "steps": [\n    { "if": { "condition": { "expression": "1 == 1 == 1" },\n              "then": [{ "request": { "url": "{{base}}/echo" } }] } }\n  ]\n}\n',
    );
    const result = await runSortie(['run', file, '--env-var', `base=${server.url}`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(normaliseText(result.stderr.replaceAll(work, 'WORK'), server.port)).toMatchInlineSnapshot(`
      "Invalid scenario: WORK/bad-condition.json has 1 problem

      WORK/bad-condition.json:4:44  $.steps[0].if.condition.expression
        cannot read the condition "1 == 1 == 1": more than one operator
        hint: write \`<value> <op> <value>\` with ==, !=, <, <=, >, >= or contains, or a single value tested for truthiness
      "
    `);
  });

  it('run -g: a globals file keeps its values\' JSON types (pm.globals.get is true, not "true"), as Newman does', async () => {
    const result = await runSortie([
      'run',
      'fixtures/postman/typed-variables.postman_collection.json',
      '-g',
      'fixtures/postman/typed.postman_globals.json',
      '--env-var',
      `base=${server.url}`,
      '--no-color',
    ]);
    // Exit 0: the step's four pm.test checks of the variables' types passed.
    expect(result.stdout).toContain('✓ Typed  GET');
    expect(result.code, result.stdout).toBe(0);
  });

  it('checks --folder names, a data file (-d) and a globals file (-g) as sortie run would', async () => {
    const collection = 'fixtures/postman/flow.postman_collection.json';
    const ok = await runSortie([
      'validate',
      collection,
      '-d',
      'fixtures/postman/flow-data.csv',
      '-g',
      'fixtures/postman/workspace.postman_globals.json',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expectGolden(join(GOLDEN, 'validate-data-globals.out'), ok.stdout);
    const unknownFolder = await runSortie([
      'validate',
      'fixtures/postman/features.postman_collection.json',
      '--folder',
      'Nope',
      '--no-color',
    ]);
    expect(unknownFolder.code).toBe(2);
    expectGolden(join(GOLDEN, 'validate-folder-unknown.err'), unknownFolder.stderr);
    const csv = join(work, 'unterminated.csv');
    writeFileSync(csv, 'a,b\n1,"2\n');
    const badData = await runSortie(['validate', collection, '-d', csv, '--no-color']);
    expect(badData.code).toBe(2);
    expectGolden(join(GOLDEN, 'validate-data-invalid.err'), badData.stderr.replaceAll(work, 'WORK'));
    const globals = join(work, 'not-globals.json');
    writeFileSync(globals, '{ "values": 3 }\n');
    const badGlobals = await runSortie(['validate', collection, '-g', globals, '--no-color']);
    expect(badGlobals.code).toBe(2);
    expectGolden(join(GOLDEN, 'validate-globals-invalid.err'), badGlobals.stderr.replaceAll(work, 'WORK'));
  });

  it('rejects an invalid environment file with its location', async () => {
    const env = join(work, 'bad-env.json');
    writeFileSync(env, '{\n  "services": { "api": 8080 }\n}\n');
    const result = await runSortie(['validate', 'fixtures/scenarios/ok/login-and-items.json', '-e', env]);
    expect(result.code).toBe(2);
    expect(result.stderr.replaceAll(work, 'WORK')).toContain(
      'WORK/bad-env.json:2:24  $.services.api\n  expected a string or an object, got 8080',
    );
  });
});

describe('run', () => {
  it('runs every scenario of a folder into one combined report', async () => {
    const out = join(work, 'folder-run');
    const result = await runSortie([
      'run',
      'fixtures/scenarios/ok',
      '-e',
      'fixtures/environments/local.json',
      '--env-var',
      `base=${server.url}`,
      '--global-var',
      'runId=r-1',
      '-r',
      'json,junit',
      '--out-dir',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const expected = readdirSync(join(ROOT, 'fixtures', 'scenarios', 'ok'))
      .filter((name) => /\.(json|ya?ml)$/.test(name))
      .sort()
      .map((name) => `fixtures/scenarios/ok/${name}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(report.scenarios.map((s: { file: string }) => s.file)).toEqual(expected);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8').match(/<testsuite /g)).toHaveLength(expected.length);
  });

  it('--bail stops the run at the first failure', async () => {
    const failing = scenario('bail-1.json', {
      name: 'fails',
      options: { onError: 'continue' },
      steps: [get('a', '{{base}}/status/500', [{ assert: { status: { equals: 200 } } }]), get('b', '{{base}}/bench')],
    });
    const never = scenario('bail-2.json', { name: 'never runs', steps: [get('c', '{{base}}/bench')] });
    const result = await runSortie(['run', failing, never, '--bail', '--env-var', `base=${server.url}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ a');
    expect(result.stdout).toContain('- b');
    // The scenario that never started is listed, its step skipped, and the summary says why.
    expect(result.stdout).toContain('▶ never runs');
    expect(result.stdout).toContain('  - c\n  not run: the run stopped at the first failure (--bail)\n');
    expect(result.stdout).toContain('Scenarios   0 passed, 1 failed, 0 errored, 1 skipped');
    expect(result.stdout).toContain('Steps       3 (1 failed, 0 errors, 2 skipped)');
    expect(result.stdout).toContain('The run stopped at the first failure (--bail).\nFAILED\n');
  });

  it('--timeout-request turns a slow response into a timeout error', async () => {
    const file = scenario('slow.json', { name: 'slow', steps: [get('slow', '{{base}}/slow?ms=2000')] });
    const result = await runSortie(['run', file, '--timeout-request', '200', '--env-var', `base=${server.url}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Request timed out: no response within 200 ms');
  });

  it('--verbose shows headers and bodies, with credentials hidden', async () => {
    const file = scenario('verbose.json', {
      name: 'verbose',
      steps: [
        {
          name: 'v',
          request: {
            method: 'POST',
            url: '{{base}}/echo',
            headers: { Authorization: 'Bearer s3cr3t-t0ken', 'X-Trace': 't1' },
            body: { json: { a: 1 } },
          },
        },
      ],
    });
    const result = await runSortie(['run', file, '--verbose', '--env-var', `base=${server.url}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/x-trace: t1/i);
    expect(result.stdout).toContain('{"a":1}');
    expect(result.stdout).not.toContain('s3cr3t-t0ken');
  });

  it('cuts bodies in the report at maxBodyInReport', async () => {
    const out = join(work, 'truncate');
    const file = scenario('truncate.json', {
      name: 'truncate',
      options: { maxBodyInReport: 16 },
      steps: [get('big', '{{base}}/echo?padding=0123456789012345678901234567890123456789')],
    });
    const result = await runSortie(['run', file, '-r', 'json', '--out-dir', out, '--env-var', `base=${server.url}`]);
    expect(result.code).toBe(0);
    const step = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).scenarios[0].steps[0];
    expect(step.response.body.truncated).toBe(true);
    expect(Buffer.byteLength(step.response.body.text)).toBe(16);
    expect(step.response.body.size).toBeGreaterThan(100);
  });

  it('renders a text body that is exactly one number variable as text', async () => {
    const out = join(work, 'text-number');
    const file = scenario('text-number.json', {
      name: 'text number',
      variables: { n: 5 },
      steps: [
        {
          name: 't',
          request: { method: 'POST', url: '{{base}}/echo', body: { text: '{{n}}' } },
          post: [{ assert: { jsonpath: { path: '$.body', equals: '5' } } }],
        },
      ],
    });
    const result = await runSortie(['run', file, '-r', 'json', '--out-dir', out, '--env-var', `base=${server.url}`]);
    expect(result.code, result.stdout).toBe(0);
  });

  it('--seed makes dynamic values reproducible', async () => {
    const file = scenario('seeded.json', {
      name: 'seeded',
      steps: [get('d', '{{base}}/echo?name={{$person.fullName}}&n={{$number.int(min=1,max=1000000)}}&id={{$guid}}')],
    });
    const urls: string[] = [];
    for (const seed of ['42', '42', '43']) {
      const out = join(work, `seed-${urls.length}`);
      const result = await runSortie(['run', file, '--seed', seed, '-r', 'json', '--out-dir', out, '--env-var', `base=${server.url}`]);
      expect(result.code).toBe(0);
      urls.push(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).scenarios[0].steps[0].request.url);
    }
    expect(urls[0]).toBe(urls[1]);
    expect(urls[2]).not.toBe(urls[0]);
    expect(urls[0]).toMatch(/\?name=[A-Za-z'-]+%20[A-Za-z' -]+&n=\d+&id=[0-9a-f-]{36}$/);
  });
});

describe('TLS', () => {
  let https: Server;
  let url: string;
  beforeAll(async () => {
    const tls = (name: string) => readFileSync(join(ROOT, 'fixtures', 'tls', name));
    https = createServer({ cert: tls('server.pem'), key: tls('server-key.pem') }, (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"secure":true}');
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const address = https.address();
    url = `https://localhost:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(() => new Promise<void>((resolve) => https.close(() => resolve())));

  const tlsScenario = () =>
    scenario('tls.json', { name: 'tls', steps: [get('secure', url, [{ assert: { jsonpath: { path: '$.secure', equals: true } } }])] });

  it('verifies certificates by default', async () => {
    const result = await runSortie(['run', tlsScenario()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('TLS certificate error');
    expect(result.stdout).toContain('hint: use --insecure or --ca <file>');
  });

  it('accepts the server with --ca', async () => {
    const result = await runSortie(['run', tlsScenario(), '--ca', 'fixtures/tls/ca.pem']);
    expect(result.code, result.stdout).toBe(0);
  });

  it('accepts the server with --insecure', async () => {
    const result = await runSortie(['run', tlsScenario(), '-k']);
    expect(result.code, result.stdout).toBe(0);
  });

  it('names a missing CA file', async () => {
    const result = await runSortie(['run', tlsScenario(), '--ca', 'nope.pem']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: File not found: cannot read CA file nope.pem: no such file\n');
  });
});
