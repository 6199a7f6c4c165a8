/**
 * The dashboard's self-updating parts in Debian's Chromium (playwright-core, never a browser
 * download), against a `sortie server` on a redis-server of the test's own, runs queued in a pool
 * no agent takes (so they stay open and their pages keep updating): the focus of a keyboard user
 * across an in-place refresh, the live region of a run's progress, and what the pages do when the
 * server answers a refresh or a live stream with an error (Redis restarting, a session ended in
 * another tab).
 */
import { existsSync } from 'node:fs';
import { CHROMIUM, CHROMIUM_ARGS } from '@sortie/testkit';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawTarGz } from './hostile-tar.js';
import { startTestServer, type TestServer } from './test-server.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing, and CI is set`);

let running: TestServer;
let url: string;
let browser: Browser;
let admin: string;
let planId: string;
const contexts: BrowserContext[] = [];

async function submitRun(): Promise<string> {
  const response = await fetch(new URL('/api/runs', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ planId, pool: 'nobody' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function signIn(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByLabel('API token').fill(admin);
  // Keyboard only: the form submits with Enter.
  await page.getByLabel('API token').press('Enter');
  await page.waitForURL(`${url}/`);
  return { context, page };
}

const focusedHref = (page: Page) => page.evaluate<string | null | undefined>('document.activeElement?.getAttribute("href")');

/** Resolves once the region `id` has been replaced by a refresh (a mark set on the old one is gone). */
async function nextRefresh(page: Page, id: string): Promise<void> {
  await page.evaluate(`document.getElementById(${JSON.stringify(id)}).setAttribute('data-old', '')`);
  // Polled from here: the page's Content-Security-Policy refuses the eval of waitForFunction.
  await expect
    .poll(() => page.evaluate(`document.getElementById(${JSON.stringify(id)})?.hasAttribute('data-old') === false`), { timeout: 20_000 })
    .toBe(true);
}

beforeAll(async () => {
  if (!hasChromium) return;
  running = await startTestServer();
  url = running.server.url;
  admin = await running.token('admin');
  const bundle = rawTarGz([
    { name: 'sortie-bundle.json', data: JSON.stringify({ version: 1, files: ['a.json'] }) },
    { name: 'a.json', data: '{}' },
  ]);
  const form = new FormData();
  form.set('bundle', new Blob([bundle]), 'plan.tgz');
  const stored = await fetch(new URL('/api/plans', url), { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
  expect(stored.status, await stored.clone().text()).toBe(201);
  planId = ((await stored.json()) as { id: string }).id;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await running?.close();
});

describe.skipIf(!hasChromium)('the dashboard updating itself, in Chromium', { timeout: 90_000 }, () => {
  it('keeps a keyboard user on the same link when the run list refreshes in place (the focus fell to the top every 2 s)', async () => {
    const id = await submitRun();
    const { page } = await signIn();
    const link = `/runs/${id}`;
    // Tab through the page to the run's link, as a keyboard user does.
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if ((await focusedHref(page)) === link) break;
    }
    expect(await focusedHref(page)).toBe(link);
    await nextRefresh(page, 'runs');
    expect(await focusedHref(page)).toBe(link);
    expect(await page.evaluate("document.activeElement?.closest('#runs') !== null")).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}${link}`);
    // The progress is a live region: a screen reader hears it change.
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Waiting for an agent of pool nobody');
  });

  it('keeps refreshing the run list after an error answer (a 503 while Redis restarts stopped it for good)', async () => {
    const { page } = await signIn();
    let refused = 0;
    await page.route(`${url}/`, async (route) => {
      if (route.request().resourceType() === 'fetch' && refused < 2) {
        refused += 1;
        return route.fulfill({ status: 503, contentType: 'text/html', body: '<p>Redis is away</p>' });
      }
      return route.continue();
    });
    await expect.poll(() => refused, { timeout: 20_000 }).toBe(2);
    const id = await submitRun();
    await expect.poll(() => page.locator(`tr[data-run="${id}"]`).count(), { timeout: 30_000 }).toBe(1);
  });

  it('opens the live progress again after the stream is refused, and shows the run end (it stood still for ever)', async () => {
    const id = await submitRun();
    const { page } = await signIn();
    let streams = 0;
    await page.route(`${url}/runs/${id}/live`, async (route) => {
      streams += 1;
      if (streams === 1) return route.fulfill({ status: 503, contentType: 'text/plain', body: 'Too many live views are open' });
      return route.continue();
    });
    await page.goto(`${url}/runs/${id}`);
    await expect.poll(() => streams, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const cancelled = await fetch(new URL(`/api/runs/${id}/cancel`, url), {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(cancelled.status).toBe(200);
    await expect.poll(() => page.locator('h1 [data-live-status]').textContent(), { timeout: 20_000 }).toBe('cancelled');
  });

  it("counts an open run's duration on from its start, in the server's clock (it stood at its value when the page was served)", async () => {
    const id = await submitRun();
    const { page } = await signIn();
    // The run's agent starts it: the live stream says so, with when (the server's clock), a minute ago.
    const startedAt = Date.now() - 65_000;
    await page.route(`${url}/runs/${id}/live`, (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
        body: `retry: 60000\nevent: status\ndata: ${JSON.stringify({ status: 'running', agent: 'a1', attempt: 1, startedAt })}\n\n`,
      }),
    );
    await page.goto(`${url}/runs/${id}`);
    const duration = page.locator('#run-duration');
    await expect.poll(() => duration.textContent(), { timeout: 10_000 }).toMatch(/^1 min \d+ s$/);
    const first = Number((await duration.textContent())?.match(/(\d+) s$/)?.[1]);
    await expect
      .poll(async () => Number((await duration.textContent())?.match(/(\d+) s$/)?.[1]), { timeout: 10_000 })
      .toBeGreaterThan(first);
    await page.unroute(`${url}/runs/${id}/live`);
  });

  it('goes to sign in, and back to the run, when signed out in another tab while the run page is open', async () => {
    const id = await submitRun();
    const { context, page } = await signIn();
    await page.goto(`${url}/runs/${id}`);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Waiting for an agent');
    const other = await context.newPage();
    await other.goto(`${url}/agents`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login\?next=/, { timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/runs/${id}`);
    await page.getByLabel('API token').fill(admin);
    await page.getByLabel('API token').press('Enter');
    await page.waitForURL(`${url}/runs/${id}`);
  });
});
