/**
 * The HTML report of a real run (`sortie run --report-html`), opened in Debian's Chromium through
 * playwright-core (never a browser download): with JavaScript (filter "failed only", expand a step),
 * with JavaScript disabled, and served under Jenkins' default Content-Security-Policy, which blocks
 * inline scripts and styles. Each time every step and every failure must be readable.
 * `UPDATE_GOLDEN=1` also rewrites the screenshot in docs/img/html-report.png.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import type { ReportScenario } from '@sortie/reporters';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuilt, ROOT, runSortie } from '@sortie/testkit';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Jenkins' default policy for archived files (bruno#3905: Bruno's report is blank under it). */
const JENKINS_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'self';";
const SCENARIO_FILES = [
  'fixtures/scenarios/ok/login-and-items.json',
  'fixtures/scenarios/failed/wrong-expectations.json',
  'fixtures/scenarios/failed/step-errors.yaml',
];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing, and CI is set`);
  console.warn(`HTML report browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
}

let fixtures: FixtureServer;
let out: string;
let reportFile: string;
/** Step names, failed-assertion messages and error messages of the run, from its JSON report. */
let stepNames: string[];
let problems: string[];
const contexts = new Map<boolean, Promise<BrowserContext>>();

beforeAll(async () => {
  ensureBuilt();
  fixtures = await startFixtureServer();
  out = mkdtempSync(join(tmpdir(), 'sortie-html-e2e-'));
  reportFile = join(out, 'html', 'run report.html');
  const args = ['run', ...SCENARIO_FILES, '--env-var', `base=${fixtures.url}`, '-r', 'json', '--out-dir', out, '--report-html', reportFile];
  const result = await runSortie(args);
  expect(result.code, result.stderr).toBe(1);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { scenarios: ReportScenario[] };
  const steps = report.scenarios.flatMap((s) => s.steps);
  stepNames = steps.map((s) => s.name);
  problems = steps.flatMap((s) => [
    ...s.assertions.filter((a) => !a.passed).map((a) => a.message ?? ''),
    ...(s.error === undefined ? [] : [s.error.message]),
  ]);
}, 60_000);

