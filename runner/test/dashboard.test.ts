/**
 * The web dashboard of `sortie server`, end to end as a team uses it: the built CLI's server and
 * agents as separate processes on a redis-server of the test's own, runs submitted with
 * `sortie run --remote`, the fixture API as the API under test, and the pages driven in Debian's
 * Chromium through playwright-core (never a browser download). `UPDATE_GOLDEN=1` also rewrites the
 * screenshots in docs/img/dashboard-*.png.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { CHROMIUM, CHROMIUM_ARGS, CLI, ensureBuilt, isUpdatingGolden, ROOT, runSortie, startSortie } from '@sortie/testkit';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

/** The agents' secret: it must never reach a page of the dashboard, in any encoding. */
const SECRET = 'D4shb0ard s3cr3t+/=';
const XSS_SCENARIO = '<img src=x onerror="window.__xss=1">';
const XSS_STEP = '<script>window.__xss=2</script> post a note';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing, and CI is set`);
  console.warn(`Dashboard browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
}

interface ApiRun {
  id: string;
  status: string;
  planId: string;
  agent?: string;
  trigger: string;
  message?: string;
}

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let project: string;
let serverUrl: string;
let browser: Browser;
const tokens = { admin: '', submit: '', read: '' };
const processes: ChildProcess[] = [];
const contexts: BrowserContext[] = [];
/** Every HTML page and JSON body the browsers received, checked for secrets at the end. */
const received: string[] = [];
/** Dialogs no test expected (an injected `alert` would land here). */
const unexpectedDialogs: string[] = [];

/** Starts a long-running CLI command and resolves once its stderr matches `ready`. */
async function startCli(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processes.push(child);
  let stderr = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = stderr.match(ready);
      if (found !== null) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`sortie ${args[0]} exited with ${code}: ${stderr}`)));
  });
  return { child, match };
}

function startAgent(name: string, pool = 'default', concurrency = 2) {
  return startCli(
    ['agent', '--redis', redis.url, '--name', name, '--pool', pool, '--concurrency', String(concurrency)],
    /waiting for runs/,
    {
      API_KEY: SECRET,
    },
  );
}

