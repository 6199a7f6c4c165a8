/**
 * The dashboard's routes over HTTP, without a browser: what a browser's requests get (redirects,
 * cookies, security headers) and what forged ones get (another origin, a wrong form token, a
 * weaker scope). A server of its own on a redis-server of the test's own; no agent, so a submitted
 * run stays queued. The pages in Chromium with agents: runner/test/dashboard.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../agent/test/redis-server.js';
import { createApiToken } from '../src/api-tokens.js';
import { DASHBOARD_CSP } from '../src/dashboard/routes.js';
import { type RunningServer, startServer } from '../src/server.js';
import type { RunRecord } from '../src/store/store.js';

let own: OwnRedis;
let work: string;
let server: RunningServer;
let queued: RunRecord;
let closed = false;
const tokens = { read: '', submit: '', admin: '' };

async function get(path: string, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { redirect: 'manual', headers: { ...headers, ...(cookie === undefined ? {} : { cookie }) } });
}

async function post(path: string, form: Record<string, string>, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: { ...headers, ...(cookie === undefined ? {} : { cookie }) },
  });
}

/** Signs in; returns the cookie to send and the session's form token (from the sign-out form). */
async function signIn(token: string): Promise<{ cookie: string; csrf: string }> {
  const response = await post('/login', { token });
  expect(response.status).toBe(303);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const page = await (await get('/', cookie)).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] as string;
  return { cookie, csrf };
}

