/**
 * Postman collections through the real CLI: the output of a direct run as a Postman user reads it
 * (CLI, JSON, JUnit: test names from pm.test), environments and globals with secrets redacted, items
 * that cannot run, --folder, bad input, and `sortie import postman` — whose files give the same
 * results as the direct run. Goldens in fixtures/postman/expected/.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, expectGolden, normaliseJunit, normaliseReport, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const POSTMAN = 'fixtures/postman';
const EXPECTED = join(ROOT, POSTMAN, 'expected');

let server: FixtureServer;
const temp: string[] = [];
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sortie-postman-'));
  temp.push(dir);
  return dir;
}

/** Every test of a JSON report as `<step> :: <test> :: <outcome>`, in order. */
function testsOf(reportFile: string): string[] {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { scenarios: Array<{ steps: ReportStep[] }> };
  const lines: string[] = [];
  const visit = (steps: ReportStep[]) => {
    for (const step of steps) {
      for (const assertion of step.assertions ?? [])
        lines.push(`${step.name} :: ${assertion.name ?? assertion.selector} :: ${assertion.passed}`);
      visit(step.children ?? []);
    }
  };
  for (const scenario of report.scenarios) visit(scenario.steps);
  return lines;
}

/** The values of {{$guid}} and {{$timestamp}} (epoch seconds) the features collection sends. */
function normaliseDynamic(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, '<UUID>')
    .replace(/(\\?")1[0-9]{9}(\\?")/g, '$1<EPOCH SECONDS>$2');
}

interface ReportStep {
  name: string;
  assertions?: Array<{ name?: string; selector: string; passed: boolean }>;
  children?: ReportStep[];
}

async function runCollection(name: string, args: string[], expectedExit: number): Promise<string> {
  const out = tempDir();
  const result = await runSortie([
    'run',
    ...args,
    '--env-var',
    `base=${server.url}`,
    '-r',
    'cli,json,junit',
    '--out-dir',
    out,
    '--no-color',
  ]);
  expect(result.code, result.stderr).toBe(expectedExit);
  expectGolden(join(EXPECTED, `${name}.out`), normaliseText(result.stdout, server.port));
  expectGolden(join(EXPECTED, `${name}.err`), normaliseText(result.stderr, server.port));
  expectGolden(
    join(EXPECTED, `${name}.report.json`),
    normaliseDynamic(normaliseReport(readFileSync(join(out, 'report.json'), 'utf8'), server.port)),
  );
  expectGolden(join(EXPECTED, `${name}.junit.xml`), normaliseJunit(readFileSync(join(out, 'junit.xml'), 'utf8'), server.port));
  return out;
}

