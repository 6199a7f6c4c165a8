/**
 * The structure every dashboard page gives a screen reader, read from the accessibility tree that
 * Debian's Chromium builds (playwright-core's ARIA snapshot, never a browser download): one level-1
 * heading, no skipped heading level, one main landmark, distinctly named navigation landmarks,
 * and a name for every form control and button. A finished run's page embeds the step view an
 * agent makes (`createHtmlReporter({ fragment: true })`), made here by the real reporter: with its
 * own `<h1>` and `<main>` the run page had two of each.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus } from '@sortie/agent';
import type { RunEvent, RunResult, ScenarioResult, StepResult } from '@sortie/core';
import { closeReporters, createHtmlReporter, dispatchEvent } from '@sortie/reporters';
import { CHROMIUM, CHROMIUM_ARGS } from '@sortie/testkit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_STYLE } from '../src/dashboard/assets.js';
import { renderAgentsPage } from '../src/dashboard/pages/agents-page.js';
import type { Viewer } from '../src/dashboard/pages/layout.js';
import { renderLoginPage } from '../src/dashboard/pages/login-page.js';
import { renderRunPage } from '../src/dashboard/pages/run-page.js';
import { renderRunsPage } from '../src/dashboard/pages/runs-page.js';
import { renderMessagePage, renderSchedulesPage } from '../src/dashboard/pages/schedules-page.js';
import type { RunRecord, ScheduleRecord } from '../src/store/store.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing, and CI is set`);

const NOW = Date.UTC(2026, 11, 3, 18, 0, 0);
const viewer: Viewer = { tokenName: 'ops', scope: 'admin', csrf: 'csrf' };

function run(id: string, patch: Partial<RunRecord>): RunRecord {
  return {
    id: `${id}-0000-4000-8000-000000000000`,
    status: 'failed',
    trigger: 'remote',
    pool: 'default',
    planId: 'plan-1',
    options: {},
    attempt: 1,
    agent: 'agent-1',
    createdAt: NOW - 60_000,
    startedAt: NOW - 50_000,
    endedAt: NOW - 47_500,
    counts: { scenarios: 1, steps: 2, requests: 2, passed: 1, failed: 1, errored: 0, skipped: 0 },
    reports: ['report.json', 'junit.xml'],
    ...patch,
  };
}

function step(id: string, status: 'passed' | 'failed'): StepResult {
  return {
    id,
    name: `step ${id}`,
    kind: 'request',
    path: [],
    status,
    startedAt: NOW - 49_000,
    durationMs: 12,
    assertions:
      status === 'failed'
        ? [
            {
              selector: 'status',
              operator: 'eq',
              expected: 200,
              actual: 500,
              passed: false,
              message: 'expected 500 to equal 200',
              source: 'assert',
            },
          ]
        : [],
    extracted: [],
    request: { method: 'GET', url: 'http://127.0.0.1:4010/users', headers: [['accept', 'application/json']], bodySize: 0 },
    response: {
      status: status === 'failed' ? 500 : 200,
      statusText: status === 'failed' ? 'Internal Server Error' : 'OK',
      httpVersion: '1.1',
      headers: [['content-type', 'application/json']],
      body: { text: '{"ok":true}', size: 11, truncated: false },
      bodySize: 11,
      timings: { firstByte: 5, download: 1, total: 12 },
    },
  };
}

/** The step view of a finished run, as an agent makes it. */
async function makeStepView(dir: string): Promise<string> {
  const steps = [step('0', 'passed'), step('1', 'failed')];
  const totals = { steps: 2, passed: 1, failed: 1, errors: 0, skipped: 0, requests: 2, assertions: 1, failedAssertions: 1 };
  const scenario: ScenarioResult = { name: 'Users', file: 'users.json', status: 'failed', startedAt: NOW - 49_000, durationMs: 30, totals };
  const result: RunResult = { status: 'failed', startedAt: NOW - 49_000, durationMs: 40, totals: { ...totals }, scenarios: [scenario] };
  const events: RunEvent[] = [
    { type: 'run:start', startedAt: NOW - 49_000, files: ['users.json'] },
    { type: 'scenario:start', name: 'Users', file: 'users.json' },
    ...steps.flatMap((s): RunEvent[] => [
      { type: 'step:start', id: s.id, name: s.name, kind: s.kind, path: s.path, scenario: 'users.json' },
      { type: 'step:end', scenario: 'users.json', result: s },
    ]),
    { type: 'scenario:end', result: scenario },
    { type: 'run:end', result },
  ];
  const file = join(dir, 'view.html');
  const reporter = createHtmlReporter({ file, fragment: true, toolVersion: 'test' });
  for (const event of events) dispatchEvent([reporter], event);
  await closeReporters([reporter]);
  return readFile(file, 'utf8');
}

const schedule: ScheduleRecord = {
  id: 'sched-1',
  name: 'nightly',
  planId: 'plan-1',
  every: 900_000,
  pool: 'default',
  options: {},
  paused: false,
  createdAt: NOW,
};
const agent: AgentStatus = {
  name: 'agent-1',
  pool: 'default',
  version: '0.1.0',
  concurrency: 2,
  busy: 1,
  startedAt: NOW - 3_600_000,
  lastSeen: NOW - 1_000,
  state: 'busy',
};
const planNames = new Map([['plan-1', 'users.json']]);