beforeAll(async () => {
  own = await startOwnRedis();
  work = await mkdtemp(join(tmpdir(), 'sortie-dashboard-'));
  const dataDir = join(work, 'data');
  server = await startServer({ redis: own.url, port: 0, dataDir, version: 'test', loadPlan: async () => ({}), retentionDays: 0 });
  for (const scope of ['read', 'submit', 'admin'] as const)
    tokens[scope] = (await createApiToken(server.store, { name: scope, scope })).token;
  const dir = join(work, 'bundle');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'a.json'), '{}');
  await writeFile(join(dir, 'sortie-bundle.json'), JSON.stringify({ version: 1, files: ['a.json'] }));
  const form = new FormData();
  form.set('bundle', new Blob([execFileSync('tar', ['-czf', '-', '-C', dir, '.'])]), 'plan.tar.gz');
  form.set('pool', 'nowhere');
  const response = await fetch(`${server.url}/api/runs`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${tokens.submit}` },
  });
  queued = (await response.json()) as RunRecord;
}, 60_000);

afterAll(async () => {
  if (!closed) await server?.close();
  await own?.close();
  await rm(work, { recursive: true, force: true });
});

describe('dashboard routes', { timeout: 60_000 }, () => {
  it('sends every page with the Content-Security-Policy, and without a session to the sign-in page', async () => {
    for (const path of ['/', '/agents', '/schedules', `/runs/${queued.id}`]) {
      const response = await get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toBe(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`);
      expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    }
    const login = await get('/login');
    expect(login.status).toBe(200);
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    expect((await get(`/runs/${queued.id}/live`, undefined, { accept: 'text/event-stream' })).status).toBe(401);
    const style = await get('/assets/dashboard.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('/assets/nope.js')).status).toBe(404);
    // Browsers ask for it on every page: a 404 was a console error on each dashboard page.
    const icon = await get('/favicon.ico');
    expect(icon.status).toBe(204);
    expect(icon.headers.get('cache-control')).toBe('max-age=86400');
  });

  it('signs in with a token into an HttpOnly session cookie, and refuses a sign-in posted from another origin', async () => {
    const response = await post('/login', { token: tokens.read });
    expect(response.headers.get('set-cookie')).toMatch(/^sortie_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(response.headers.get('set-cookie')).not.toContain(tokens.read);
    const forged = await post('/login', { token: tokens.read }, undefined, { origin: 'http://evil.example' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    expect((await post('/login', { token: 'sortie_wrong' })).status).toBe(401);
  });

  it('says a page past the last is empty and leads to the last page (was "Runs 2451–2450 of 1 · page 99 of 1")', async () => {
    const { cookie } = await signIn(tokens.read);
    const where = async (path: string) => {
      const page = await (await get(path, cookie)).text();
      return {
        where: /<span class="where">([^<]*)<\/span>/.exec(page)?.[1],
        prev: /<a rel="prev" href="([^"]*)">([^<]*)<\/a>/.exec(page)?.slice(1),
      };
    };
    expect(await where('/')).toEqual({ where: 'Runs 1–1 of 1 · page 1 of 1', prev: undefined });
    expect(await where('/?page=99')).toEqual({ where: 'No runs on page 99: 1 run, 1 page', prev: ['/', '← Last page (1)'] });
    expect(await where('/?page=2&pool=nowhere')).toEqual({
      where: 'No runs on page 2: 1 run, 1 page',
      prev: ['/?pool=nowhere', '← Last page (1)'],
    });
    expect(await where('/?page=3&pool=elsewhere')).toEqual({
      where: 'No runs on page 3: none match',
      prev: ['/?pool=elsewhere', '← Last page (1)'],
    });
  });

  it('reads a blank pool filter as any pool (a space typed in the field listed no run)', async () => {
    const { cookie } = await signIn(tokens.read);
    for (const path of ['/?pool=%20%20', '/?pool=+nowhere+&status=&trigger=']) {
      const page = await (await get(path, cookie)).text();
      expect(page, path).toContain(`<tr data-run="${queued.id}"`);
    }
    const blank = await (await get('/?pool=%20', cookie)).text();
    expect(blank).toContain('<input name="pool" value="" size="12" placeholder="any">');
    expect(blank).not.toContain('<a href="/">Clear</a>');
  });

  it("says what the schedule form lacks in the form's own words (minutes, not the API's milliseconds)", async () => {
    const { cookie, csrf } = await signIn(tokens.admin);
    const create = async (fields: Record<string, string>) => {
      const response = await post(
        '/schedules',
        { _csrf: csrf, name: 'dash-form', planId: queued.planId, pool: 'default', ...fields },
        cookie,
      );
      return { status: response.status, error: /<p class="error" role="alert">([^<]*)<\/p>/.exec(await response.text())?.[1] };
    };
    const oneOfTwo = { status: 400, error: 'Give a cron pattern or a number of minutes (one of the two).' };
    expect(await create({ cron: '', everyMinutes: '' })).toEqual(oneOfTwo);
    expect(await create({ cron: '0 2 * * *', everyMinutes: '5' })).toEqual(oneOfTwo);
    const range = { status: 400, error: 'Every: a number of minutes from 1 to 525600 (a year).' };
    for (const everyMinutes of ['1e12', '525601', '0', 'abc'])
      expect(await create({ cron: '', everyMinutes }), everyMinutes).toEqual(range);
    expect(await server.store.listSchedules()).toEqual([]);
  });

  it("shows a browser the dashboard's Not found page at an unknown address, and API clients the JSON error", async () => {
    const { cookie } = await signIn(tokens.read);
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    for (const path of ['/nope', '/run/abc?x=1', '/runs/x/y']) {
      const response = await get(path, cookie, html);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy'), path).toBe(DASHBOARD_CSP);
      expect(await response.text(), path).toContain('<h1>Not found</h1><p>There is no page at this address.</p>');
    }
    const api = await get('/api/nope', cookie, html);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'SORTIE_FILE_NOT_FOUND', title: 'Not found', message: 'no route GET /api/nope' } });
    const script = await get('/nope');
    expect(script.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('comes back to the page a link asked for after the sign-in, and never to another site', async () => {
    const deep = `/runs/${queued.id}?x=1&y=%3Cb%3E`;
    const first = await get(deep);
    expect(first.headers.get('location')).toBe(`/login?next=${encodeURIComponent(deep)}`);
    const form = await (await get(first.headers.get('location') as string)).text();
    expect(form).toContain('<input type="hidden" name="next" value="/runs/');
    expect(form).toContain('?x=1&amp;y=%3Cb%3E">');
    const signedIn = await post('/login', { token: tokens.read, next: deep });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(deep);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect((await get('/login?next=%2Fagents', cookie)).headers.get('location')).toBe('/agents');
    // A wrong token keeps where to go.
    expect(await (await post('/login', { token: 'sortie_wrong', next: '/agents' })).text()).toContain('name="next" value="/agents"');
    for (const next of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      '/\t/evil.example',
      'javascript:alert(1)',
      '/login?next=/x',
    ]) {
      const response = await post('/login', { token: tokens.read, next });
      expect(response.headers.get('location'), next).toBe('/');
      expect(await (await get(`/login?next=${encodeURIComponent(next)}`)).text(), next).not.toContain('name="next"');
    }
  });

  it('refuses a control without the session form token, from another origin, or above the scope', async () => {
    const reader = await signIn(tokens.read);
    const submitter = await signIn(tokens.submit);
    const cancel = `/runs/${queued.id}/cancel`;
    expect((await post(cancel, { _csrf: reader.csrf }, reader.cookie)).status).toBe(403);
    expect((await post(cancel, { _csrf: 'x'.repeat(43) }, submitter.cookie)).status).toBe(403);
    expect((await post(cancel, { _csrf: submitter.csrf }, submitter.cookie, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(cancel, { _csrf: submitter.csrf }, undefined)).status).toBe(401);
    expect(((await server.store.getRun(queued.id)) as RunRecord).status).toBe('queued');
    const done = await post(cancel, { _csrf: submitter.csrf }, submitter.cookie, { origin: server.url });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/runs/${queued.id}`);
    expect(((await server.store.getRun(queued.id)) as RunRecord).status).toBe('cancelled');
    expect((await get(`/runs/${queued.id}/reports/report.json`, reader.cookie)).status).toBe(404);
    const out = await post('/logout', { _csrf: reader.csrf }, reader.cookie);
    expect(out.headers.get('location')).toBe('/login');
    expect((await get('/', reader.cookie)).status).toBe(303);
  });

  it('says so on a page (503) when Redis is away, for the agents page and the controls that need it', async () => {
    const reader = await signIn(tokens.read);
    await own.stop();
    try {
      const deadline = Date.now() + 10_000;
      let agents = await get('/agents', reader.cookie);
      while (agents.status !== 503 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        agents = await get('/agents', reader.cookie);
      }
      expect(agents.status).toBe(503);
      expect(agents.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await agents.text();
      expect(page).toContain('<h1>Redis unavailable</h1>');
      expect(page).toMatch(/the server cannot reach Redis \(\w+\): agents are listed from Redis/);
    } finally {
      await own.restart();
    }
    const deadline = Date.now() + 15_000;
    while ((await get('/agents', reader.cookie)).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await get('/agents', reader.cookie)).status).toBe(200);
  });

  it('signs in behind a TLS-terminating proxy that forwards the host, and still refuses another origin there', async () => {
    // What nginx sends: `proxy_set_header Host $host` (the port left out) or its default Host (the
    // upstream's) with X-Forwarded-Host; fetch cannot set Host, so a raw request.
    const signInVia = (headers: Record<string, string>) =>
      new Promise<{ status: number; cookie: string }>((resolve, reject) => {
        const body = new URLSearchParams({ token: tokens.read }).toString();
        const url = new URL('/login', server.url);
        const req = httpRequest(
          url,
          { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https', ...headers } },
          (response) => {
            response.resume();
            resolve({ status: response.statusCode ?? 0, cookie: String(response.headers['set-cookie'] ?? '') });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const viaHost = await signInVia({ host: 'sortie.example:443', origin: 'https://sortie.example' });
    expect(viaHost.status).toBe(303);
    expect(viaHost.cookie).toContain('; Secure;');
    const viaForwardedHost = await signInVia({
      host: new URL(server.url).host,
      'x-forwarded-host': 'sortie.example:8443',
      origin: 'https://sortie.example:8443',
    });
    expect(viaForwardedHost.status).toBe(303);
    for (const origin of ['https://evil.example', 'https://sortie.example:8443.evil.example', 'https://sortie.example']) {
      const forged = await signInVia({ host: new URL(server.url).host, 'x-forwarded-host': 'sortie.example:8443', origin });
      expect(forged.status, origin).toBe(403);
      expect(forged.cookie, origin).toBe('');
    }
  });

  it('asks proxies not to buffer the event streams (nginx buffers them by default: no live progress)', async () => {
    const { cookie } = await signIn(tokens.read);
    const streams = [
      await get(`/runs/${queued.id}/live`, cookie, { accept: 'text/event-stream' }),
      await get(`/api/runs/${queued.id}/events`, undefined, { authorization: `Bearer ${tokens.read}` }),
    ];
    for (const stream of streams) {
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      expect(stream.headers.get('x-accel-buffering')).toBe('no');
      await stream.body?.cancel();
    }
  });

  it('ends the live progress streams when the server stops, instead of waiting for them', async () => {
    const plan = (await server.store.getRun(queued.id)) as RunRecord;
    const open = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      body: JSON.stringify({ planId: plan.planId, pool: 'nowhere' }),
      headers: { authorization: `Bearer ${tokens.submit}`, 'content-type': 'application/json' },
    });
    const run = (await open.json()) as RunRecord;
    const { cookie } = await signIn(tokens.read);
    const live = await get(`/runs/${run.id}/live`, cookie, { accept: 'text/event-stream' });
    expect(live.headers.get('content-type')).toBe('text/event-stream');
    const reader = (live.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: reset\n');
    const rest = (async () => {
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
      return text;
    })();
    await server.close();
    closed = true;
    await rest;
  });
});