describe('sortie run <collection>', () => {
  it('reports a collection as Postman users know it: folders, requests, pm.test names, the failing test', async () => {
    await runCollection('features', [`${POSTMAN}/features.postman_collection.json`], 1);
  });

  it('takes a Postman environment (-e) and globals (-g), and redacts the values typed secret everywhere', async () => {
    const out = await runCollection(
      'secrets',
      [
        `${POSTMAN}/secrets.postman_collection.json`,
        '-e',
        `${POSTMAN}/local.postman_environment.json`,
        '-g',
        `${POSTMAN}/workspace.postman_globals.json`,
        '--verbose',
      ],
      0,
    );
    const written = ['report.json', 'junit.xml'].map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
    for (const secret of ['env-secret-token-123', 'global-secret-456', 'literal-basic-pw', 'collection-secret-789'])
      expect(written).not.toContain(secret);
  });

  it('reports skipped pm tests as Newman counts them (in the assertions, not failed) in every reporter; the run passes', async () => {
    const htmlFile = join(tempDir(), 'report.html');
    const out = await runCollection('skipped-tests', [`${POSTMAN}/skipped-tests.postman_collection.json`, '--report-html', htmlFile], 0);
    const stdout = readFileSync(join(EXPECTED, 'skipped-tests.out'), 'utf8');
    // Shown without --verbose, as Newman shows them; counted among the assertions, not failed.
    expect(stdout).toContain('      - A skipped test test (skipped)\n');
    expect(stdout).toContain('Assertions  4 (0 failed)');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { scenarios: Array<{ steps: ReportStep[] }> };
    const assertions = report.scenarios[0]!.steps[0]!.assertions ?? [];
    expect(assertions.map((a) => [a.name, a.passed, (a as { skipped?: boolean }).skipped])).toEqual([
      ['A test without a function', true, undefined],
      ['A skipped test', true, true],
      ['A skipped test without a function', true, true],
      ['Status code is 200', true, undefined],
    ]);
    // Every field of an assertion is one the report's JSON Schema allows (it forbids others).
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.schema.json'), 'utf8')) as {
      $defs: Record<string, { properties?: { assertions?: { items?: { properties: Record<string, unknown> } } } }>;
    };
    const allowed = Object.values(schema.$defs).flatMap((def) => Object.keys(def.properties?.assertions?.items?.properties ?? {}));
    expect(allowed).toContain('skipped');
    for (const assertion of assertions) for (const key of Object.keys(assertion)) expect(allowed).toContain(key);
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toContain('<tr class="skip"><td>– skipped</td><td>A skipped test <small>(script test)</small></td>');
  });

  it('names each item that cannot run with its path and runs the rest', async () => {
    await runCollection('unsupported', [`${POSTMAN}/unsupported.postman_collection.json`], 1);
  });

  it('points each error at the place in the collection as written: a folder script, a URL, with --folder too', async () => {
    const file = `${POSTMAN}/locations.postman_collection.json`;
    const out = await runCollection('locations', [file], 1);
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    const lineOf = (needle: string) => lines.findIndex((line) => line.includes(needle)) + 1;
    const stdout = readFileSync(join(EXPECTED, 'locations.out'), 'utf8');
    // The line of the folder's test script that threw (an element of its `exec`), and the request's
    // URL, at their lines in the user's file.
    expect(stdout).toContain(`${file}:${lineOf('"const order = pm.response.json();"')}:`);
    expect(stdout).toContain(`${file}:${lineOf('"url": "http://127.0.0.1:9/orders"')}:20`);
    // The script failed while running (JSON.parse of an HTML body): not a syntax error of the script.
    expect(stdout).toContain('Script error: Script "Orders (test)"');
    expect(readFileSync(join(out, 'report.json'), 'utf8')).not.toContain('locations-secret-key-31');
    const selected = await runSortie(['run', file, '--folder', 'Closed port', '--no-color'], { cwd: ROOT });
    expect(selected.stdout).toContain(`${file}:${lineOf('"url": "http://127.0.0.1:9/orders"')}:20`);
  });

  // A script written as an array of lines (`exec: [...]`, as Postman exports every script) pointed at
  // the array's `[` or the first line, whatever line threw: the error now points at the line and the
  // column the script's own location names, in the element of that line (escapes counted as written).
  it('points a script error at the line of `exec` that threw, and at its column', async () => {
    const dir = tempDir();
    const text = `{
  "info": { "name": "exec lines", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
  "event": [{ "listen": "prerequest", "script": { "exec": ["// the collection's script", "var level = 'collection';"] } }],
  "item": [
    {
      "name": "broken",
      "event": [
        {
          "listen": "prerequest",
          "script": {
            "exec": [
              "pm.test('one', function () {",
              "    pm.expect(1).to.equal(1);",
              "});",
              "const a = {\\"k\\": \\"\\u00e9\\"}; a.b.c = 1;"
            ]
          }
        }
      ],
      "request": { "method": "GET", "url": "http://127.0.0.1:9/x" }
    },
    {
      "name": "one line",
      "event": [{ "listen": "prerequest", "script": { "exec": ["var x = 1;", "  missing();"] } }],
      "request": { "method": "GET", "url": "http://127.0.0.1:9/x" }
    },
    {
      "name": "as a string",
      "event": [{ "listen": "prerequest", "script": { "exec": "var x = 1;\\n  missing();" } }],
      "request": { "method": "GET", "url": "http://127.0.0.1:9/x" }
    }
  ]
}
`;
    writeFileSync(join(dir, 'exec-lines.postman_collection.json'), text);
    const out = join(dir, 'out');
    const result = await runSortie(['run', 'exec-lines.postman_collection.json', '--no-color', '-r', 'cli,json', '--out-dir', out], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(1);
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((line) => line.includes(needle)) + 1;
    // The script's line 4, column 26 (\"k\" and \\u00e9 count as one character each, in the file as written).
    const broken = lines[lineOf('a.b.c = 1;') - 1] ?? '';
    expect(result.stdout).toContain('failed at broken (pre-request):4:26: TypeError');
    expect(result.stdout).toContain(`--> exec-lines.postman_collection.json:${lineOf('a.b.c = 1;')}:${broken.indexOf('.c = 1;') + 1}`);
    const oneLine = lines[lineOf('"  missing();"') - 1] ?? '';
    expect(result.stdout).toContain(
      `--> exec-lines.postman_collection.json:${lineOf('"  missing();"')}:${oneLine.indexOf('missing();') + 1}`,
    );
    const asString = lines[lineOf('"var x = 1;\\n  missing();"') - 1] ?? '';
    expect(result.stdout).toContain(
      `--> exec-lines.postman_collection.json:${lineOf('"var x = 1;\\n  missing();"')}:${asString.indexOf('missing();') + 1}`,
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const steps = report.scenarios[0].steps;
    expect(steps[0].location).toMatchObject({ line: lineOf('a.b.c = 1;'), column: broken.indexOf('.c = 1;') + 1 });
  });

  it('points validation errors (templates) at the header and URL of the collection as written (exit 2)', async () => {
    const dir = tempDir();
    const text = `{
  "info": { "name": "templates", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
  "item": [
    {
      "name": "a",
      "request": {
        "method": "GET",
        "header": [{ "key": "X-A", "value": "{{$randomNope}}" }],
        "url": "{{base}}/echo/{{$guid}"
      }
    }
  ]
}
`;
    writeFileSync(join(dir, 'templates.postman_collection.json'), text);
    const result = await runSortie(['validate', 'templates.postman_collection.json', '--no-color'], { cwd: dir });
    expect(result.code).toBe(2);
    expectGolden(join(EXPECTED, 'templates-invalid.err'), result.stderr);
    expect(result.stderr).toContain('templates.postman_collection.json:8:45  $.item[0].request.header[0].value');
    expect(result.stderr).toContain('templates.postman_collection.json:9:16');
  });

  it('--folder runs only the named folders and requests; an unknown name is a usage error', async () => {
    await runCollection(
      'folder',
      [`${POSTMAN}/features.postman_collection.json`, '--folder', 'Bodies', '--folder', 'Redirects followed'],
      0,
    );
    const unknown = await runSortie(['run', `${POSTMAN}/features.postman_collection.json`, '--folder', 'Nope', '--no-color']);
    expect(unknown.code).toBe(2);
    expectGolden(join(EXPECTED, 'folder-unknown.err'), normaliseText(unknown.stderr));
  });

  it('--folder selects groups and steps of a Sortie scenario too', async () => {
    await runCollection('folder-scenario', [`${POSTMAN}/groups.json`, '--folder', 'catalogue', '--folder', 'audit'], 0);
  });

  it('an environment or globals export given as the collection says to pass it with -e or -g (exit 2)', async () => {
    const environment = await runSortie(['run', `${POSTMAN}/local.postman_environment.json`, '--no-color']);
    expect(environment.code).toBe(2);
    expectGolden(join(EXPECTED, 'environment-as-collection.err'), normaliseText(environment.stderr));
    const dir = tempDir();
    writeFileSync(
      join(dir, 'team.postman_globals.json'),
      JSON.stringify({ values: [{ key: 'who', value: 'ann' }], _postman_variable_scope: 'globals' }),
    );
    const globals = await runSortie(['run', 'team.postman_globals.json', '--no-color'], { cwd: dir });
    expect(globals.code).toBe(2);
    expect(globals.stderr).toContain('team.postman_globals.json is a Postman globals export, not a collection');
    expect(globals.stderr).toContain('-g team.postman_globals.json');
  });

  it('refuses a file that is neither a scenario nor a collection, with its place', async () => {
    const result = await runSortie(['run', `${POSTMAN}/files/payload.json`, '--no-color']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('payload.json');
  });
});

describe('sortie import postman', () => {
  it('writes a scenario, an environment and a project file without any secret, and says what to set', async () => {
    const out = tempDir();
    const result = await runSortie(
      [
        'import',
        'postman',
        `${POSTMAN}/secrets.postman_collection.json`,
        '-e',
        `${POSTMAN}/local.postman_environment.json`,
        '-g',
        `${POSTMAN}/workspace.postman_globals.json`,
        '--out',
        join(out, 'imported'),
      ],
      { cwd: ROOT },
    );
    expect(result.code, result.stderr).toBe(0);
    expectGolden(join(EXPECTED, 'import', 'secrets.out'), result.stdout.replaceAll(out, '<out>'));
    const files = listFiles(join(out, 'imported'));
    expect(files).toEqual(['environments/local.yaml', 'sortie-secrets.yaml', 'sortie.config.yaml']);
    for (const file of files) {
      const text = readFileSync(join(out, 'imported', file), 'utf8');
      for (const secret of ['env-secret-token-123', 'global-secret-456', 'literal-basic-pw', 'collection-secret-789'])
        expect(text).not.toContain(secret);
      expectGolden(join(EXPECTED, 'import', 'secrets', file), text);
    }
  });

  it('writes every body mode, folder, script and setting of a collection (file paths relative to the output)', async () => {
    const out = mkdtempSync(join(ROOT, POSTMAN, '.import-'));
    temp.push(out);
    const result = await runSortie(['import', 'postman', `${POSTMAN}/features.postman_collection.json`, '--out', join(out, 'imported')]);
    expect(result.code, result.stderr).toBe(0);
    expect(listFiles(join(out, 'imported'))).toEqual(['sortie-features.yaml', 'sortie.config.yaml']);
    expectGolden(join(EXPECTED, 'import', 'features.yaml'), readFileSync(join(out, 'imported', 'sortie-features.yaml'), 'utf8'));
  });

  it('the imported files give the same results as the direct run (secrets set in the environment)', async () => {
    for (const [collection, extra] of [
      ['secrets', ['-e', `${POSTMAN}/local.postman_environment.json`, '-g', `${POSTMAN}/workspace.postman_globals.json`]],
      ['features', []],
    ] as const) {
      const out = tempDir();
      const reports = tempDir();
      const imported = await runSortie([
        'import',
        'postman',
        `${POSTMAN}/${collection}.postman_collection.json`,
        ...extra,
        '--out',
        out,
        '--format',
        'json',
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      const direct = await runSortie([
        'run',
        `${POSTMAN}/${collection}.postman_collection.json`,
        ...extra,
        '--env-var',
        `base=${server.url}`,
        '-r',
        'json',
        '--out-dir',
        join(reports, 'direct'),
      ]);
      const secrets = {
        SORTIE_SECRETS_PASSWORD: 'literal-basic-pw',
        apiToken: 'env-secret-token-123',
        globalSecret: 'global-secret-456',
        collectionKey: 'collection-secret-789',
      };
      const fromFiles = await runSortie(
        ['run', '.', '--env-var', `base=${server.url}`, '-r', 'json', '--out-dir', join(reports, 'again')],
        {
          cwd: out,
          env: secrets,
        },
      );
      expect(fromFiles.code, fromFiles.stderr).toBe(direct.code);
      const tests = testsOf(join(reports, 'direct', 'report.json'));
      expect(tests.length).toBeGreaterThan(3);
      expect(testsOf(join(reports, 'again', 'report.json'))).toEqual(tests);
    }
  });

  it('writes credentials of request headers and URLs as declared secrets, and the imported files send the same requests', async () => {
    // Each request's test is named after a hash of what the fixture API received (path, query,
    // Authorization, X-API-Key, Cookie): the same names in both runs mean the same requests arrived.
    const collection = `${POSTMAN}/credentials.postman_collection.json`;
    const credentials = {
      BEARER_TOKEN: 'literal-abc123',
      X_API_KEY: 'sk_live_xyz',
      X_API_KEY_2: 'sk_live_other',
      BASIC_CREDENTIALS: 'dXNlcjpzM2NyZXQtcHc=',
      COOKIE_SESSION_ID: 'sess-cookie-789',
      API_KEY: 'k123',
      TOKEN: 't456',
      ACCESS_TOKEN: 'at-987',
      URL_PASSWORD: 'url-pass-42',
    };
    const out = tempDir();
    for (const format of ['yaml', 'json']) {
      const imported = await runSortie(['import', 'postman', collection, '--out', join(out, format), '--format', format]);
      expect(imported.code, imported.stderr).toBe(0);
      if (format === 'yaml') {
        expectGolden(join(EXPECTED, 'import', 'credentials.out'), imported.stdout.replaceAll(out, '<out>'));
        expectGolden(join(EXPECTED, 'import', 'credentials.yaml'), readFileSync(join(out, 'yaml', 'sortie-credentials.yaml'), 'utf8'));
      }
      for (const name of Object.keys(credentials)) expect(imported.stdout).toContain(`  ${name}  (`);
      const forms = Object.values(credentials).flatMap((value) => [
        value,
        encodeURIComponent(value),
        Buffer.from(value).toString('base64').replace(/=+$/, ''),
        Buffer.from(value).toString('base64url'),
      ]);
      forms.push('s3cret-pw', Buffer.from('user:s3cret-pw').toString('base64').replace(/=+$/, ''));
      for (const file of listFiles(join(out, format))) {
        const text = readFileSync(join(out, format, file), 'utf8');
        for (const form of forms) expect(text, `${format}/${file}`).not.toContain(form);
      }
    }
    const reports = tempDir();
    const target = ['--env-var', `base=${server.url}`, '--env-var', `host=127.0.0.1:${server.port}`, '-r', 'json', '--out-dir'];
    const direct = await runSortie(['run', collection, ...target, join(reports, 'direct')]);
    expect(direct.code, direct.stdout + direct.stderr).toBe(0);
    const tests = testsOf(join(reports, 'direct', 'report.json'));
    expect(tests).toHaveLength(10);
    for (const format of ['yaml', 'json']) {
      const again = await runSortie(['run', '.', ...target, join(reports, format)], { cwd: join(out, format), env: credentials });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(testsOf(join(reports, format, 'report.json'))).toEqual(tests);
    }
  });

  it('the environment overrides a collection variable, as in Newman: --env-var, -e, and after import', async () => {
    // The collection's baseUrl is a dead port; every request passes only when the environment's value wins.
    const collection = `${POSTMAN}/precedence.postman_collection.json`;
    const dir = tempDir();
    const environment = join(dir, 'target.postman_environment.json');
    writeFileSync(
      environment,
      JSON.stringify({ name: 'Target', values: [{ key: 'baseUrl', value: server.url, type: 'default', enabled: true }] }),
    );
    const runs: Array<{ label: string; args: string[]; cwd?: string }> = [
      { label: '--env-var', args: ['run', collection, '--env-var', `baseUrl=${server.url}`] },
      { label: '-e', args: ['run', collection, '-e', environment] },
    ];
    const imported = join(dir, 'imported');
    const importedWithEnv = join(dir, 'imported-env');
    expect((await runSortie(['import', 'postman', collection, '--out', imported])).code).toBe(0);
    expect((await runSortie(['import', 'postman', collection, '-e', environment, '--out', importedWithEnv])).code).toBe(0);
    runs.push({ label: 'import + --env-var', args: ['run', '.', '--env-var', `baseUrl=${server.url}`], cwd: imported });
    runs.push({ label: 'import -e', args: ['run', '.'], cwd: importedWithEnv });
    for (const [index, { label, args, cwd }] of runs.entries()) {
      const reports = join(dir, `reports-${index}`);
      const result = await runSortie([...args, '-r', 'json', '--out-dir', reports], cwd === undefined ? {} : { cwd });
      expect(result.code, `${label}: ${result.stdout}${result.stderr}`).toBe(0);
      const tests = testsOf(join(reports, 'report.json'));
      expect(tests, label).toHaveLength(12);
      expect(
        tests.filter((test) => !test.endsWith(':: true')),
        label,
      ).toEqual([]);
    }
  });

  it('reads what Newman reads: a collection without "info", globals as a bare list of values; a v1 collection is refused by name', async () => {
    const dir = tempDir();
    const test = "pm.test('global read', () => pm.expect(pm.globals.get('who')).to.equal('ann'));";
    const collection = { item: [{ name: 'Ping', event: [{ listen: 'test', script: { exec: [test] } }], request: `${server.url}/echo` }] };
    writeFileSync(join(dir, 'bare.postman_collection.json'), JSON.stringify(collection, null, 2));
    writeFileSync(join(dir, 'list.postman_globals.json'), JSON.stringify([{ key: 'who', value: 'ann', enabled: true }], null, 2));
    const ran = await runSortie(['run', 'bare.postman_collection.json', '-g', 'list.postman_globals.json', '--no-color'], { cwd: dir });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('Assertions  1 (0 failed)');
    // A globals file saved as UTF-16 is named as such, as an environment file is (it was "not valid JSON").
    writeFileSync(
      join(dir, 'utf16.postman_globals.json'),
      Buffer.from(`\ufeff${JSON.stringify([{ key: 'who', value: 'ann' }])}`, 'utf16le'),
    );
    const utf16 = await runSortie(['run', 'bare.postman_collection.json', '-g', 'utf16.postman_globals.json', '--no-color'], { cwd: dir });
    expect(utf16.stderr).toContain('utf16.postman_globals.json is encoded as UTF-16LE, not UTF-8');
    expect(utf16.code).toBe(2);
    // A syntax error is titled after what the file is for, as the other problems of -g are (it was "Invalid JSON").
    writeFileSync(join(dir, 'cut.postman_globals.json'), '{"values": [');
    const cut = await runSortie(['run', 'bare.postman_collection.json', '-g', 'cut.postman_globals.json', '--no-color'], { cwd: dir });
    expect(cut.stderr).toBe(
      'Invalid globals: cut.postman_globals.json is not valid JSON\n\ncut.postman_globals.json:1:13\n  expected "]" to close the array\n',
    );
    expect(cut.code).toBe(2);
    const v1 = { id: 'c1', name: 'Old', order: ['r1'], requests: [{ id: 'r1', name: 'Ping', method: 'GET', url: `${server.url}/echo` }] };
    writeFileSync(join(dir, 'old.postman_collection.json'), JSON.stringify(v1, null, 2));
    const refused = await runSortie(['run', 'old.postman_collection.json', '--no-color'], { cwd: dir });
    expect(refused.code).toBe(2);
    expectGolden(join(EXPECTED, 'v1.err'), refused.stderr);
  });

  it('an "event" written as one object, not a list, runs as the collection SDK reads it (was an internal error)', async () => {
    const dir = tempDir();
    const collection = {
      info: { name: 'Single events', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      event: { listen: 'prerequest', script: { exec: "pm.variables.set('from', 'collection');" } },
      item: [
        {
          name: 'Folder',
          event: { listen: 'prerequest', script: { exec: "pm.variables.set('also', 'folder');" } },
          item: [
            {
              name: 'Ping',
              event: {
                listen: 'test',
                script: {
                  exec: "pm.test('both ran', () => pm.expect(pm.response.json().query).to.eql({ from: 'collection', also: 'folder' }));",
                },
              },
              request: `${server.url}/echo?from={{from}}&also={{also}}`,
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'single.postman_collection.json'), JSON.stringify(collection, null, 2));
    const ran = await runSortie(['run', 'single.postman_collection.json', '--no-color'], { cwd: dir });
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toContain('Assertions  1 (0 failed)');
    expect(ran.code).toBe(0);
  });

  it('a collection of the wrong shape is refused at its place (exit 2), never an internal error', async () => {
    const dir = tempDir();
    const request = { method: 'POST', url: `${server.url}/echo` };
    const shapes: Array<[string, Record<string, unknown>, string]> = [
      ['header', { item: [{ name: 'r', request: { ...request, header: { A: 'b' } } }] }, '$.item[0].request.header'],
      [
        'urlencoded',
        { item: [{ name: 'r', request: { ...request, body: { mode: 'urlencoded', urlencoded: { a: 'b' } } } }] },
        '$.item[0].request.body.urlencoded',
      ],
      [
        'formdata',
        { item: [{ name: 'r', request: { ...request, body: { mode: 'formdata', formdata: 'a=b' } } }] },
        '$.item[0].request.body.formdata',
      ],
      ['exec', { item: [{ name: 'r', request, event: [{ listen: 'test', script: { exec: 5 } }] }] }, '$.item[0].event[0].script.exec'],
      ['variable', { variable: { a: 'b' }, item: [{ name: 'r', request }] }, '$.variable'],
    ];
    for (const [name, collection, path] of shapes) {
      writeFileSync(join(dir, `${name}.postman_collection.json`), JSON.stringify({ info: { _postman_id: name }, ...collection }, null, 2));
      const refused = await runSortie(['run', `${name}.postman_collection.json`, '--no-color'], { cwd: dir });
      expect(refused.stderr, name).toContain('Invalid Postman collection');
      expect(refused.stderr, name).toMatch(
        new RegExp(`${name}\\.postman_collection\\.json:\\d+:\\d+  ${path.replace(/[$.[\]]/g, '\\$&')}\\n`),
      );
      expect(refused.code, name).toBe(2);
    }
    // An auth value that is not text is sent as JSON text, as the converter sends other such values.
    const auth = { type: 'bearer', bearer: [{ key: 'token', value: { a: 1 } }] };
    writeFileSync(
      join(dir, 'auth.postman_collection.json'),
      JSON.stringify({ info: { _postman_id: 'a' }, item: [{ name: 'r', request: { ...request, auth } }] }),
    );
    const ran = await runSortie(['run', 'auth.postman_collection.json', '--no-color', '--verbose'], { cwd: dir });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
  });

  it('refuses a file that is not a collection, and malformed JSON, with the place and exit code 2', async () => {
    const notCollection = await runSortie(['import', 'postman', `${POSTMAN}/local.postman_environment.json`, '--out', tempDir()]);
    expect(notCollection.code).toBe(2);
    expectGolden(join(EXPECTED, 'import', 'not-a-collection.err'), notCollection.stderr);
    const malformed = await runSortie(['import', 'postman', `${POSTMAN}/files/malformed.json`, '--out', tempDir()]);
    expect(malformed.code).toBe(2);
    expectGolden(join(EXPECTED, 'import', 'malformed.err'), malformed.stderr);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}