afterAll(async () => {
  for (const context of contexts.values()) await (await context).close();
  fixtures?.close();
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

/** A headless Chromium with a fresh profile directory, one with JavaScript and one without, each launched once. */
function launch(javaScriptEnabled: boolean): Promise<BrowserContext> {
  let context = contexts.get(javaScriptEnabled);
  if (context === undefined) {
    context = launchChromium(javaScriptEnabled);
    contexts.set(javaScriptEnabled, context);
  }
  return context;
}

async function launchChromium(javaScriptEnabled: boolean): Promise<BrowserContext> {
  const profile = mkdtempSync(join(out, 'profile-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    javaScriptEnabled,
    viewport: { width: 1100, height: 900 },
    args: [...CHROMIUM_ARGS],
  });
}

/** Normalises whitespace as innerText and the messages may differ in it. */
function squash(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('sortie run --report-html', () => {
  it('writes one self-contained page with the run, its failures and no token', () => {
    const html = readFileSync(reportFile, 'utf8');
    expect(html).not.toMatch(/<(link|img|iframe)\b|\ssrc=/);
    expect(html).toContain('Sortie report <span class="st-error">ERROR</span>');
    expect(html).toContain('"access_token": "[REDACTED]"');
    expect(problems.length).toBeGreaterThan(5);
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    it('filters failed steps, expands one and shows its details', async () => {
      const context = await launch(true);
      const page = await context.newPage();
      await page.goto(pathToFileURL(reportFile).href);
      const passedStep = page.locator('li.step', { hasText: 'still runs after failures' });
      const failedStep = page.locator('li.step', { hasText: 'status and body checks that fail' });
      await expect.poll(() => passedStep.isVisible()).toBe(true);
      if (process.env.UPDATE_GOLDEN === '1') await page.screenshot({ path: join(ROOT, 'docs', 'img', 'html-report.png'), fullPage: false });

      await page.getByLabel('Failed only').check();
      expect(await passedStep.isVisible()).toBe(false);
      expect(await page.locator('section.scenario', { hasText: 'Login and list items' }).isVisible()).toBe(false);
      expect(await failedStep.isVisible()).toBe(true);
      expect(await page.locator('#filters output').textContent()).toMatch(/^Showing \d+ of 11 steps$/);

      await failedStep.locator(':scope > details > summary').click();
      const details = failedStep.locator(':scope > details > .detail');
      await expect.poll(() => details.isVisible()).toBe(true);
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (closed details and hidden elements left out)
      const shown = squash(await details.innerText());
      expect(shown).toContain('GET http://127.0.0.1:');
      expect(shown).toContain('HTTP/1.1 404 Not Found');
      expect(shown).toContain('✗ failed status equals 200 404 expected status to equal 200 but was 404');
      expect(shown).toContain('content-type: application/json; charset=utf-8');

      await page.getByLabel('Failed only').uncheck();
      await page.getByLabel('Search').fill('connection refused');
      await expect.poll(() => page.locator('#filters output').textContent()).toBe('Showing 1 of 11 steps');
      expect(await page.locator('li.step', { hasText: 'the server resets the connection' }).isVisible()).toBe(false);
    }, 60_000);

    it('opens the step an anchor links to', async () => {
      const context = await launch(true);
      const page = await context.newPage();
      const html = readFileSync(reportFile, 'utf8');
      const anchor = /id="(s-[^"]*step-errors-yaml\.2)"/.exec(html)?.[1] ?? 'missing';
      await page.goto(`${pathToFileURL(reportFile).href}#${anchor}`);
      const step = page.locator(`[id="${anchor}"]`);
      await expect.poll(() => step.locator(':scope > details > .detail').isVisible()).toBe(true);
      expect(await step.locator(':scope > details > summary .name').textContent()).toBe('too slow');
    }, 60_000);

    it('takes a link whose anchor is not valid percent-encoding without a script error', async () => {
      const context = await launch(true);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // A link cut in the middle of an escape (a chat tool, a shortened URL): decodeURIComponent throws.
      await page.goto(`${pathToFileURL(reportFile).href}#s-step%E0%A4%A`);
      await page.evaluate("location.hash = '#%'");
      await page.getByLabel('Failed only').check();
      await expect.poll(() => page.locator('#filters output').textContent()).toMatch(/^Showing \d+ of 11 steps$/);
      expect(errors).toEqual([]);
    }, 60_000);

    it('fits a 360 px phone with every step open: a wide table scrolls sideways, the page does not', async () => {
      const context = await launch(true);
      const page = await context.newPage();
      try {
        await page.setViewportSize({ width: 360, height: 740 });
        await page.goto(pathToFileURL(reportFile).href);
        await page.evaluate("for (const d of document.querySelectorAll('details')) d.open = true");
        // The assertions table of a failed step made the page 485 px wide.
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
        const assertions = page.locator('li.step table', { hasText: 'expected status to equal 200 but was 404' }).first();
        expect(await assertions.evaluate((table) => table.scrollWidth > table.clientWidth)).toBe(true);
      } finally {
        await page.close();
      }
    }, 60_000);

    it('shows every step and failure with JavaScript disabled', async () => {
      const context = await launch(false);
      const page = await context.newPage();
      await page.goto(pathToFileURL(reportFile).href);
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (closed details and hidden elements left out)
      const text = squash(await page.locator('body').innerText());
      for (const name of stepNames) expect(text).toContain(squash(name));
      for (const problem of problems) expect(text).toContain(squash(problem));
      expect(await page.locator('#filters').isVisible()).toBe(false);
    }, 60_000);

    it('stays readable under Jenkins’ default Content-Security-Policy', async () => {
      const server: Server = createServer((req, res) => {
        if (req.url !== '/report.html') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': JENKINS_CSP });
        res.end(readFileSync(reportFile));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const context = await launch(true);
        const page = await context.newPage();
        const response = await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/report.html`);
        expect(response?.headers()['content-security-policy']).toBe(JENKINS_CSP);
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees (closed details and hidden elements left out)
        const text = squash(await page.locator('body').innerText());
        for (const name of stepNames) expect(text).toContain(squash(name));
        for (const problem of problems) expect(text).toContain(squash(problem));
        // The script did not run (the filters stay hidden) and the inline styles were not applied.
        expect(await page.locator('#filters').isVisible()).toBe(false);
        expect(await page.evaluate('getComputedStyle(document.body).maxWidth')).toBe('none');
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }, 60_000);
  });
});
