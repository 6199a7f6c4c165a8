/**
 * Hostile inputs through the built CLI. A path that is not a regular file (a named pipe with no
 * writer, /dev/zero, a symbolic link loop) given as a scenario, data, environment, globals, variables
 * or CA file, an include, or an import's input, used to block for ever (and a SIGTERM then only
 * printed "finishing the current step"): each is refused at once with exit 2 and an error saying what
 * the path is. A folder holding a named pipe runs its scenarios. A stop signal before the command has
 * anything to finish ends it at once. A scenario that includes itself, directly or through another,
 * (even in a branch never taken) is invalid input at the include that closes the cycle: it used to
 * pass `validate` and run to the nesting limit (exit 1). A time past what
 * a Node timer holds (2^31 - 1 ms) used to become 1 ms: --timeout crashed ("internal error"), a
 * request timed out at once, a wait did not wait; such flags are usage errors, such waits and request
 * timeouts in a scenario last as long as written. Inputs a fuzzer found: a regular expression that backtracks
 * without end hung the run (it is stopped after 5 s), `$number.bigInt` and a lone surrogate in a query were internal
 * errors.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { CLI, ensureBuilt, expectGolden, type ListeningServer, normaliseText, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(import.meta.dirname, 'golden', 'hostile');
const hasFifo = process.platform !== 'win32';
const hasProc = existsSync('/proc/self/status');
let work: string;

const write = (name: string, value: unknown) => writeFileSync(join(work, name), typeof value === 'string' ? value : JSON.stringify(value));

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-hostile-'));
  write('ok.json', { name: 'ok', steps: [{ name: 'compute', script: 'const a = 1;' }] });
  write('includes-pipe.json', { name: 'includes a pipe', steps: [{ name: 'in', include: { file: 'pipe.json' } }] });
  write('self.json', { name: 'self', steps: [{ name: 'again', include: { file: 'self.json' } }] });
  write('ping.json', { name: 'ping', steps: [{ name: 'to pong', include: { file: 'pong.json' } }] });
  write('pong.json', { name: 'pong', steps: [{ name: 'to ping', include: { file: 'ping.json' } }] });
  symlinkSync('loop-b', join(work, 'loop-a'));
  symlinkSync('loop-a', join(work, 'loop-b'));
  symlinkSync('loop-a', join(work, 'loop.json'));
  if (hasFifo) {
    for (const name of ['pipe.json', 'pipe.csv', 'pipe.env', 'pipe.yaml']) execFileSync('mkfifo', [join(work, name)]);
    mkdirSync(join(work, 'folder'));
    write('folder/ok.json', { name: 'in a folder', steps: [{ name: 'compute', script: 'const a = 1;' }] });
    execFileSync('mkfifo', [join(work, 'folder', 'pipe.json')]);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[]) => runSortie(args, { cwd: work });

describe('paths that are not regular files', () => {
  it.skipIf(!hasFifo)('a named pipe or a device as any input: exit 2 at once, saying what it is', async () => {
    const started = Date.now();
    const cases = [
      ['run', 'pipe.json'],
      ['run', '/dev/zero'],
      ['validate', 'pipe.json'],
      ['run', 'ok.json', '-d', 'pipe.csv'],
      ['run', 'ok.json', '-e', 'pipe.json'],
      ['run', 'ok.json', '-g', 'pipe.json'],
      ['run', 'ok.json', '--variables-file', 'pipe.env'],
      ['run', 'ok.json', '--ca', 'pipe.json'],
      ['run', 'includes-pipe.json'],
      ['import', 'har', 'pipe.json', '--out', 'out'],
      ['import', 'openapi', 'pipe.yaml', '--out', 'out'],
      ['import', 'postman', 'pipe.json', '--out', 'out'],
      ['run', 'loop.json'],
    ];
    const results = [];
    for (const args of cases) results.push({ args, ...(await run(args)) });
    expect(Date.now() - started).toBeLessThan(60_000);
    for (const result of results) expect(result.code, `${result.args.join(' ')}\n${result.stderr}`).toBe(2);
    expectGolden(
      join(GOLDEN, 'not-regular-files.err'),
      results.map(({ args, stderr }) => `$ sortie ${args.join(' ')}\n${stderr}`).join('---\n'),
    );
  });

  it.skipIf(!hasFifo)('sortie auth with a named pipe as the profile file or the token cache: exit 2 at once', async () => {
    const env = { SORTIE_TOKEN_KEY: 'hostile-inputs-test-key' };
    const results = [
      await runSortie(['auth', 'login', 'api', '-f', 'pipe.json'], { cwd: work, env }),
      await runSortie(['auth', 'status', '--token-cache', 'pipe.json'], { cwd: work, env }),
    ];
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'auth-not-regular-files.err'), results.map((result) => result.stderr.replaceAll(work, 'WORK')).join('---\n'));
  });

  it.skipIf(!hasFifo)('a folder holding a named pipe runs its scenarios', async () => {
    const result = await run(['run', 'folder']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('in a folder');
    expect(result.stdout).toContain('1 passed');
  });
});

describe('reports written to a device or a pipe', () => {
  // Not tested on /dev/null itself: a build with the bug, run as root, would replace it.
  it.skipIf(!hasFifo)('go through it, and it stays what it was (renaming the finished report onto it replaced it)', async () => {
    const pipe = join(work, 'report-pipe');
    execFileSync('mkfifo', [pipe]);
    const received = text(createReadStream(pipe));
    const result = await run(['run', 'ok.json', '-r', 'junit', '--report-junit', 'report-pipe']);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expect(existsSync(`${pipe}.partial`)).toBe(false);
    expect(await received).toContain('<testsuites');
  });
});

describe('stop signals before anything runs', () => {
  it.skipIf(!hasProc)('SIGTERM while `import curl -` waits on its input ends it at once', async () => {
    const child = spawn(process.execPath, [CLI, 'import', 'curl', '-', '--out', 'out'], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (data) => (stderr += data));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    // The CLI reads its input once libuv has made its standard input non-blocking (O_NONBLOCK, 04000 in
    // /proc's fdinfo flags); the input stays open and empty.
    const reading = () => {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${child.pid}/fdinfo/0`, 'utf8'))?.[1] ?? '0';
      return (Number.parseInt(flags, 8) & 0o4000) !== 0;
    };
    while (!reading()) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const outcome = await exited;
    expect(outcome.signal).toBe('SIGTERM');
    expectGolden(join(GOLDEN, 'sigterm-before-start.err'), stderr);
  });
});

describe('a scenario that includes itself', () => {
  it('directly, through another or in a branch never taken: validate and run refuse it (exit 2) at the include that closes the cycle, naming the chain', async () => {
    write(
      'branch.json',
      '{"name":"branch","steps":[{"name":"never","if":{"condition":{"expression":"1 == 2"},"then":[{"name":"to ping","include":{"file":"ping.json"}}]}}]}',
    );
    const results = [];
    for (const command of ['validate', 'run']) {
      for (const file of ['self.json', 'ping.json', 'branch.json']) results.push(await run([command, file]));
    }
    // Both files of a cycle given: the cycle is reported once.
    results.push(await run(['validate', 'ping.json', 'pong.json']));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    for (const result of results) expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'include-cycle.err'), normaliseText(results.map((result) => result.stderr).join('---\n')));
  });
});

describe('times past what a Node timer holds (2^31 - 1 ms)', () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await startServer((_request, response) => {
      setTimeout(() => response.end('late'), 50);
    });
  });
  afterAll(() => server.close());

  it('--timeout, --timeout-request, --teardown-grace and --delay-request above it: exit 2, naming the limit', async () => {
    const flags = ['--timeout', '--timeout-run', '--timeout-request', '--teardown-grace', '--delay-request'];
    const results = [];
    for (const flag of flags) results.push(await run(['run', 'ok.json', flag, '99999999999']));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'timer-limit-flags.err'), results.map((result) => result.stderr).join('---\n'));
  });

  it('a request timeout above it in a scenario is no timeout (it used to time out at once)', async () => {
    write('long-timeout.json', {
      name: 'long timeout',
      options: { timeoutRequest: 99_999_999_999 },
      steps: [{ name: 'slow', request: { url: `${server.url}/`, timeout: 99_999_999_999 } }],
    });
    const result = await run(['run', 'long-timeout.json']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('a wait above it waits (it used to end after 1 ms): the run ends at --timeout', async () => {
    write('long-wait.json', { name: 'long wait', steps: [{ name: 'wait', wait: 99_999_999_999 }] });
    const result = await run(['run', 'long-wait.json', '--timeout', '300']);
    expect(result.code, result.stdout).toBe(1);
    expect(result.stderr).toBe('Timed out: the run took longer than --timeout 300 ms, so it did not pass.\n');
  });
});

describe('empty and dash-led arguments', () => {
  it('an empty argument or option value is a usage error (as a path it named the working folder)', async () => {
    const cases = [
      ['run', ''],
      ['validate', ''],
      ['run', 'ok.json', '--ca', ''],
      ['run', 'ok.json', '--report-html='],
      ['import', 'har', '', '--out', 'out'],
      ['import', 'har', 'ok.json', '--out', ''],
      ['import', 'postman', '', '--out', 'out'],
    ];
    const results = [];
    for (const args of cases) results.push({ args, ...(await run(args)) });
    for (const result of results) expect(result.code, `${result.args.join(' ')}\n${result.stderr}`).toBe(2);
    expectGolden(
      join(GOLDEN, 'empty-arguments.err'),
      results.map(({ args, stderr }) => `$ sortie ${args.map((a) => JSON.stringify(a)).join(' ')}\n${stderr}`).join('---\n'),
    );
  });

  it('a negative number after an option is its value, refused by what the option expects; a dash-led word says how to give it', async () => {
    const long = await run(['run', 'ok.json', '--iterations', '-1']);
    const short = await run(['run', 'ok.json', '-n', '-1']);
    const attached = await run(['run', 'ok.json', '--iterations=-1']);
    const ms = await run(['run', 'ok.json', '--timeout-request', '-.5']);
    const word = await run(['run', 'ok.json', '-n', '-x']);
    const results = [long, short, attached, ms, word];
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    // The same answer however the negative number is written: never a hint to write it attached, refused anyway.
    expect(short.stderr).toContain('-n expects a positive whole number, got "-1"');
    expect(long.stderr).toContain('--iterations expects a positive whole number, got "-1"');
    expectGolden(join(GOLDEN, 'dash-led-values.err'), results.map((result) => result.stderr).join('---\n'));
  });
});

describe('import of malformed inputs', () => {
  it('curl: an unclosed quote says where (never echoing the line, which may hold a token), an empty command, a non-HTTP URL', async () => {
    const cases = ["curl https://api.example/x -H 'Authorization: Bearer s3cr3t-token", '   ', 'curl ftp://files.example/a.txt'];
    const results = [];
    for (const command of cases) results.push(await run(['import', 'curl', command, '--out', 'out']));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    const stderr = results.map((result) => result.stderr).join('---\n');
    expect(stderr).not.toContain('s3cr3t');
    expectGolden(join(GOLDEN, 'import-curl-malformed.err'), stderr);
  });

  it('openapi: a file that is a number, null or empty, or a $ref to an empty file, says so (a number was an internal error)', async () => {
    write('number.yaml', '42\n');
    write('null.yaml', 'null\n');
    write('empty.yaml', '');
    write('empty-part.yaml', '');
    write(
      'refs-empty.yaml',
      'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    get:\n      responses:\n        "200": { $ref: "empty-part.yaml" }\n',
    );
    const results = [];
    for (const file of ['number.yaml', 'null.yaml', 'empty.yaml', 'refs-empty.yaml'])
      results.push(await run(['import', 'openapi', file, '--out', 'out']));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'import-openapi-not-objects.err'), results.map((result) => result.stderr).join('---\n'));
  });

  it.skipIf(!hasFifo)('openapi: a $ref to a named pipe or a missing file says why it cannot be read (a pipe hung)', async () => {
    const refTo = (target: string) =>
      `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    get:\n      responses:\n        "200": { $ref: "${target}" }\n`;
    write('refs-pipe.yaml', refTo('pipe.yaml'));
    write('refs-missing.yaml', refTo('missing.yaml'));
    const results = [
      await run(['import', 'openapi', 'refs-pipe.yaml', '--out', 'out']),
      await run(['import', 'openapi', 'refs-missing.yaml', '--out', 'out']),
    ];
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'import-openapi-unreadable-refs.err'), results.map((result) => result.stderr).join('---\n'));
  });

  it('har: a null header, cookie or form field is located (it was an internal error); a data: URL entry is skipped with a note', async () => {
    const har = (request: Record<string, unknown>) =>
      JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://api.example/x', ...request } }] } });
    write('null-header.har', har({ headers: [null] }));
    write('null-cookie.har', har({ headers: [], cookies: [null] }));
    write(
      'null-param.har',
      har({ method: 'POST', headers: [], postData: { mimeType: 'application/x-www-form-urlencoded', params: [null] } }),
    );
    const results = [];
    for (const file of ['null-header.har', 'null-cookie.har', 'null-param.har'])
      results.push(await run(['import', 'har', file, '--out', 'out']));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'import-har-null-items.err'), results.map((result) => result.stderr).join('---\n'));
    write(
      'with-data-url.har',
      JSON.stringify({
        log: {
          entries: [
            { request: { method: 'GET', url: 'data:image/png;base64,AAAA', headers: [] } },
            { request: { method: 'GET', url: 'https://api.example/items', headers: [{ name: 'Accept', value: 'application/json' }] } },
          ],
        },
      }),
    );
    const imported = await run(['import', 'har', 'with-data-url.har', '--out', 'har-out', '--format', 'json']);
    expect(imported.code, imported.stderr).toBe(0);
    expectGolden(join(GOLDEN, 'import-har-data-url.out'), imported.stdout);
    const scenario = JSON.parse(readFileSync(join(work, 'har-out', 'scenarios', 'with-data-url.json'), 'utf8')) as { steps: unknown[] };
    expect(scenario.steps).toHaveLength(1);
  });

  it('postman: a v3 collection folder with a dangling symbolic link names it (it was an internal error)', async () => {
    mkdirSync(join(work, 'v3'));
    mkdirSync(join(work, 'v3', '.resources'));
    write('v3/.resources/definition.yaml', '$kind: collection\nname: linked\n');
    write('v3/ok.request.yaml', '$kind: http-request\nurl: https://api.example/x\nmethod: GET\n');
    symlinkSync('nowhere', join(work, 'v3', 'gone.request.yaml'));
    const result = await run(['import', 'postman', 'v3', '--out', 'out']);
    expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'postman-v3-dangling-link.err'), result.stderr);
  });
});

describe('init and import where their files cannot be written', () => {
  it('a file where the folder should be, a folder where a file should be, /proc: exit 2 naming the path (they were internal errors)', async () => {
    write('capture.har', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://api.example/x', headers: [] } }] } }));
    mkdirSync(join(work, 'taken'));
    mkdirSync(join(work, 'taken', 'sortie.config.json'));
    const cases = [
      ['init', 'ok.json', '--yes'],
      ['init', 'taken', '--yes', '--force'],
      ['import', 'har', 'capture.har', '--out', 'ok.json'],
      ...(hasProc ? [['import', 'har', 'capture.har', '--out', '/proc/sortie-no-such']] : []),
    ];
    const results = [];
    for (const args of cases) results.push({ args, ...(await run(args)) });
    for (const result of results) expect(result.code, `${result.args.join(' ')}\n${result.stderr}`).toBe(2);
    expectGolden(
      join(GOLDEN, 'cannot-write-outputs.err'),
      results.map(({ args, stderr }) => `$ sortie ${args.join(' ')}\n${stderr}`).join('---\n'),
    );
  });

  it.skipIf(!hasFifo)('init with a named pipe as .gitignore: exit 2 before writing anything (it hung after writing)', async () => {
    mkdirSync(join(work, 'piped'));
    execFileSync('mkfifo', [join(work, 'piped', '.gitignore')]);
    const result = await run(['init', 'piped', '--yes']);
    expect(result.code, result.stderr).toBe(2);
    expect(readdirSync(join(work, 'piped'))).toEqual(['.gitignore']);
    expectGolden(join(GOLDEN, 'init-gitignore-pipe.err'), result.stderr);
  });
});

describe('a Postman collection of the wrong shape', () => {
  it('a null item, a folder whose item is not a list, a null url, a variable that is not a list, a script that is not text, a method that is not one, a header key or value that is an object: exit 2 with the place (they were internal errors, the folder was dropped silently)', async () => {
    const collection = (item: unknown) =>
      JSON.stringify(
        { info: { name: 'shapes', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [item] },
        null,
        2,
      );
    write('null-item.postman_collection.json', collection(null));
    write('folder-item.postman_collection.json', collection({ name: 'folder', item: 'requests' }));
    write('null-url.postman_collection.json', collection({ name: 'get', request: { method: 'GET', url: null } }));
    // Found by a fuzzer: these were internal errors (TypeError, or "converts into an invalid file", exit 1).
    const withCollection = (fields: Record<string, unknown>, item: unknown) =>
      JSON.stringify(
        {
          info: { name: 'shapes', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
          ...fields,
          item: [item],
        },
        null,
        2,
      );
    const request = { name: 'get', request: { method: 'GET', url: 'http://127.0.0.1:9/x' } };
    // (An "event" written as one object runs, as Newman's collection SDK reads it: runner/test/postman.test.ts.)
    write('exec-number.postman_collection.json', withCollection({}, { ...request, event: [{ listen: 'test', script: { exec: 42 } }] }));
    write('variable-object.postman_collection.json', withCollection({ variable: { key: 'a', value: '1' } }, request));
    write(
      'bad-method.postman_collection.json',
      withCollection({}, { name: 'get', request: { method: 'G E T', url: 'http://127.0.0.1:9/x' } }),
    );
    const header = (entry: unknown) => ({ name: 'get', request: { method: 'GET', url: 'http://127.0.0.1:9/x', header: [entry] } });
    write('header-value-object.postman_collection.json', withCollection({}, header({ key: 'X-A', value: { a: 1 } })));
    write('header-key-object.postman_collection.json', withCollection({}, header({ key: { a: 1 }, value: 'v' })));
    const results = [];
    const files = [
      'null-item',
      'folder-item',
      'null-url',
      'exec-number',
      'variable-object',
      'bad-method',
      'header-value-object',
      'header-key-object',
    ];
    for (const file of files) results.push(await run(['run', `${file}.postman_collection.json`]));
    results.push(await run(['import', 'postman', 'null-url.postman_collection.json', '--out', 'out']));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'postman-wrong-shape.err'), results.map((result) => result.stderr).join('---\n'));
  });
});

describe('Postman variables typed secret whose key or value is an object', () => {
  it('validate (a collection or environment exported so was an internal error: String() of an object parsed from JSON); an environment key that is not text is located', async () => {
    const info = { name: 'secrets', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' };
    const variable = [
      { key: 'k', value: { a: 1 }, type: 'secret' },
      { key: { a: 1 }, value: 's', type: 'secret' },
    ];
    write('object-secrets.postman_collection.json', { info, variable, item: [{ name: 'get', request: 'http://127.0.0.1:9/x' }] });
    write('object-secrets.postman_environment.json', {
      id: 'e',
      name: 'secrets',
      _postman_variable_scope: 'environment',
      values: [{ key: { a: 1 }, value: 's', type: 'secret', enabled: true }],
    });
    const collection = await run(['validate', 'object-secrets.postman_collection.json']);
    const environment = await run(['validate', 'ok.json', '-e', 'object-secrets.postman_environment.json']);
    expect(collection.code, collection.stderr).toBe(0);
    expect(collection.stderr).toBe('');
    // An environment's variable key must be text: refused where it is (exit 2), no longer read as "[object Object]".
    expect(environment.code, environment.stderr).toBe(2);
    expect(environment.stderr).toContain('object-secrets.postman_environment.json:1:85  $.values[0].key');
    expect(environment.stderr).toContain('"key" must be text');
  });
});

describe('a Postman environment secret named like a built-in property', () => {
  let server: ListeningServer;
  const received: Array<string | undefined> = [];
  beforeAll(async () => {
    server = await startServer((request, response) => {
      received.push(request.headers['x-key'] as string | undefined);
      response.end('ok');
    });
  });
  afterAll(() => server.close());

  it('sends its value (a secret "constructor" was taken as already known and never set: Missing secret)', async () => {
    write('builtin-secret.postman_environment.json', {
      id: 'e',
      name: 'builtin',
      _postman_variable_scope: 'environment',
      values: [{ key: 'constructor', value: 'k-123', type: 'secret', enabled: true }],
    });
    write('builtin-secret.json', {
      name: 'builtin secret',
      steps: [{ name: 'get', request: { url: `${server.url}/`, headers: { 'X-Key': '{{constructor}}' } } }],
    });
    const result = await run(['run', 'builtin-secret.json', '-e', 'builtin-secret.postman_environment.json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(received).toEqual(['k-123']);
    expect(result.stdout).not.toContain('k-123');
  });
});

describe('text encodings', () => {
  it('a UTF-16 scenario, environment or data file says so (a CSV one ran with garbled column names); a UTF-8 BOM is fine', async () => {
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    writeFileSync(join(work, 'utf16.yaml'), utf16('name: utf16\nsteps: []\n'));
    writeFileSync(join(work, 'utf16-env.json'), utf16('{ "variables": { "a": "1" } }'));
    writeFileSync(join(work, 'utf16.csv'), utf16('user,id\r\nann,1\r\n'));
    writeFileSync(
      join(work, 'bom.json'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ name: 'bom', steps: [] }))]),
    );
    const results = [
      await run(['run', 'utf16.yaml']),
      await run(['run', 'ok.json', '-e', 'utf16-env.json']),
      await run(['run', 'ok.json', '-d', 'utf16.csv']),
    ];
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'utf16-inputs.err'), results.map((result) => result.stderr).join('---\n'));
    const bom = await run(['validate', 'bom.json']);
    expect(bom.code, bom.stderr).toBe(0);
  });

  it('a Windows-1252 scenario or environment is refused at the first byte that is not UTF-8 (it ran, "café" sent as "caf\uFFFD")', async () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    writeFileSync(join(work, 'cp1252.yaml'), latin1('name: cp1252\nsteps:\n  - name: café\n    script: "const a = 1;"\n'));
    writeFileSync(join(work, 'cp1252-env.json'), latin1('{\n  "variables": {\n    "city": "Zürich"\n  }\n}\n'));
    const results = [await run(['validate', 'cp1252.yaml']), await run(['run', 'ok.json', '-e', 'cp1252-env.json'])];
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'cp1252-inputs.err'), results.map((result) => result.stderr).join('---\n'));
  });
});

describe('sortie scripts test with a broken library', () => {
  it('a manifest that is a named pipe, not JSON, or holds a null script: exit 2 saying which (a pipe hung, a null script was an internal error)', async () => {
    mkdirSync(join(work, 'library'));
    const manifest = join(work, 'library', 'sortie-library.json');
    const results = [];
    if (hasFifo) {
      execFileSync('mkfifo', [manifest]);
      results.push(await run(['scripts', 'test', 'library']));
      rmSync(manifest);
    }
    writeFileSync(manifest, '{ "name": "library", ');
    results.push(await run(['scripts', 'test', 'library']));
    writeFileSync(manifest, JSON.stringify({ name: 'library', version: '1.0.0', scripts: { broken: null } }));
    results.push(await run(['scripts', 'test', 'library']));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expectGolden(
      join(GOLDEN, hasFifo ? 'scripts-test-broken.err' : 'scripts-test-broken-no-fifo.err'),
      results.map((result) => result.stderr).join('---\n'),
    );
  });
});

describe('inputs a fuzzer found', () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await startServer((request, response) => {
      response.setHeader('content-type', 'text/plain');
      response.end(request.url?.startsWith('/aaa') ? `${'a'.repeat(40)}!` : (request.url ?? ''));
    });
  });
  afterAll(() => server.close());

  it('catastrophic regular expressions no longer hang: the linear-time engine of V8 takes over those it can run, a backreference is stopped after 5 s; $number.bigInt and a lone surrogate in a query run (they hung, or were internal errors)', async () => {
    const scenario = {
      name: 'fuzzed',
      options: { onError: 'continue' },
      steps: [
        {
          name: 'backtracking',
          request: { url: `${server.url}/aaa` },
          // The first two backtrack exponentially on "aaa…!" and end at once in the linear engine (the
          // second matches the empty end); the third has a backreference, which only backtracking runs.
          post: [
            { assert: { regex: { pattern: '(a+)+$', exists: true } } },
            { assert: { body: { matches: '(a|a)*$' } } },
            { assert: { body: { matches: '(a+)+\\1$' } } },
          ],
        },
        {
          name: 'big integer',
          request: { url: `${server.url}/big`, query: { n: '{{$number.bigInt(min=12345678901234567890, max=12345678901234567890)}}' } },
          post: [{ assert: { body: { equals: '/big?n=12345678901234567168' } } }],
        },
        { name: 'lone surrogate', request: { url: `${server.url}/q`, query: { '\ud800': '\udfff' } } },
      ],
    };
    write('fuzzed.json', JSON.stringify(scenario, null, 2));
    // One pattern waits out the 5 s limit (the golden says so); the two the linear engine runs take no time.
    // A hang would meet the test's own 60 s limit; the run is not timed here (a loaded CI machine is slow).
    const result = await run(['run', 'fuzzed.json', '-r', 'cli,json', '--report-json', 'fuzzed-report.json']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(readFileSync(join(work, 'fuzzed-report.json'), 'utf8')).totals).toMatchObject({ steps: 3, passed: 2, failed: 1 });
    expectGolden(join(GOLDEN, 'fuzzed-inputs.out'), normaliseText(result.stdout, server.port));
  }, 60_000);
});

describe('variables named __proto__, constructor and toString', () => {
  it('from --env-var, --global-var, a CSV column and --variables-file are defined (__proto__ was dropped: "not defined")', async () => {
    write(
      'proto-names.yaml',
      'name: proto names\nsteps:\n  - name: get\n    request:\n      url: http://127.0.0.1:9/{{__proto__}}/{{constructor}}/{{toString}}\n',
    );
    write('proto-names.csv', '__proto__,constructor,toString\nP1,C1,T1\n');
    const flags = await run([
      'run',
      'proto-names.yaml',
      '--env-var',
      '__proto__=P0',
      '--global-var',
      'constructor=C0',
      '--env-var',
      'toString=T0',
      '--export-environment',
      'proto-names.env.json',
      '--no-color',
    ]);
    expect(flags.stdout).toContain('GET http://127.0.0.1:9/P0/C0/T0');
    // The export dropped __proto__ too (assigned to the object it wrote).
    expect(JSON.parse(readFileSync(join(work, 'proto-names.env.json'), 'utf8')).variables).toEqual(
      Object.fromEntries([
        ['__proto__', 'P0'],
        ['toString', 'T0'],
      ]),
    );
    const csv = await run(['run', 'proto-names.yaml', '-d', 'proto-names.csv', '--no-color']);
    expect(csv.stdout).toContain('GET http://127.0.0.1:9/P1/C1/T1');
    // --variables-file (the .env syntax) dropped __proto__: its parser and the merge of files assigned it.
    write('proto-names.env', '__proto__=V1\nconstructor=V2\ntoString=V3\n');
    const file = await run(['run', 'proto-names.yaml', '--variables-file', 'proto-names.env', '--no-color']);
    expect(file.stdout).toContain('GET http://127.0.0.1:9/V1/V2/V3');
    for (const result of [flags, csv, file]) {
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('Unresolved variable');
    }
  });
});
