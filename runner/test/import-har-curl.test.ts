/**
 * `sortie import har` and `sortie import curl`: a HAR file recorded from Chromium (playwright-core's
 * recordHar) against the fixture API, and curl commands in the forms the curl manual shows. The
 * written files are golden files; no credential of the input appears in them; the imported HAR
 * scenario runs against the same server, whose routes check what they receive.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuilt, expectGolden, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const EXPECTED = join(ROOT, 'fixtures', 'imports', 'expected');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** stdout, then every written file under its name: one golden text per import. */
function describeImport(stdout: string, out: string): string {
  const files = listFiles(out)
    .sort()
    .map((file) => `--- ${relative(out, file)}\n${readFileSync(file, 'utf8')}`);
  return [stdout, ...files].join('\n');
}

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-import-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('sortie import har, from a HAR recorded by Chromium', () => {
  let server: FixtureServer;
  let token = '';
  const har = () => join(work, 'session.har');
  beforeAll(async () => {
    server = await startFixtureServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
    try {
      const context = await browser.newContext({ recordHar: { path: har(), content: 'embed' } });
      const page = await context.newPage();
      await page.goto(`${server.url}/echo`);
      token = await page.evaluate(async () => {
        const login = await fetch('/login?v=2', {
          method: 'POST',
          headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
          body: JSON.stringify({ user: 'ann', password: 'har-s3cret-pw' }),
        });
        const { access_token } = (await login.json()) as { access_token: string };
        const items = await fetch('/items?limit=2', { headers: { Authorization: `Bearer ${access_token}` } });
        await items.text();
        return access_token;
      });
      await context.close();
    } finally {
      await browser.close();
    }
  }, 60_000);
  afterAll(async () => server?.close());

  it('writes steps with method, URL, query, headers and bodies, the credentials as secrets', async () => {
    const out = join(work, 'har-out');
    const outcome = await runSortie(['import', 'har', 'session.har', '--out', 'har-out', '--name', 'recorded session'], { cwd: work });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const text = describeImport(outcome.stdout, out);
    expect(text).not.toContain(token);
    expect(text).not.toContain('har-s3cret-pw');
    const normalised = normaliseText(text, server.port).replace(/^(\s+User-Agent: ).+$/gm, '$1UA');
    expectGolden(join(EXPECTED, 'har', 'chromium-session.txt'), normalised);
  });

  it('runs the imported scenario against the same server, the secrets from the environment', async () => {
    const out = join(work, 'har-out');
    const outcome = await runSortie(['run', 'scenarios'], {
      cwd: out,
      env: { BEARER_TOKEN: token, PASSWORD: 'har-s3cret-pw' },
    });
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toContain('PASSED');
    expect(outcome.stdout).not.toContain(token);
    expect(outcome.code).toBe(0);
  });
});

describe('sortie import har, bad input', () => {
  it.each([
    ['not-json', '{"log": {"entries": [}'],
    ['no-entries', '{"log": {"version": "1.2"}}'],
    ['bad-url', '{"log": {"entries": [{"request": {"method": "GET", "url": "/relative"}}]}}'],
  ])('refuses %s with the place of the problem (exit 2)', async (name, text) => {
    const file = join(work, `${name}.har`);
    await import('node:fs/promises').then(({ writeFile }) => writeFile(file, text));
    const outcome = await runSortie(['import', 'har', relative(work, file), '--out', 'bad'], { cwd: work });
    expect(outcome.code).toBe(2);
    expectGolden(join(EXPECTED, 'errors', `har-${name}.err`), outcome.stderr);
  });
});

/** Commands in the forms of the curl manual (https://curl.se/docs/manpage.html). */
const CURL = [
  ['get', 'curl https://api.example.com/pets'],
  ['form-post', `curl -d "name=curl" -d "tool=cmdline" https://api.example.com/pets`],
  ['json', `curl --json '{"name":"Rex","tags":["good"]}' https://api.example.com/pets`],
  ['get-with-data', 'curl -G -d "q=dogs" -d "limit=5" https://api.example.com/search'],
  // --retry-delay N: N s before each retry (no doubling), as curl waits.
  ['retry-with-delay', 'curl --retry 3 --retry-delay 5 https://api.example.com/pets'],
  // curl's URL globs: each named on one line of the notes.
  ['url-globs', "curl 'https://api.example.com/items?ids={1,2}&page=[1-3]'"],
  ['basic-user', 'curl -u daniel:secret https://api.example.com/account'],
  ['digest', 'curl --digest -u daniel:secret https://api.example.com/account'],
  // curl sends a custom header instead of the one it would make: the Bearer token, not -u's Basic.
  ['user-and-authorization-header', `curl -u daniel:secret -H 'Authorization: Bearer eyJhbGciOi.x.y' https://api.example.com/account`],
  [
    'bearer-and-cookies',
    `curl -H 'Authorization: Bearer eyJhbGciOi.x.y' -b 'sessionid=abc123; theme=dark' -A 'my-agent/1.0' https://api.example.com/me`,
  ],
  ['api-key-header-and-query', `curl -X DELETE -H 'X-API-Key: k-9f8e7d' 'https://api.example.com/pets/7?api_key=q-123&force=true'`],
  // An Authorization value of one word has no scheme: all of it is the credential.
  ['authorization-without-scheme', `curl -H 'Authorization: sk-oneword-55' https://api.example.com/me`],
  [
    'multiline-put',
    `curl -X PUT \\\n  -H 'Content-Type: application/xml' \\\n  --data-binary '<pet><name>Rex</name></pet>' \\\n  https://api.example.com/pets/7`,
  ],
] as const;

describe('sortie import curl', () => {
  it.each(CURL)('imports the %s form', async (name, command) => {
    const out = join(work, `curl-${name}`);
    const outcome = await runSortie(['import', 'curl', command, '--out', `curl-${name}`], { cwd: work });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const text = describeImport(outcome.stdout, out);
    for (const secret of ['daniel', 'secret', 'eyJhbGciOi', 'abc123', 'k-9f8e7d', 'q-123', 'sk-oneword-55'])
      expect(text).not.toContain(`: ${secret}`);
    expect(text).not.toMatch(/eyJhbGciOi|abc123|k-9f8e7d|q-123|daniel:secret|sk-oneword-55/);
    expectGolden(join(EXPECTED, 'curl', `${name}.txt`), text);
  });

  it('reads the command from standard input with -', async () => {
    const out = join(work, 'curl-stdin');
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [join(ROOT, 'runner', 'dist', 'sortie.cjs'), 'import', 'curl', '-', '--out', out], {
      input: "curl -H 'Accept: application/json' https://api.example.com/pets\n",
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(readFileSync(join(out, 'scenarios', 'curl.yaml'), 'utf8')).toContain('Accept: application/json');
  });

  it("refuses a URL whose host is a variable Postman's code generator left unresolved (exit 2)", async () => {
    const outcome = await runSortie(['import', 'curl', "curl --location '{{baseUrl}}/items'", '--out', join(work, 'unresolved')]);
    expect(outcome.code).toBe(2);
    expect(existsSync(join(work, 'unresolved'))).toBe(false);
    expectGolden(join(EXPECTED, 'errors', 'curl-variable-host.err'), outcome.stderr);
  });

  it('refuses what is not a curl command (exit 2)', async () => {
    const outcome = await runSortie(['import', 'curl', 'wget https://api.example.com/', '--out', join(work, 'wget')]);
    expect(outcome.code).toBe(2);
    expectGolden(join(EXPECTED, 'errors', 'curl-not-curl.err'), outcome.stderr);
  });
});