let browser: Browser;
let dir: string;
const pages: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-a11y-'));
  const view = await makeStepView(dir);
  const finished = run('cccccccc', {});
  Object.assign(pages, {
    login: renderLoginPage({ version: 'test', error: 'This token is not valid.' }),
    runs: renderRunsPage({
      version: 'test',
      viewer,
      runs: [finished, run('bbbbbbbb', { status: 'running' })],
      total: 30,
      filter: { page: 1 },
      planNames,
      scheduleNames: new Map(),
      now: NOW,
    }),
    'open run': renderRunPage({ version: 'test', viewer, run: run('bbbbbbbb', { status: 'running' }), planName: 'users.json', now: NOW }),
    'finished run': renderRunPage({ version: 'test', viewer, run: finished, planName: 'users.json', view, now: NOW }),
    'run without a view': renderRunPage({ version: 'test', viewer, run: finished, planName: 'users.json', now: NOW }),
    agents: renderAgentsPage({ version: 'test', viewer, now: NOW, agents: [agent] }),
    schedules: renderSchedulesPage({
      version: 'test',
      viewer,
      schedules: [schedule],
      lastRuns: new Map([['sched-1', finished]]),
      nextRuns: new Map([['sched-1', NOW + 3_600_000]]),
      plans: planNames,
      error: 'Give a cron expression or a number of minutes.',
    }),
    'not found': renderMessagePage({ version: 'test', viewer, title: 'Not found', message: 'There is no page at this address.' }),
  });
  if (hasChromium) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Node {
  role: string;
  name: string;
  level?: number;
  /** Roles of the nodes it is in, outermost first. */
  within: string[];
}

/** The nodes of an ARIA snapshot (YAML: `- role "name" [level=N]:` lines indented by depth). */
function parseSnapshot(snapshot: string): Node[] {
  const nodes: Node[] = [];
  const stack: Array<{ indent: number; role: string }> = [];
  for (const line of snapshot.split('\n')) {
    const match = /^(\s*)- ([a-z]+)(?: "((?:[^"\\]|\\.)*)")?((?: \[[^\]]*\])*)/.exec(line);
    if (match === null) continue;
    const indent = (match[1] ?? '').length;
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const level = /\[level=(\d)\]/.exec(match[4] ?? '');
    const node: Node = { role: match[2] as string, name: match[3] ?? '', within: stack.map((s) => s.role) };
    if (level !== null) node.level = Number(level[1]);
    nodes.push(node);
    stack.push({ indent, role: node.role });
  }
  return nodes;
}

async function accessibilityTree(name: string): Promise<Node[]> {
  const page = await browser.newPage();
  try {
    await page.route('http://dashboard.test/**', (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/assets/dashboard.css') return route.fulfill({ contentType: 'text/css', body: DASHBOARD_STYLE });
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: pages[name] as string });
      return route.fulfill({ status: 404, body: '' });
    });
    await page.goto('http://dashboard.test/');
    return parseSnapshot(await page.locator('body').ariaSnapshot());
  } finally {
    await page.close();
  }
}

const CONTROLS = new Set(['textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'spinbutton', 'slider', 'button']);

describe.skipIf(!hasChromium)('dashboard accessibility', { timeout: 60_000 }, () => {
  const names = ['login', 'runs', 'open run', 'finished run', 'run without a view', 'agents', 'schedules', 'not found'];

  it.each(names)('gives the %s page one h1 and no skipped heading level', async (name) => {
    const headings = (await accessibilityTree(name)).filter((node) => node.role === 'heading');
    expect(
      headings.filter((h) => h.level === 1).map((h) => h.name),
      'level-1 headings',
    ).toHaveLength(1);
    expect(headings[0]?.level, 'the first heading').toBe(1);
    headings.forEach((heading, index) => {
      const previous = headings[index - 1];
      if (previous === undefined) return;
      expect(heading.level ?? 0, `"${heading.name}" (h${heading.level}) after "${previous.name}" (h${previous.level})`).toBeLessThanOrEqual(
        (previous.level ?? 0) + 1,
      );
    });
  });

  it.each(names)('gives the %s page one main landmark, with its h1 in it, and a named navigation each', async (name) => {
    const tree = await accessibilityTree(name);
    const main = tree.filter((node) => node.role === 'main');
    expect(main, 'main landmarks').toHaveLength(1);
    expect(main[0]?.within, 'a main landmark inside another landmark or an article').toEqual([]);
    const h1 = tree.find((node) => node.role === 'heading' && node.level === 1);
    expect(h1?.within, 'the h1').toContain('main');
    expect(tree.filter((node) => node.role === 'banner' && node.within.length === 0)).toHaveLength(1);
    expect(tree.filter((node) => node.role === 'contentinfo' && node.within.length === 0)).toHaveLength(1);
    const navigations = tree.filter((node) => node.role === 'navigation');
    if (navigations.length > 1) {
      for (const nav of navigations) expect(nav.name, 'a navigation landmark among several').not.toBe('');
      expect(new Set(navigations.map((nav) => nav.name)).size, 'distinct navigation names').toBe(navigations.length);
    }
  });

  it.each(names)('names every control and button of the %s page', async (name) => {
    const controls = (await accessibilityTree(name)).filter((node) => CONTROLS.has(node.role));
    expect(controls.length).toBeGreaterThan(0);
    for (const control of controls) expect(control.name.trim(), `a ${control.role} without a name`).not.toBe('');
  });
});