async function apiCall<T>(path: string, token: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(`${serverUrl}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

async function listRuns(query = ''): Promise<ApiRun[]> {
  return (await apiCall<{ runs: ApiRun[] }>(`/api/runs?limit=500${query}`, tokens.read)).body.runs;
}

/** The newest run not among `known`, once the server has it. */
async function newRun(known: Set<string>): Promise<ApiRun> {
  let found: ApiRun | undefined;
  await expect
    .poll(async () => (found = (await listRuns()).find((run) => !known.has(run.id))), { timeout: 20_000, interval: 50 })
    .toBeDefined();
  return found as ApiRun;
}

async function runIds(): Promise<Set<string>> {
  return new Set((await listRuns()).map((run) => run.id));
}

/**
 * `sortie run --remote` of the project's scenarios, as a submitter runs it (not awaited: the tests
 * watch it). The scenarios have the fixture API's URL written in, so the runs of their stored plans
 * that the API and the schedules start need no variable either.
 */
function remote(args: string[], token = tokens.submit) {
  return startSortie(['run', '--remote', serverUrl, '--token', token, ...args], { cwd: project });
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm' && dialog.message().startsWith('Delete the schedule')) void dialog.accept();
    else {
      unexpectedDialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    }
  });
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (response.url().startsWith(serverUrl) && (type.startsWith('text/html') || type.startsWith('application/json'))) {
      void response
        .text()
        .then((text) => received.push(text))
        .catch(() => {});
    }
  });
  return { context, page };
}

/** A browser signed in with `token`, on the run list. */
async function signIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
  const session = await newPage();
  const { page } = session;
  await page.goto(`${serverUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${serverUrl}/`);
  return session;
}

const badge = (page: Page) => page.locator('h1 [data-live-status]');
const rowOf = (page: Page, text: string) => page.locator('tbody tr', { hasText: text });

beforeAll(async () => {
  if (!hasChromium) return;
  ensureBuilt();
  redis = await startOwnRedis();
  api = await startFixtureServer();
  work = await mkdtemp(join(tmpdir(), 'sortie-dashboard-'));
  project = join(work, 'project');
  await mkdir(project, { recursive: true });
  await writeFile(join(project, 'sortie.config.json'), JSON.stringify({ secrets: ['API_KEY'] }));
  const sendKey = {
    name: 'send the key',
    request: { method: 'POST', url: `${api.url}/echo`, headers: { 'X-Api-Key': '{{API_KEY}}' }, body: { json: { key: '{{API_KEY}}' } } },
    post: [{ assert: { status: { equals: 200 } } }],
  };
  const slow = (ms: number) => ({
    name: 'wait for the slow backend',
    request: { method: 'GET', url: `${api.url}/slow?ms=${ms}` },
    post: [{ assert: { status: { equals: 200 } } }],
  });
  const createOrder = {
    name: 'create an order',
    request: { method: 'POST', url: `${api.url}/echo/orders`, body: { json: { item: 'book', quantity: 2 } } },
    post: [{ assert: { status: { equals: 201 } } }],
  };
  await writeFile(join(project, 'orders.json'), JSON.stringify({ name: 'Orders API', steps: [sendKey, slow(2_500), createOrder] }));
  await writeFile(join(project, 'health.json'), JSON.stringify({ name: 'Health check', steps: [sendKey] }));
  const note = {
    name: XSS_STEP,
    request: { method: 'POST', url: `${api.url}/echo`, body: { json: { note: '<img src=x onerror=window.__xss=3>' } } },
    post: [{ assert: { status: { equals: 200 } } }],
  };
  await writeFile(join(project, 'xss.json'), JSON.stringify({ name: XSS_SCENARIO, steps: [note, slow(2_500)] }));
  const dataDir = join(work, 'server-data');
  for (const scope of ['admin', 'submit', 'read'] as const) {
    const created = await runSortie([
      'server',
      'token',
      'create',
      '--scope',
      scope,
      '--name',
      `${scope} <i>token</i>`,
      '--data-dir',
      dataDir,
    ]);
    expect(created.code, created.stderr).toBe(0);
    tokens[scope] = created.stdout.trim();
  }
  const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/);
  serverUrl = server.match[1] as string;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await api?.close();
  await redis?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('the dashboard of sortie server, in Chromium', { timeout: 120_000 }, () => {
  it('shows the sign-in page without a session and refuses a wrong token', async () => {
    const { page } = await newPage();
    const first = await page.goto(`${serverUrl}/runs/whatever`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    const wrong = `sortie_${'x'.repeat(43)}`;
    await page.getByLabel('API token').fill(wrong);
    const [answer] = await Promise.all([page.waitForResponse(`${serverUrl}/login`), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(answer.status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('This token is not valid on this server.');
    expect(page.url()).not.toContain(wrong);
    expect(await page.content()).not.toContain(wrong);
    expect((await page.context().cookies()).length).toBe(0);
  });

  it('shows a run go from queued to running to failed live, opens the failing step and downloads the reports', async () => {
    const { page } = await signIn(tokens.submit);
    const known = await runIds();
    // No agent yet: the run waits in the queue.
    const submitted = remote(['orders.json', '-r', 'cli,json,junit,html', '--out-dir', join(work, 'out-orders')]);
    const run = await newRun(known);
    await page.goto(`${serverUrl}/runs/${run.id}`);
    expect(await badge(page).textContent()).toBe('queued');
    // No agent yet: the page says why the run waits, as sortie run --remote does.
    expect(await page.locator('#live-current').textContent()).toBe(
      'Waiting for an agent of pool default: no live agent serves it (start one with sortie agent --pool default).',
    );

    await startAgent('agent-1');
    await expect.poll(() => badge(page).textContent(), { timeout: 20_000, interval: 50 }).toBe('running');
    // While the slow step runs, the first one is already on the page, rendered as in the report.
    const liveStep = page.locator('#live-steps li.step', { hasText: 'send the key' });
    await expect.poll(() => liveStep.count(), { timeout: 10_000, interval: 50 }).toBe(1);
    expect(await badge(page).textContent()).toBe('running');
    expect(await page.locator('#run-agent').textContent()).toBe('agent-1');
    expect(await page.locator('#run-started').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    if (isUpdatingGolden()) await page.screenshot({ path: join(ROOT, 'docs', 'img', 'dashboard-live.png'), fullPage: false });

    await expect.poll(() => badge(page).textContent(), { timeout: 30_000 }).toBe('failed');
    const failed = page.locator('section.report li.step', { hasText: 'create an order' });
    await expect.poll(() => failed.locator('ul.problems').textContent()).toContain('expected status to equal 201 but was 200');
    await failed.locator(':scope > details > summary').click();
    const details = failed.locator(':scope > details > .detail');
    await expect.poll(() => details.isVisible()).toBe(true);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a reader sees
    const shown = (await details.innerText()).replace(/\s+/g, ' ');
    expect(shown).toContain(`POST ${api.url}/echo/orders`);
    expect(shown).toContain('HTTP/1.1 200 OK');
    expect(await details.textContent()).toContain('"item": "book"');
    // The key the agent sent shows redacted, in the request and in the echoed response.
    const keyStep = page.locator('section.report li.step', { hasText: 'send the key' });
    await keyStep.locator(':scope > details > summary').click();
    expect(await keyStep.locator('.detail').textContent()).toContain('[REDACTED]');
    if (isUpdatingGolden()) {
      await keyStep.locator(':scope > details > summary').click();
      await page.screenshot({ path: join(ROOT, 'docs', 'img', 'dashboard-run.png'), fullPage: true });
    }

    const links = await page.locator('.downloads a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual([
      `/runs/${run.id}/reports/report.json`,
      `/runs/${run.id}/reports/junit.xml`,
      `/runs/${run.id}/reports/report.html`,
    ]);
    const json = await page.request.get(`${serverUrl}${links[0]}`);
    expect(json.headers()['content-disposition']).toBe(`attachment; filename="sortie-${run.id.slice(0, 8)}-report.json"`);
    expect(((await json.json()) as { status: string }).status).toBe('failed');
    const htmlReport = await page.request.get(`${serverUrl}${links[2]}`);
    expect(htmlReport.headers()['content-security-policy']).toMatch(/^sandbox/);
    expect(await htmlReport.text()).not.toContain(SECRET);
    expect((await submitted.done).code).toBe(1);
  });

  it('cancels a running run from its page: the agent stops it and the page shows it cancelled', async () => {
    const { page } = await signIn(tokens.submit);
    const known = await runIds();
    const submitted = remote(['orders.json']);
    const run = await newRun(known);
    await page.goto(`${serverUrl}/runs/${run.id}`);
    await expect.poll(() => page.locator('#live-steps li.step').count(), { timeout: 20_000, interval: 50 }).toBe(1);
    expect(await badge(page).textContent()).toBe('running');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => badge(page).textContent(), { timeout: 20_000 }).toBe('cancelled');
    expect(await page.locator('.message').textContent()).toBe('cancelled while it ran');
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    expect((await submitted.done).code).toBe(1);
  });

  it('filters the run list by status and pages through it', async () => {
    const { page } = await signIn(tokens.read);
    const passing = remote(['health.json']);
    expect((await passing.done).code).toBe(0);
    await page.goto(`${serverUrl}/`);
    await page.locator('select[name=status]').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=failed/);
    const statuses = () =>
      page.locator('#runs tbody tr[data-run]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
    expect(await statuses()).toEqual(['failed']);
    await page.locator('select[name=status]').selectOption('passed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=passed/);
    expect(await statuses()).toEqual(['passed']);
    expect(await rowOf(page, 'health.json').locator('td').nth(3).textContent()).toBe('CLI (--remote)');

    // 25 more runs of the stored plan, through the API: two pages.
    const planId = (await listRuns('&status=passed'))[0]?.planId as string;
    for (let i = 0; i < 25; i++) {
      const queued = await apiCall<ApiRun>('/api/runs', tokens.submit, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ planId }),
      });
      expect(queued.status).toBe(201);
    }
    await expect.poll(async () => (await listRuns('&status=passed')).length, { timeout: 60_000 }).toBe(26);
    await page.goto(`${serverUrl}/?trigger=api`);
    expect(await page.locator('.paging .where').textContent()).toBe('Runs 1–25 of 25 · page 1 of 1');
    await page.goto(`${serverUrl}/`);
    expect(await page.locator('.paging .where').textContent()).toBe('Runs 1–25 of 28 · page 1 of 2');
    if (isUpdatingGolden()) await page.screenshot({ path: join(ROOT, 'docs', 'img', 'dashboard-runs.png'), fullPage: false });
    await page.getByRole('link', { name: 'Older →' }).click();
    await page.waitForURL(/page=2/);
    expect(await page.locator('#runs tbody tr[data-run]').count()).toBe(3);
    expect(await page.locator('.paging .where').textContent()).toBe('Runs 26–28 of 28 · page 2 of 2');
  });

  it('lists the agents with pool, version and slots, and shows a killed one as lost without a reload', async () => {
    const doomed = await startAgent('agent-edge', 'edge', 1);
    const { page } = await signIn(tokens.read);
    await page.goto(`${serverUrl}/agents`);
    const cells = (name: string) => rowOf(page, name).locator('td').allTextContents();
    const [name, state, pool, version, slots, lastSeen] = await cells('agent-1');
    expect([name, state, pool, slots]).toEqual(['agent-1', 'live', 'default', '0 / 2']);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(lastSeen).toMatch(/^\d+ s ago$/);
    expect((await cells('agent-edge')).slice(0, 5)).toEqual(['agent-edge', 'live', 'edge', version, '0 / 1']);
    doomed.child.kill('SIGKILL');
    await expect.poll(async () => (await cells('agent-edge'))[1], { timeout: 30_000, interval: 500 }).toBe('lost');
    expect(await page.locator('ul.pools').textContent()).toContain('default: 1 live agent, 0 of 2 slots busy');
    if (isUpdatingGolden()) await page.screenshot({ path: join(ROOT, 'docs', 'img', 'dashboard-agents.png'), fullPage: false });
  });

  it('creates, pauses, resumes, runs now and deletes a schedule (admin)', async () => {
    const { page } = await signIn(tokens.admin);
    await page.goto(`${serverUrl}/schedules`);
    const create = async (name: string, fields: { cron?: string; every?: string }) => {
      await page.getByLabel('Name').fill(name);
      await page
        .getByLabel('Plan')
        .selectOption({ label: (await page.locator('select[name=planId] option', { hasText: 'health.json' }).textContent()) ?? '' });
      await page.getByLabel('Cron').fill(fields.cron ?? '');
      await page.getByLabel('or every').fill(fields.every ?? '');
      await page.getByRole('button', { name: 'Create schedule' }).click();
      await page.waitForLoadState();
    };
    await create('broken', { cron: 'not a cron' });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('cannot schedule "not a cron"');
    await create('Nightly <b>smoke</b>', { every: '60' });
    await create('Hourly check', { cron: '0 * * * *' });
    const nightly = rowOf(page, 'Nightly <b>smoke</b>');
    expect((await nightly.locator('td').allTextContents()).slice(2, 5)).toEqual(['every 1 h', 'default', 'active']);
    await nightly.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => nightly.locator('td').nth(4).textContent()).toBe('paused');
    const stored = await apiCall<{ schedules: Array<{ name: string; paused: boolean }> }>('/api/schedules', tokens.read);
    expect(stored.body.schedules.find((s) => s.name === 'Nightly <b>smoke</b>')?.paused).toBe(true);
    await nightly.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => nightly.locator('td').nth(4).textContent()).toBe('active');

    await nightly.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    expect(await page.locator('table.facts tr', { hasText: 'Trigger' }).locator('td').textContent()).toBe(
      'Dashboard · Nightly <b>smoke</b>',
    );
    await expect.poll(() => badge(page).textContent(), { timeout: 30_000 }).toBe('passed');
    await page.goto(`${serverUrl}/schedules`);
    // Next run (every hour from its creation, in UTC), then the last run.
    expect(await nightly.locator('td').nth(5).textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(await nightly.locator('td').nth(6).textContent()).toMatch(/^passed \d{4}-/);
    if (isUpdatingGolden()) await page.screenshot({ path: join(ROOT, 'docs', 'img', 'dashboard-schedules.png'), fullPage: false });
    await nightly.getByRole('button', { name: 'Delete' }).click();
    await page.waitForLoadState();
    await expect.poll(() => nightly.count()).toBe(0);
    expect(await rowOf(page, 'Hourly check').count()).toBe(1);
  });

  it('shows a read token everything but no control, and refuses the controls with 403', async () => {
    const queued = await apiCall<ApiRun>('/api/runs', tokens.submit, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ planId: (await listRuns('&status=passed'))[0]?.planId, pool: 'nowhere' }),
    });
    const schedule = (await apiCall<{ schedules: Array<{ id: string; name: string }> }>('/api/schedules', tokens.read)).body.schedules[0];
    expect(schedule?.name).toBe('Hourly check');
    const { page } = await signIn(tokens.read);
    expect(await page.locator('.who').textContent()).toContain('read <i>token</i> read');
    await page.goto(`${serverUrl}/schedules`);
    expect(await rowOf(page, 'Hourly check').count()).toBe(1);
    expect(await page.locator('.page button:not(.link)').count()).toBe(0);
    expect(await page.getByText('New schedule').count()).toBe(0);
    await page.goto(`${serverUrl}/runs/${queued.body.id}`);
    expect(await badge(page).textContent()).toBe('queued');
    expect(await page.locator('.page button:not(.link)').count()).toBe(0);

    // Posted anyway, with the session's own form token: refused, by the dashboard and by the API.
    const csrf = await page.locator('form[action="/logout"] input[name=_csrf]').inputValue();
    for (const path of [`/schedules/${schedule?.id}/pause`, `/schedules/${schedule?.id}/run`, `/runs/${queued.body.id}/cancel`]) {
      const refused = await page.request.post(`${serverUrl}${path}`, { form: { _csrf: csrf }, maxRedirects: 0 });
      expect(refused.status(), path).toBe(403);
      expect(await refused.text()).toContain('yours has read');
    }
    const patch = await apiCall(`/api/schedules/${schedule?.id}`, tokens.read, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"paused":true}',
    });
    expect(patch.status).toBe(403);
    expect((await apiCall(`/api/runs/${queued.body.id}/cancel`, tokens.read, { method: 'POST' })).status).toBe(403);

    // A submit token may cancel; a form without the session's token is refused even so.
    const submitter = await signIn(tokens.submit);
    const noCsrf = await submitter.page.request.post(`${serverUrl}/runs/${queued.body.id}/cancel`, {
      form: { _csrf: 'forged' },
      maxRedirects: 0,
    });
    expect(noCsrf.status()).toBe(403);
    await submitter.page.goto(`${serverUrl}/runs/${queued.body.id}`);
    expect(await submitter.page.locator('.page button:not(.link)').allTextContents()).toEqual(['Cancel run']);
    await submitter.page.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => badge(submitter.page).textContent()).toBe('cancelled');
    expect(await submitter.page.locator('.message').textContent()).toBe('cancelled before it started');
  });

  it('shows markup in scenario and step names as text, live and finished, and never runs it', async () => {
    const { page } = await signIn(tokens.submit);
    const known = await runIds();
    const submitted = remote(['xss.json', '-r', 'json']);
    const run = await newRun(known);
    await page.goto(`${serverUrl}/runs/${run.id}`);
    const liveStep = page.locator('#live-steps li.step');
    await expect.poll(() => liveStep.count(), { timeout: 20_000, interval: 50 }).toBe(1);
    expect(await page.locator('#live-steps .live-scenario h3').textContent()).toBe(XSS_SCENARIO);
    expect(await liveStep.locator('.name').textContent()).toBe(XSS_STEP);
    await expect.poll(() => badge(page).textContent(), { timeout: 30_000 }).toBe('passed');
    expect(await page.locator('section.scenario h2').textContent()).toContain(XSS_SCENARIO);
    const step = page.locator('section.report li.step', { hasText: 'post a note' });
    expect(await step.locator('.name').textContent()).toBe(XSS_STEP);
    await step.locator(':scope > details > summary').click();
    expect(await step.locator('.detail').textContent()).toContain('<img src=x onerror=window.__xss=3>');
    expect(await page.locator('.page img, .page script').count()).toBe(0);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect((await submitted.done).code).toBe(0);
  });

  it('keeps the session in an HttpOnly cookie that sign-out ends on the server', async () => {
    const { context, page } = await signIn(tokens.admin);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'sortie_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).not.toContain(tokens.admin);
    expect(await page.evaluate('document.cookie')).toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${serverUrl}/login`);
    await context.addCookies([cookie as NonNullable<typeof cookie>]);
    await page.goto(`${serverUrl}/agents`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('sends a page whose session ended to sign in again, then back to the same page and filter', async () => {
    const { context, page } = await signIn(tokens.read);
    await page.goto(`${serverUrl}/agents?pool=default`);
    await context.clearCookies(); // as when the session expires on the server: the next refresh is redirected
    await page.waitForURL(`${serverUrl}/login?next=${encodeURIComponent('/agents?pool=default')}`, { timeout: 15_000 });
    await page.getByLabel('API token').fill(tokens.read);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${serverUrl}/agents?pool=default`);
  });

  it('never showed a secret or an API token, and no injected dialog opened', async () => {
    expect(received.length).toBeGreaterThan(20);
    for (const body of received) {
      expect(body).not.toContain(SECRET);
      for (const token of Object.values(tokens)) expect(body).not.toContain(token);
    }
    expect(unexpectedDialogs).toEqual([]);
  });
});
