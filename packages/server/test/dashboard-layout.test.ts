/**
 * The dashboard's pages laid out in Debian's Chromium (playwright-core, never a browser download)
 * with the longest values a team's own names can reach: an agent `--name`, a schedule name (200
 * characters), a pool (63), a plan's file names, a run's message. Each page stays within the
 * window: a long word wraps in its cell instead of widening the table past the screen (an agent
 * named with 5,000 characters made the agents page 44,773 px wide).
 */
import { existsSync } from 'node:fs';
import type { AgentStatus } from '@sortie/agent';
import { CHROMIUM, CHROMIUM_ARGS } from '@sortie/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_STYLE } from '../src/dashboard/assets.js';
import { renderAgentsPage } from '../src/dashboard/pages/agents-page.js';
import type { Viewer } from '../src/dashboard/pages/layout.js';
import { renderRunPage } from '../src/dashboard/pages/run-page.js';
import { renderRunsPage } from '../src/dashboard/pages/runs-page.js';
import { renderSchedulesPage } from '../src/dashboard/pages/schedules-page.js';
import type { RunRecord, ScheduleRecord } from '../src/store/store.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing, and CI is set`);

const WIDTH = 1280;
const NOW = Date.UTC(2026, 11, 3, 18, 0, 0);
const viewer: Viewer = { tokenName: 'ops', scope: 'admin', csrf: 'csrf' };
const AGENT = `runner-${'a'.repeat(5_000)}`;
const SCHEDULE = `nightly-${'s'.repeat(192)}`;
const POOL = `p${'o'.repeat(62)}`;
const PLAN = `scenarios/${'f'.repeat(240)}.json`;
const MESSAGE = `agent ${AGENT}: Missing secret: secret "${'K'.repeat(300)}" has no value`;

const run: RunRecord = {
  id: 'cccccccc-0000-4000-8000-000000000000',
  status: 'error',
  trigger: 'schedule',
  scheduleId: 'sched-1',
  pool: POOL,
  planId: 'plan-1',
  options: { envVars: { [`VAR_${'v'.repeat(200)}`]: 'x' } },
  attempt: 1,
  agent: AGENT,
  createdAt: NOW - 60_000,
  startedAt: NOW - 50_000,
  endedAt: NOW - 47_500,
  message: MESSAGE,
  counts: { scenarios: 0, steps: 0, requests: 0, passed: 0, failed: 0, errored: 0, skipped: 0 },
  reports: ['report.json'],
};
const schedule: ScheduleRecord = {
  id: 'sched-1',
  name: SCHEDULE,
  planId: 'plan-1',
  every: 900_000,
  pool: POOL,
  options: {},
  paused: false,
  createdAt: NOW,
};
const agent: AgentStatus = {
  name: AGENT,
  pool: POOL,
  version: '0.1.0',
  concurrency: 2,
  busy: 1,
  startedAt: NOW - 3_600_000,
  lastSeen: NOW - 1_000,
  state: 'busy',
};
const planNames = new Map([['plan-1', PLAN]]);

const pages: Record<string, string> = {
  runs: renderRunsPage({
    version: 'test',
    viewer,
    runs: [run],
    total: 1,
    filter: { page: 1 },
    planNames,
    scheduleNames: new Map([['sched-1', SCHEDULE]]),
    now: NOW,
  }),
  run: renderRunPage({ version: 'test', viewer, run, planName: PLAN, scheduleName: SCHEDULE, now: NOW }),
  agents: renderAgentsPage({ version: 'test', viewer, now: NOW, agents: [agent] }),
  schedules: renderSchedulesPage({
    version: 'test',
    viewer,
    schedules: [schedule],
    lastRuns: new Map([['sched-1', run]]),
    nextRuns: new Map([['sched-1', NOW + 3_600_000]]),
    plans: planNames,
  }),
};

let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Shows the named page as the server sends it, with the stylesheet it links; no script is needed for the layout. */
async function showPage(page: Page, name: string): Promise<void> {
  await page.route('http://dashboard.test/**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/assets/dashboard.css') return route.fulfill({ contentType: 'text/css', body: DASHBOARD_STYLE });
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: pages[name] as string });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto('http://dashboard.test/');
}

describe.skipIf(!hasChromium)('dashboard layout', { timeout: 60_000 }, () => {
  it.each(Object.keys(pages))('keeps the %s page within the window when names are as long as they can be', async (name) => {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 800 } });
    try {
      await showPage(page, name);
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width, `the ${name} page is ${width} px wide`).toBeLessThanOrEqual(WIDTH);
      // Wrapped, not cut: every long name is still there in full.
      const text = ((await page.evaluate('document.body.innerText')) as string).replace(/\s+/g, '');
      if (name !== 'schedules') expect(text).toContain(name === 'agents' ? AGENT : POOL);
      if (name !== 'agents') expect(text).toContain(name === 'run' || name === 'runs' ? SCHEDULE : PLAN);
    } finally {
      await page.close();
    }
  });

  // A phone (360 px): the run list's 9 columns made the whole page 895 px wide, the header's
  // "Sign out" off the screen; now the header wraps and only a list table scrolls sideways.
  it.each(Object.keys(pages))('keeps the %s page and its Sign out within a 360 px window', async (name) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    try {
      await showPage(page, name);
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width, `the ${name} page is ${width} px wide`).toBeLessThanOrEqual(360);
      const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
      expect(signOut, 'Sign out is laid out').not.toBeNull();
      expect((signOut?.x ?? 0) + (signOut?.width ?? 0)).toBeLessThanOrEqual(360);
    } finally {
      await page.close();
    }
  });
});
