/**
 * Scenario and step names a hostile or careless author writes — markup (`<script>`, `]]>`, `&`),
 * C0 and C1 controls and terminal escapes, characters XML 1.0 cannot carry (lone surrogates,
 * U+FFFE), bidirectional overrides, RTL text and emoji, line breaks, 10,000 characters without a
 * space — through every report of a real run (`sortie run -r cli,json,junit,html`) against a real
 * local server, plus a response body holding escapes. The JSON report keeps each name as written;
 * the JUnit XML is valid against the JUnit XSD; the HTML page runs no script of a name, shows each
 * name (controls as `\xNN`), and stays within the window, on a desktop and a phone; the CLI lets no
 * escape through. A C1 control (CSI U+009B) was written raw in the JUnit and HTML reports (an empty
 * box on the page), U+FFFE raw on the page, and a 10,000-character name made the page 100,000 px wide.
 * A scenario file named with a terminal escape was printed raw by `validate` and in every error.
 * The page's search did not find a name with a line break as the page shows it (with a space).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportScenario } from '@sortie/reporters';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuilt, type ListeningServer, ROOT, runSortie, startServer } from '@sortie/testkit';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';

const XSD = readFileSync(join(ROOT, 'fixtures', 'conformance', 'junit-10.xsd'), 'utf8');
const LONG = `long ${'L'.repeat(10_000)}`;
const SCENARIO_NAME = 'Suite <b>&amp; ]]> \u0000\u001b[31m \ud800 \u202e rtl\nsecond line';
const STEP_NAMES = [
  `markup <script>document.title='pwned'</script><img src=x onerror="document.title='pwned'"> & ]]> "q" 'a'`,
  'ctrl \u0000 \u0001 \u0008 \u000b \u000c \u001b[31mRED\u001b[0m \u001b]0;TITLE\u0007 end',
  'lone \ud800 surrogate \udfff and \ufffe \uffff',
  'rtl \u202e abc \u2067 ערבית 😀 👨‍👩‍👧',
  'newline\nsecond line\r\nthird',
  'c1 \u009b31m csi \u0085 nel \u007f del',
  LONG,
];
/** What a terminal would act on: C0 controls but tab and line feed, DEL, C1 controls. */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** What the JUnit XML may not hold raw: controls but tab and line breaks, DEL and C1, noncharacters. */
const RAW_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/;

const hasChromium = existsSync(CHROMIUM);
let server: ListeningServer;
let out: string;
let cli: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  ensureBuilt();
  server = await startServer((request, response) => {
    if (request.url === '/esc') {
      response.setHeader('content-type', 'text/plain');
      response.end('hello \u001b]0;PWNED\u0007 \u001b[2J \u009b31m');
      return;
    }
    response.statusCode = request.url === '/fail' ? 500 : 200;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ url: request.url }));
  });
  out = mkdtempSync(join(tmpdir(), 'sortie-hostile-names-'));
  const steps = STEP_NAMES.map((name, i) => ({
    name,
    request: { url: `{{base}}/${i % 2 === 0 ? 'ok' : 'fail'}` },
    post: [{ assert: { status: { equals: 200 } } }],
  }));
  steps.push({ name: 'a body with escapes', request: { url: '{{base}}/esc' }, post: [{ assert: { status: { equals: 500 } } }] });
  const file = join(out, 'names.json');
  writeFileSync(file, JSON.stringify({ name: SCENARIO_NAME, options: { onError: 'continue' }, steps }));
  cli = await runSortie(['run', file, '--env-var', `base=${server.url}`, '-r', 'cli,json,junit,html', '--out-dir', out]);
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

