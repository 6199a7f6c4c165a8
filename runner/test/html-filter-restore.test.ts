/**
 * The HTML report's search and "failed only" filters open the containers that hold what they
 * find. Clearing them must put the page back as it was: a loop of many passes that starts
 * collapsed stays collapsed, else one search leaves every pass of a long loop laid out (seconds
 * with 10,000 steps) and the page no longer reads as it opened. Run in Debian's Chromium.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuilt, runSortie } from '@sortie/testkit';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing, and CI is set`);
  console.warn(`HTML report browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
}

let out: string;
let reportFile: string;
let context: BrowserContext | undefined;

beforeAll(async () => {
  ensureBuilt();
  out = mkdtempSync(join(tmpdir(), 'sortie-html-filter-'));
  // No server needed: wait steps. 60 passes of 2 steps: the passed loop starts collapsed (COLLAPSE_ABOVE is 50).
  const scenario = {
    name: 'Long loop',
    steps: [
      { name: 'first', wait: 0 },
      {
        name: 'many',
        loop: {
          count: 60,
          index: 'i',
          steps: [
            { name: 'pause {{i}}', wait: 0 },
            { name: 'rest', wait: 0 },
          ],
        },
      },
      { name: 'other', group: { steps: [{ name: 'inner', wait: 0 }] } },
    ],
  };
  writeFileSync(join(out, 'long-loop.json'), JSON.stringify(scenario));
  reportFile = join(out, 'report.html');
  const result = await runSortie(['run', join(out, 'long-loop.json'), '-r', 'html', '--out-dir', out]);
  expect(result.code, result.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('HTML report filters in Chromium', () => {
  it('closes again what a search or "failed only" opened once it is cleared, and keeps what the reader opened', async () => {
    context = await chromium.launchPersistentContext(mkdtempSync(join(out, 'profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(reportFile).href);
    const loop = page.locator('li.step.container', { hasText: 'many' }).first().locator(':scope > details');
    const group = page.locator('li.step.container', { hasText: 'other' }).first().locator(':scope > details');
    const openStates = async () => [(await loop.getAttribute('open')) !== null, (await group.getAttribute('open')) !== null];
    expect(await openStates()).toEqual([false, true]);
    // The reader closes the group: their choice stays.
    await group.locator(':scope > summary').click();

    await page.getByLabel('Search').fill('pause 57');
    await expect.poll(() => page.locator('#filters output').textContent()).toBe('Showing 1 of 122 steps');
    expect((await openStates())[0]).toBe(true);

    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('#filters output').textContent()).toBe('');
    expect(await openStates()).toEqual([false, false]);
    expect(await page.locator('li.step:not(.container)', { hasText: 'pause 3' }).first().isVisible()).toBe(false);

    // "Expand all" is the reader's choice too: clearing a later search keeps it.
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.getByLabel('Search').fill('rest');
    await expect.poll(() => page.locator('#filters output').textContent()).toBe('Showing 60 of 122 steps');
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('#filters output').textContent()).toBe('');
    expect(await openStates()).toEqual([true, true]);
    expect(errors).toEqual([]);
  }, 60_000);
});
