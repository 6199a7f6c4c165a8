/**
 * The flags users bring from Newman and Hurl, each through the real CLI against fixture servers whose
 * routes check what they received: selection (--grep, --tag), pacing and limits (--delay-request,
 * --timeout, --timeout-script, --retry), HTTP (--ignore-redirects, --proxy, cookie jar files, client
 * certificates), variables, output (--silent, -q, --json, --color), report files and -x; usage errors
 * with "did you mean" in every command. What a user reads is compared with golden files.
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, goldenIn, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type ForwardProxy, type MtlsServer, startForwardProxy, startMtlsServer } from '../../fixtures/src/http-extras/index.js';

const golden = goldenIn(join(import.meta.dirname, 'golden', 'flags'));
const TLS = join(ROOT, 'fixtures', 'tls');
let api: FixtureServer;
let mtls: MtlsServer;
let proxy: ForwardProxy;
let work: string;

beforeAll(async () => {
  ensureBuilt();
  [api, mtls, proxy] = await Promise.all([startFixtureServer(), startMtlsServer(), startForwardProxy({ loopback: true })]);
  work = mkdtempSync(join(tmpdir(), 'sortie-flags-'));
});
afterAll(async () => {
  await Promise.all([api.close(), mtls.close(), proxy.close()]);
  rmSync(work, { recursive: true, force: true });
});

function write(name: string, value: unknown): string {
  const file = join(work, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

const status = (equals: number) => ({ assert: { status: { equals } } });
const check = (path: string, equals: unknown) => ({ assert: { jsonpath: { path, equals } } });
const get = (name: string, url: string, post: unknown[] = [status(200)], extra: Record<string, unknown> = {}) => ({
  name,
  request: { url },
  post,
  ...extra,
});
const text = (outcome: { stdout: string }) => normaliseText(outcome.stdout, api.port).replaceAll(work, 'WORK');

describe('usage errors', () => {
  it.each([
    ['misspelt-command', ['rnu', 'x.json']],
    ['misspelt-option', ['run', 'x.json', '--retyr', '2']],
    ['misspelt-short-option', ['run', 'x.json', '-z']],
    ['misspelt-auth-action', ['auth', 'logn', 'p']],
    ['misspelt-auth-option', ['auth', 'status', '--toke-cache', 'x']],
    ['misspelt-scripts-action', ['scripts', 'lsit']],
    ['misspelt-agent-option', ['agent', '--concurency', '2']],
    ['missing-value', ['run', 'x.json', '--timeout']],
    ['bad-color', ['run', 'x.json', '--color=maybe']],
    // A word after --color was taken as a scenario path: "File not found: no such file or folder: maybe".
    ['bad-color-word', ['run', '--color', 'maybe', 'x.json']],
    ['bad-color-word-validate', ['validate', '--color', 'yes', 'x.json']],
    // "constructor" is a property of every object: it passed as a color word and crashed the plan loading.
    ['bad-color-inherited-name', ['run', 'x.json', '--color=constructor']],
    ['bad-tag', ['run', 'x.json', '--tag', 'a b']],
    ['bad-grep', ['run', 'x.json', '--grep', '(']],
    ['bad-retry', ['run', 'x.json', '--retry', 'many']],
    ['bad-delay', ['run', 'x.json', '--delay-request=-5']],
    ['bad-proxy', ['run', 'x.json', '--proxy', 'user:secret@nowhere']],
    ['key-without-cert', ['run', 'x.json', '--ssl-client-key', 'k.pem']],
    ['silent-and-quiet', ['run', 'x.json', '--silent', '-q']],
    ['silent-and-json', ['run', 'x.json', '--json', '--silent']],
    ['verbose-and-quiet', ['run', 'x.json', '--verbose', '-q']],
    ['verbose-and-silent', ['run', 'x.json', '--silent', '--verbose']],
    ['verbose-and-json', ['run', 'x.json', '--verbose', '--json']],
    ['local-flag-with-remote', ['run', 'x.json', '--remote', 'http://127.0.0.1:1', '--proxy', 'http://127.0.0.1:2']],
    ['remote-bad-port', ['run', 'x.json', '--remote', 'http://127.0.0.1:6000', '--token', 't']],
    ['schedule-bad-port', ['server', 'schedule', 'list', '--remote', 'http://localhost:10080', '--token', 't']],
    ['misspelt-init-option', ['init', '--yse']],
    ['misspelt-import-option', ['import', 'postman', 'x.json', '--outt', 'd']],
    ['misspelt-import-openapi-option', ['import', 'openapi', 'x.yaml', '--ot', 'd']],
    ['import-missing-value', ['import', 'postman', 'x.json', '--out']],
    ['import-empty-out', ['import', 'postman', 'x.json', '--out', '']],
    ['schedule-missing-value', ['server', 'schedule', 'create', '--name', 'n', '--cron']],
    ['newman-reporter-option', ['run', 'x.json', '-r', 'cli,junit', '--reporter-junit-export', 'out.xml']],
    ['newman-disable-unicode', ['run', 'x.json', '--disable-unicode']],
    // Newman's --bail takes modifiers; here "failure" was read as a scenario file: "File not found: failure".
    ['newman-bail-modifier', ['run', 'x.json', '--bail', 'failure']],
    ['newman-and-sortie-name', ['run', 'x.json', '-e', 'a.json', '--environment', 'b.json']],
    // sortie validate took every option of sortie run and ignored it, unchecked (--env-var noeq too).
    ['validate-run-option', ['validate', 'x.json', '--env-var', 'noeq']],
    ['validate-run-options', ['validate', 'x.json', '--bail', '-r', 'junit', '--out-dir', 'd']],
  ])('%s: exit code 2 and a clear message', async (name, args) => {
    const outcome = await runSortie(args);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).not.toContain('secret');
    golden(`${name}.err`, outcome.stderr);
  });

  it('refuses a report or export path that cannot be written before the run, not after it (the results were lost)', async () => {
    const file = write('unwritable.json', { name: 'unwritable', steps: [get('ok', `${api.url}/echo`)] });
    const notes = write('notes.txt', 'not a folder');
    const cases: Array<[string[], string]> = [
      [['--report-html', work], `--report-html would write ${work}, which is a folder`],
      [['-r', 'junit', '--out-dir', notes], `--out-dir (-r junit) would write ${join(notes, 'junit.xml')}, but ${notes} is not a folder`],
      [['--report-json', join(notes, 'r.json')], `--report-json would write ${join(notes, 'r.json')}, but ${notes} is not a folder`],
      [
        ['--export-environment', '/dev/null/x/env.json'],
        '--export-environment would write /dev/null/x/env.json, but /dev/null is not a folder',
      ],
      [['--export-globals', work], `--export-globals would write ${work}, which is a folder`],
      [
        ['--export-cookie-jar', join(notes, 'jar.txt')],
        `--export-cookie-jar would write ${join(notes, 'jar.txt')}, but ${notes} is not a folder`,
      ],
    ];
    for (const [flags, message] of cases) {
      const outcome = await runSortie(['run', file, '--no-color', ...flags]);
      expect({ flags, code: outcome.code, stdout: outcome.stdout, stderr: outcome.stderr.split('\n')[0] }).toEqual({
        flags,
        code: 2,
        stdout: '',
        stderr: `error: Usage error: ${message}`,
      });
    }
    // Missing folders are made, as before.
    const made = await runSortie(['run', file, '--no-color', '--report-json', join(work, 'new', 'sub', 'r.json')]);
    expect(made.code).toBe(0);
    expect(existsSync(join(work, 'new', 'sub', 'r.json'))).toBe(true);
  });

  it('accepts the shared flags in every command (auth status --no-color, --color auto)', async () => {
    const cache = join(work, 'no-tokens.json');
    const auth = await runSortie(['auth', 'status', '--no-color', '--token-cache', cache]);
    expect(auth.stderr).toBe('');
    expect(auth.code).toBe(0);
    const scripts = await runSortie(['scripts', 'list', '--color', 'off'], { cwd: work });
    expect(scripts.code).toBe(0);
    const file = write('color.json', { name: 'color', steps: [get('ok', `${api.url}/echo`)] });
    for (const form of [['--color', 'auto'], ['--color=off'], ['--no-color']]) {
      const outcome = await runSortie(['run', file, ...form]);
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).not.toContain('\u001b[');
    }
    const forced = await runSortie(['run', file, '--color', 'on']);
    expect(forced.stdout).toContain('\u001b[32m✓');
    // The words in any case, and a file right after a bare --color stays a file.
    const upper = await runSortie(['run', '--color', 'ALWAYS', file]);
    expect(upper.code).toBe(0);
    expect(upper.stdout).toContain('\u001b[32m✓');
    const fileAfter = await runSortie(['run', '--color', file]);
    expect(fileAfter.code).toBe(0);
    expect(fileAfter.stdout).toContain('\u001b[32m✓');
    // init and import too: the top-level help says every command takes them.
    const init = await runSortie(['init', join(work, 'init-no-color'), '--yes', '--no-color']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const collection = join(ROOT, 'fixtures', 'postman', 'features.postman_collection.json');
    const imported = await runSortie(['import', 'postman', collection, '--out', join(work, 'import-color'), '--color', 'off']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
  });
});

describe("Newman's long option names", () => {
  it('--environment, --iteration-count and --ssl-extra-ca-certs are -e, -n and --ca', async () => {
    const environment = write('newman-names.postman_environment.json', {
      name: 'newman names',
      values: [{ key: 'base', value: api.url, enabled: true }],
      _postman_variable_scope: 'environment',
    });
    const file = write('newman-names.json', { name: 'newman names', steps: [get('ok', '{{base}}/echo')] });
    const outcome = await runSortie(['run', file, '--environment', environment, '--iteration-count', '2']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('Requests    2');
    const validated = await runSortie(['validate', file, '--environment', environment]);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain('newman-names.postman_environment.json');
    // A mutual-TLS server of its own (the shared one counts its clients), trusted through --ssl-extra-ca-certs.
    const own = await startMtlsServer();
    onTestFinished(() => own.close());
    const mutual = write('newman-ca.json', {
      name: 'ca',
      steps: [get('mutual TLS', `${own.url}/who`, [check('$.client', 'sortie-test-client')])],
    });
    const cert = ['--ssl-client-cert', join(TLS, 'client.pem'), '--ssl-client-key', join(TLS, 'client-key.pem')];
    expect((await runSortie(['run', mutual, ...cert])).code).toBe(1);
    const trusted = await runSortie(['run', mutual, ...cert, '--ssl-extra-ca-certs', join(TLS, 'ca.pem')]);
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);
  });
});

describe('selection', () => {
  it('--grep runs the scenarios whose name or file matches, case-insensitively', async () => {
    const a = write('grep-login.json', { name: 'Login flow', steps: [get('login', `${api.url}/echo/login`)] });
    const b = write('grep-items.json', { name: 'Items', steps: [get('items', `${api.url}/echo/items`)] });
    const byName = await runSortie(['run', a, b, '--grep', 'LOGIN']);
    expect(byName.code).toBe(0);
    golden('grep.out', text(byName));
    const byFile = await runSortie(['run', a, b, '--grep', 'grep-items']);
    expect(byFile.stdout).toContain('▶ Items');
    expect(byFile.stdout).not.toContain('Login flow');
    const none = await runSortie(['run', a, b, '--grep', 'nothing-like-this']);
    expect(none.code).toBe(2);
    golden('grep-none.err', none.stderr);
  });

  it('--tag runs tagged scenarios and steps, untagged steps of them, and leaves other tags out', async () => {
    const tagged = write('tags.json', {
      name: 'Tagged',
      steps: [
        get('set up', `${api.url}/echo/setup`),
        get('smoke check', `${api.url}/echo/smoke`, [status(200)], { tags: ['smoke'] }),
        get('slow check', `${api.url}/status/500`, [status(200)], { tags: ['slow'] }),
        {
          name: 'smoke group',
          tags: ['smoke'],
          group: { steps: [get('inside smoke group, tagged slow', `${api.url}/echo/inherited`, [status(200)], { tags: ['slow'] })] },
        },
      ],
    });
    const other = write('tags-other.json', { name: 'Untagged', steps: [get('untagged', `${api.url}/status/500`)] });
    const whole = write('tags-whole.json', {
      name: 'Whole scenario',
      tags: ['smoke'],
      steps: [get('any', `${api.url}/echo/whole`, [status(200)], { tags: ['slow'] })],
    });
    const outcome = await runSortie(['run', tagged, other, whole, '--tag', 'smoke']);
    expect(outcome.code).toBe(0);
    golden('tag.out', text(outcome));
    // Two tags: either selects.
    const both = await runSortie(['run', tagged, '--tag', 'nope', '--tag', 'slow', '-q']);
    expect(both.code).toBe(1);
    expect(both.stdout).toContain('slow check');
  });

  it('--tag reaches the steps of an included file, and a selected include step runs all of them', async () => {
    write('tags-included.json', {
      name: 'Included',
      steps: [
        get('included untagged', `${api.url}/echo/included-untagged`),
        get('included smoke', `${api.url}/echo/included-smoke`, [status(200)], { tags: ['smoke'] }),
        get('included slow', `${api.url}/status/500`, [status(200)], { tags: ['slow'] }),
      ],
    });
    const file = write('tags-include.json', {
      name: 'Includes',
      steps: [
        get('smoke first', `${api.url}/echo/first`, [status(200)], { tags: ['smoke'] }),
        { name: 'plain include', include: { file: 'tags-included.json' } },
      ],
    });
    const outcome = await runSortie(['run', file, '--tag', 'smoke']);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('included untagged');
    expect(outcome.stdout).toContain('included smoke');
    // The slow step of the included file is left out (it would fail: /status/500).
    expect(outcome.stdout).not.toContain('included slow');
    // An include step tagged smoke selects everything inside it, slow step included.
    const selected = write('tags-include-selected.json', {
      name: 'Selected include',
      steps: [{ name: 'smoke include', tags: ['smoke'], include: { file: 'tags-included.json' } }],
    });
    const inside = await runSortie(['run', selected, '--tag', 'smoke']);
    expect(inside.code).toBe(1);
    expect(inside.stdout).toContain('included slow');
  });
});

describe('pacing and limits', () => {
  it('--delay-request waits between requests (the route refuses requests closer than 250 ms)', async () => {
    const file = write('pace.json', {
      name: 'pace',
      steps: [get('first', `${api.url}/pace/{{key}}?min=250`), get('second', `${api.url}/pace/{{key}}?min=250`)],
    });
    const without = await runSortie(['run', file, '--variable', 'key=a', '-q']);
    expect(without.code).toBe(1);
    expect(without.stdout).toContain('expected status to equal 200 but was 400');
    const paced = await runSortie(['run', file, '--variable', 'key=b', '--delay-request', '300']);
    expect(paced.code).toBe(0);
  });

  it('--timeout stops the whole run, which does not pass', async () => {
    const file = write('timeout.json', {
      name: 'timeout',
      steps: [get('slow', `${api.url}/slow?ms=20000`), get('never', `${api.url}/echo`)],
    });
    const outcome = await runSortie(['run', file, '--timeout', '500']);
    expect(outcome.code).toBe(1);
    golden('timeout.err', outcome.stderr);
    golden('timeout.out', text(outcome));
  });

  it('--timeout-script stops a script that runs too long', async () => {
    const file = write('script-timeout.json', { name: 'script timeout', steps: [{ name: 'spin', script: 'while (true) {}' }] });
    const outcome = await runSortie(['run', file, '--timeout-script', '200']);
    expect(outcome.code).toBe(1);
    golden('timeout-script.out', text(outcome));
  });

  it('--retry retries a request the server answers with 503 (the route fails twice per key)', async () => {
    const file = write('retry.json', { name: 'retry', steps: [get('flaky', `${api.url}/flaky/{{key}}?fail=2`)] });
    const without = await runSortie(['run', file, '--variable', 'key=r1']);
    expect(without.code).toBe(1);
    const retried = await runSortie(['run', file, '--variable', 'key=r2', '--retry', '2']);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('(3 attempts');
  });

  it('-x exits 0 for a failed run, and invalid input still exits 2', async () => {
    const file = write('fails.json', { name: 'fails', steps: [get('500', `${api.url}/status/500`)] });
    expect((await runSortie(['run', file, '-x'])).code).toBe(0);
    expect((await runSortie(['run', join(work, 'missing.json'), '--suppress-exit-code'])).code).toBe(2);
  });
});

describe('HTTP', () => {
  it('--ignore-redirects answers with the redirect itself', async () => {
    const file = write('redirect.json', {
      name: 'redirect',
      steps: [get('one hop', `${api.url}/redirect/1`, [status(302), { assert: { header: { name: 'location', equals: '/redirect/0' } } }])],
    });
    expect((await runSortie(['run', file, '--ignore-redirects'])).code).toBe(0);
    expect((await runSortie(['run', file])).code).toBe(1);
  });

  it('--proxy sends every request through the proxy, its password never printed', async () => {
    const file = write('proxy.json', {
      name: 'proxy',
      steps: [get('via proxy', `${api.url}/echo/proxied`, [check('$.path', '/echo/proxied')])],
    });
    const before = proxy.exchanges.length;
    const proxyUrl = proxy.url.replace('http://', 'http://user:pr0xy-pa55@');
    const outcome = await runSortie(['run', file, '--proxy', proxyUrl, '--verbose']);
    expect(outcome.code).toBe(0);
    expect(proxy.exchanges.slice(before).map((e) => e.target)).toEqual([`${api.url}/echo/proxied`]);
    expect(outcome.stdout + outcome.stderr).not.toContain('pr0xy-pa55');
  });

  it('--ssl-client-cert / --ssl-client-key present a client certificate; an encrypted key takes --ssl-client-passphrase', async () => {
    const file = write('mtls.json', {
      name: 'mtls',
      steps: [get('mutual TLS', `${mtls.url}/who`, [check('$.client', 'sortie-test-client')])],
    });
    const ca = ['--ca', join(TLS, 'ca.pem')];
    const refused = await runSortie(['run', file, ...ca]);
    expect(refused.code).toBe(1);
    const pem = await runSortie([
      'run',
      file,
      ...ca,
      '--ssl-client-cert',
      join(TLS, 'client.pem'),
      '--ssl-client-key',
      join(TLS, 'client-key.pem'),
    ]);
    expect(pem.code).toBe(0);
    const p12 = await runSortie([
      'run',
      file,
      ...ca,
      '--ssl-client-cert',
      join(TLS, 'client.p12'),
      '--ssl-client-passphrase',
      'sortie-test',
    ]);
    expect(p12.code).toBe(0);
    // An encrypted PEM key, made here from the fixture key.
    const encrypted = createPrivateKey(readFileSync(join(TLS, 'client-key.pem'))).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'k3y-pa55phrase',
    });
    const keyFile = write('client-key-encrypted.pem', encrypted.toString());
    const cert = ['--ssl-client-cert', join(TLS, 'client.pem'), '--ssl-client-key', keyFile];
    const good = await runSortie(['run', file, ...ca, ...cert, '--ssl-client-passphrase', 'k3y-pa55phrase']);
    expect(good.code).toBe(0);
    const wrong = await runSortie(['run', file, ...ca, ...cert, '--ssl-client-passphrase', 'not-the-pa55phrase', '--verbose']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).not.toContain('not-the-pa55phrase');
    expect(mtls.clients.filter((cn) => cn === 'sortie-test-client')).toHaveLength(3);
  });

  it('--cookie-jar loads a Netscape cookie file; --export-cookie-jar writes the jar after the run', async () => {
    const jar = write(
      'cookies-in.txt',
      [
        '# Netscape HTTP Cookie File',
        '127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc123',
        '#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t4102444800\ttheme\tdark',
        '127.0.0.1\tFALSE\t/\tFALSE\t946684800\texpired\tgone',
        '',
      ].join('\n'),
    );
    const file = write('cookies.json', {
      name: 'cookies',
      steps: [
        get('sends the loaded cookies', `${api.url}/cookies/check?session=abc123&theme=dark`),
        get('no expired cookie', `${api.url}/cookies`, [check('$.cookies', { session: 'abc123', theme: 'dark' })]),
        get('the server sets one', `${api.url}/cookies/set?added=yes`),
      ],
    });
    const out = join(work, 'cookies-out.txt');
    const outcome = await runSortie(['run', file, '--cookie-jar', jar, '--export-cookie-jar', out]);
    expect(outcome.stdout).toContain('PASSED');
    expect(outcome.code).toBe(0);
    golden('cookies-out.txt', readFileSync(out, 'utf8'));
    // Without the jar the server sees no cookie.
    expect((await runSortie(['run', file])).code).toBe(1);
    const bad = write('cookies-bad.txt', '127.0.0.1 FALSE / FALSE 0 a b\n');
    const invalid = await runSortie(['run', file, '--cookie-jar', bad]);
    expect(invalid.code).toBe(2);
    golden('cookies-bad.err', invalid.stderr.replaceAll(work, 'WORK'));
  });
});

describe('variables, output and reports', () => {
  it('--variable and --variables-file set environment variables (--variable wins)', async () => {
    const vars = write('vars.env', 'who=file\nwhat=from-file\n');
    const file = write('vars.json', {
      name: 'vars',
      steps: [get('echo', `${api.url}/echo?who={{who}}&what={{what}}`, [check('$.query.who', 'flag'), check('$.query.what', 'from-file')])],
    });
    const outcome = await runSortie(['run', file, '--variables-file', vars, '--variable', 'who=flag']);
    expect(outcome.code).toBe(0);
  });

  it('--env-var and --variable of one name: the later one wins, whichever name it has', async () => {
    const file = write('both-names.json', {
      name: 'both names',
      steps: [get('echo', `${api.url}/echo?who={{who}}`, [check('$.query.who', 'later')])],
    });
    for (const args of [
      ['--variable', 'who=earlier', '--env-var', 'who=later'],
      ['--env-var', 'who=earlier', '--variable', 'who=later'],
      ['--env-var', 'who=earlier', '--env-var=who=later'],
    ]) {
      const outcome = await runSortie(['run', file, ...args, '-q']);
      expect(outcome.code, args.join(' ')).toBe(0);
    }
  });

  const mixed = () =>
    write('mixed.json', {
      name: 'mixed',
      steps: [
        get('fine', `${api.url}/echo`),
        get('broken', `${api.url}/status/500`, [status(200)], { onError: 'continue' }),
        get('fine again', `${api.url}/echo`),
      ],
    });

  it('--silent prints nothing; -q prints only what failed and the summary', async () => {
    const file = mixed();
    const silent = await runSortie(['run', file, '--silent']);
    expect(silent.code).toBe(1);
    expect(silent.stdout).toBe('');
    const passing = write('passing.json', { name: 'passing', steps: [get('fine', `${api.url}/echo`)] });
    const quiet = await runSortie(['run', passing, file, '-q']);
    expect(quiet.code).toBe(1);
    golden('quiet.out', text(quiet));
  });

  it('--json puts the JSON report on stdout and nothing else; --report-junit / --report-json write files', async () => {
    const file = mixed();
    const junit = join(work, 'out', 'junit-report.xml');
    const json = join(work, 'out', 'report-file.json');
    const outcome = await runSortie(['run', file, '--json', '--report-junit', junit, '--report-json', json]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    const report = JSON.parse(outcome.stdout);
    expect(report.totals).toMatchObject({ requests: 3, failed: 1 });
    expect(readFileSync(junit, 'utf8')).toContain('<testsuites');
    expect(JSON.parse(readFileSync(json, 'utf8')).totals).toEqual(report.totals);
    expect(existsSync(join(ROOT, 'sortie-reports', 'report-file.json'))).toBe(false);
  });
});