describe('names with markup, controls, invalid XML characters, RTL, line breaks and 10,000 characters', () => {
  it('the run fails (exit 1) and the JSON report keeps every name as written', () => {
    expect(cli.code, cli.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { scenarios: ReportScenario[] };
    expect(report.scenarios[0]?.name).toBe(SCENARIO_NAME);
    expect(report.scenarios[0]?.steps.map((s) => s.name)).toEqual([...STEP_NAMES, 'a body with escapes']);
  });

  it('the CLI lets no control character through, naming each as \\xNN', () => {
    expect(cli.stdout).not.toMatch(TERMINAL_CONTROLS);
    expect(cli.stdout).toContain('ctrl \\x00 \\x01 \\x08 \\x0b \\x0c \\x1b[31mRED\\x1b[0m \\x1b]0;TITLE\\x07 end');
    expect(cli.stdout).toContain('c1 \\x9b31m csi \\x85 nel \\x7f del');
    expect(cli.stdout).toContain('hello \\x1b]0;PWNED\\x07 \\x1b[2J \\x9b31m');
  });

  it('the JUnit XML is valid against the XSD, holds no control character raw, and names each as \\uXXXX', async () => {
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: junit }], schema: [XSD] });
    expect(validation.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(junit).not.toMatch(RAW_IN_XML);
    expect(junit).toContain('name="c1 \\u009b31m csi \\u0085 nel \\u007f del"');
    expect(junit).toContain('name="lone \\ud800 surrogate \\udfff and \\ufffe \\uffff"');
    expect(junit).toContain('name="markup &lt;script&gt;');
    expect(junit).toContain(`name="${LONG}"`);
  });

  it('a scenario file named with terminal escapes: validate lists it and run and validate name it in errors without an escape (they were printed raw)', async () => {
    const valid = join(out, 'ok \u001b]0;TITLE\u0007\u001b[2J\nname.json');
    const invalid = join(out, 'bad \u001b[2J\u001b[H.json');
    writeFileSync(valid, JSON.stringify({ name: 'ok', steps: [{ name: 'compute', script: 'const a = 1;' }] }));
    writeFileSync(invalid, '{"name": "x", "steps": [ {"name": 1} ]');
    const listed = await runSortie(['validate', valid]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe(`✓ ${out}/ok \\x1b]0;TITLE\\x07\\x1b[2J\\nname.json\n1 file valid\n`);
    for (const command of ['validate', 'run']) {
      const refused = await runSortie([command, invalid]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).not.toMatch(TERMINAL_CONTROLS);
      expect(refused.stderr).toContain(`${out}/bad \\x1b[2J\\x1b[H.json`);
    }
  });

  describe.skipIf(!hasChromium)('the HTML report in Chromium, from file:// with no network', () => {
    it('runs no script of a name, shows every name, and stays within a desktop and a phone window', async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
      try {
        for (const width of [1100, 360]) {
          const page = await browser.newPage({ viewport: { width, height: 800 } });
          const problems: string[] = [];
          page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
          page.on('dialog', (dialog) => {
            problems.push(`dialog: ${dialog.message()}`);
            void dialog.dismiss();
          });
          page.on('request', (request) => {
            if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
          });
          await page.goto(pathToFileURL(join(out, 'report.html')).href);
          expect(await page.title()).not.toContain('pwned');
          expect(await page.locator('img').count()).toBe(0);
          expect(await page.locator('script').count()).toBe(1);
          await page.evaluate("for (const d of document.querySelectorAll('details')) d.open = true");
          const text = await page.locator('body').evaluate((body) => body.textContent ?? '');
          expect(text).toContain(STEP_NAMES[0]);
          expect(text).toContain('ctrl \\x00 \\x01 \\x08 \\x0b \\x0c \\x1b[31mRED\\x1b[0m \\x1b]0;TITLE\\x07 end');
          expect(text).toContain('c1 \\x9b31m csi \\x85 nel \\x7f del');
          expect(text).toContain('lone \\ud800 surrogate \\udfff and \\ufffe \\uffff');
          expect(text).toContain('rtl \\u202e abc \\u2067 ערבית 😀 👨‍👩‍👧');
          expect(text).toContain(LONG);
          expect(text).toContain('hello \\x1b]0;PWNED\\x07 \\x1b[2J \\x9b31m');
          expect(text).not.toMatch(RAW_IN_XML);
          // The 10,000-character name, the scenario menu holding the title: 100,000 px wide before.
          expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
          // The search finds a name as the page shows it: its line breaks as spaces (it found nothing).
          for (const [query, shown] of [
            ['NEWLINE second line third', 1],
            ['\\x9b31m', 2], // the C1 name and the body
          ] as const) {
            await page.locator('input[name=q]').fill('');
            await expect.poll(() => page.locator('#filters output').textContent()).toBe('');
            await page.locator('input[name=q]').fill(query);
            await expect.poll(() => page.locator('#filters output').textContent()).toBe(`Showing ${shown} of 8 steps`);
          }
          expect(problems).toEqual([]);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    }, 60_000);
  });
});
