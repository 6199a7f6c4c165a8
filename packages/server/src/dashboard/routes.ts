/**
 * The web dashboard of `sortie server`, on the API's port: server-rendered pages (runs, a run's
 * live progress and step view, agents, schedules) behind a sign-in with an API token. The browser
 * gets a session cookie (HttpOnly, SameSite=Strict), never the token; every POST carries the
 * session's CSRF token; the controls a token's scope may not use are left out of the pages and
 * refused (403) if posted anyway, as the API refuses them. Every page is sent with a
 * Content-Security-Policy that allows only the server's own scripts and styles.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { type AgentStatus, listAgents, POOL_NAME, readRunStream, VIEW_REPORT } from '@sortie/agent';
import { ErrorCode, isSortieError } from '@sortie/core';
import { PAGE_SCRIPT, PAGE_STYLE } from '@sortie/reporters';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { hashApiToken, scopeAllows } from '../api-tokens.js';
import { EVENT_STREAM_HEADERS, EVENT_STREAM_RETRY_AFTER_S, EventStreamSlots } from '../event-streams.js';
import { requireRedis } from '../redis-connection.js';
import type { RunDispatcher } from '../run-dispatcher.js';
import type { RunTracker } from '../run-tracker.js';
import { MAX_EVERY_MS, type NewSchedule, type Schedules } from '../schedules.js';
import { FINAL_RUN_STATUSES, type RunRecord, type RunStatus, type RunTrigger, type Store, type TokenScope } from '../store/store.js';
import { DASHBOARD_SCRIPT, DASHBOARD_STYLE } from './assets.js';
import { formatSse, LiveProgress } from './live-progress.js';
import { renderAgentsPage } from './pages/agents-page.js';
import type { Viewer } from './pages/layout.js';
import { renderLoginPage } from './pages/login-page.js';
import { renderRunPage } from './pages/run-page.js';
import { RUN_STATUSES, RUN_TRIGGERS, RUNS_PER_PAGE, type RunFilter, renderRunsPage } from './pages/runs-page.js';
import { renderMessagePage, renderSchedulesPage } from './pages/schedules-page.js';
import { csrfMatches, type DashboardSession, DashboardSessions } from './sessions.js';

export interface DashboardServices {
  store: Store;
  dispatcher: RunDispatcher;
  tracker: RunTracker;
  schedules: Schedules;
  redis: Redis;
  version: string;
  sessions?: DashboardSessions;
  /** The server's cap on open event streams, shared with the API's (each holds a Redis connection). */
  eventStreams?: EventStreamSlots;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a dashboard route needs from the signed-in session. */
    session?: TokenScope;
  }
}

export const SESSION_COOKIE = 'sortie_session';

/** The longest interval the schedule form takes, in its unit. */
const MAX_EVERY_MINUTES = MAX_EVERY_MS / 60_000;

/** Where the step view goes in a run page; escaped user text can never contain it (it has a `<`). */
const VIEW_SLOT = '<!--sortie:step-view-->';

/** The policy of every dashboard response: the server's own scripts, styles and connections, nothing else. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ASSETS: Record<string, { type: string; body: string }> = {
  'dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_STYLE },
  'dashboard.js': { type: 'text/javascript; charset=utf-8', body: DASHBOARD_SCRIPT },
  // The HTML report's own style and script, for the step view of a run page.
  'report.css': { type: 'text/css; charset=utf-8', body: PAGE_STYLE },
  'report.js': { type: 'text/javascript; charset=utf-8', body: PAGE_SCRIPT },
};

interface Signed {
  id: string;
  session: DashboardSession;
  viewer: Viewer;
}

/**
 * The answer to a browser's page request for a path that is neither the API's nor the dashboard's
 * (a mistyped or stale link, `/run/<id>`): the dashboard's own "Not found" page, with its security
 * headers, where the server's JSON error was shown as a page. `undefined` for anything else (the
 * API's clients, a script's request, `/api/…`), which keeps the JSON error.
 */
export function dashboardNotFoundPage(
  request: FastifyRequest,
  version: string,
): { headers: Record<string, string>; body: string } | undefined {
  const path = request.url.split('?')[0] ?? '';
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  if (path === '/api' || path.startsWith('/api/')) return undefined;
  if (request.headers.accept?.includes('text/html') !== true) return undefined;
  return {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
    },
    body: renderMessagePage({ version, title: 'Not found', message: 'There is no page at this address.' }),
  };
}

/** Registers the dashboard's routes in a context of their own (its cookie and form parsers do not reach the API). */
export async function registerDashboard(app: FastifyInstance, services: DashboardServices): Promise<void> {
  await app.register(async (scope) => dashboardRoutes(scope, services));
}

async function dashboardRoutes(app: FastifyInstance, services: DashboardServices): Promise<void> {
  const { store, dispatcher, schedules, tracker, version } = services;
  const sessions = services.sessions ?? new DashboardSessions();
  const signedIn = new WeakMap<FastifyRequest, Signed>();
  const streams = new Set<AbortController>();
  const eventStreams = services.eventStreams ?? new EventStreamSlots();
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  // Before the server waits for its connections to end (onClose would come after, and never).
  app.addHook('preClose', async () => {
    for (const controller of streams) controller.abort();
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', DASHBOARD_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    // Not no-referrer: with it Chromium sends `Origin: null` on a form POST, which the origin check refuses.
    reply.header('referrer-policy', 'same-origin');
    const needed = request.routeOptions.config.session;
    if (needed === undefined) return;
    reply.header('cache-control', 'no-store');
    const id = request.cookies[SESSION_COOKIE];
    const session = sessions.get(id);
    const token = session === undefined ? undefined : await store.findTokenByHash(session.tokenHash);
    if (id === undefined || session === undefined || token === undefined) {
      if (session !== undefined) sessions.delete(id);
      if (request.method === 'GET' && request.headers.accept?.includes('text/event-stream') !== true) {
        // The page asked for comes back after the sign-in (a link to a run shared in a chat).
        return reply.code(303).header('location', loginFor(request.url)).send();
      }
      return reply.code(401).type('text/plain; charset=utf-8').send('Sign in first.');
    }
    const viewer: Viewer = { tokenName: token.name, scope: token.scope, csrf: session.csrf };
    signedIn.set(request, { id, session, viewer });
    if (!scopeAllows(token.scope, needed)) {
      return reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(
          renderMessagePage({
            version,
            viewer,
            title: 'Forbidden',
            message: `This needs a token with the ${needed} scope; yours has ${token.scope}.`,
          }),
        );
    }
  });

  // Forms are checked once their body is read: same origin, and the session's CSRF token.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    if (!sameOrigin(request)) return reply.code(403).type('text/plain; charset=utf-8').send('Cross-origin form refused.');
    const signed = signedIn.get(request);
    if (signed === undefined) return;
    if (!csrfMatches(signed.session, (request.body as Record<string, unknown> | undefined)?._csrf)) {
      return reply.code(403).type('text/plain; charset=utf-8').send('This form has expired: reload the page and try again.');
    }
  });

  const viewerOf = (request: FastifyRequest): Viewer => (signedIn.get(request) as Signed).viewer;
  const sendPage = (reply: FastifyReply, page: string, code = 200) => reply.code(code).type('text/html; charset=utf-8').send(page);

  // Redis away (requireRedis): a page saying so, not the API's JSON; anything else goes to the API's handler.
  app.setErrorHandler((error, request, reply) => {
    if (!isSortieError(error) || error.code !== ErrorCode.NETWORK) throw error;
    const page = renderMessagePage({
      version,
      viewer: signedIn.get(request)?.viewer,
      title: error.title,
      message: `${error.message}. ${error.hint ?? ''}`,
    });
    return sendPage(reply, page, 503);
  });
  const notFound = (request: FastifyRequest, reply: FastifyReply, what: string) =>
    sendPage(reply, renderMessagePage({ version, viewer: viewerOf(request), title: 'Not found', message: what }), 404);

  app.get('/assets/:name', async (request, reply) => {
    const asset = ASSETS[(request.params as { name: string }).name];
    if (asset === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('No such file.');
    return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  });

  // Browsers ask for an icon on every page; the dashboard has none: a 404 was a console error on each page.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'max-age=86400').send());

  app.get('/login', async (request, reply) => {
    const next = localPath((request.query as Record<string, unknown>).next);
    if (sessions.get(request.cookies[SESSION_COOKIE]) !== undefined)
      return reply
        .code(303)
        .header('location', next ?? '/')
        .send();
    reply.header('cache-control', 'no-store');
    return sendPage(reply, renderLoginPage({ version, next }));
  });

  app.post('/login', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const body = request.body as Record<string, unknown> | undefined;
    const sent = body?.token;
    const next = localPath(body?.next);
    const token = typeof sent === 'string' && sent.trim() !== '' ? await store.findTokenByHash(hashApiToken(sent.trim())) : undefined;
    if (token === undefined) {
      return sendPage(reply, renderLoginPage({ version, next, error: 'This token is not valid on this server.' }), 401);
    }
    sessions.delete(request.cookies[SESSION_COOKIE]);
    const { id } = sessions.create(token.hash);
    reply.setCookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/', secure: isHttps(request) });
    void store.touchToken(token.id, Date.now()).catch(() => {});
    return reply
      .code(303)
      .header('location', next ?? '/')
      .send();
  });

  // Open to expired sessions too (it then only clears the cookie); a live session must send its form token.
  app.post('/logout', async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    const session = sessions.get(id);
    if (session !== undefined && !csrfMatches(session, (request.body as Record<string, unknown> | undefined)?._csrf)) {
      return reply.code(403).type('text/plain; charset=utf-8').send('This form has expired: reload the page and try again.');
    }
    sessions.delete(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('location', '/login').send();
  });

  app.get('/', { config: { session: 'read' } }, async (request, reply) => {
    const filter = parseFilter(request.query as Record<string, unknown>);
    const query: Parameters<Store['listRuns']>[0] = { limit: RUNS_PER_PAGE, offset: (filter.page - 1) * RUNS_PER_PAGE };
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.trigger !== undefined) query.trigger = filter.trigger;
    if (filter.pool !== undefined) query.pool = filter.pool;
    const { runs, total } = await store.listRuns(query);
    const page = renderRunsPage({
      version,
      viewer: viewerOf(request),
      runs,
      total,
      filter,
      planNames: await planNames(
        store,
        runs.map((run) => run.planId),
      ),
      scheduleNames: new Map((await store.listSchedules()).map((s) => [s.id, s.name])),
      now: Date.now(),
    });
    return sendPage(reply, page);
  });

  app.get('/runs/:id', { config: { session: 'read' } }, async (request, reply) => {
    const run = await store.getRun((request.params as { id: string }).id);
    if (run === undefined) return notFound(request, reply, 'There is no run with this id (runs older than the retention are deleted).');
    const data: Parameters<typeof renderRunPage>[0] = { version, viewer: viewerOf(request), run, now: Date.now() };
    const plan = await store.getPlan(run.planId);
    if (plan !== undefined) data.planName = plan.name;
    if (run.scheduleId !== undefined) {
      const schedule = await store.getSchedule(run.scheduleId);
      if (schedule !== undefined) data.scheduleName = schedule.name;
    }
    // An open run's page says what it waits for (no agent in its pool, its agent lost); not while Redis is away.
    if (!FINAL_RUN_STATUSES.has(run.status) && services.redis.status === 'ready') {
      data.agents = await listAgents(services.redis).catch(() => undefined);
    }
    const found = FINAL_RUN_STATUSES.has(run.status) ? await tracker.findReport(run.id, VIEW_REPORT.file) : undefined;
    if (found === undefined) return sendPage(reply, renderRunPage(data));
    const viewFile = found;
    // The step view is streamed from its file into the page: a run of 100,000 steps is not read into memory.
    data.view = VIEW_SLOT;
    const [before, after] = renderRunPage(data).split(VIEW_SLOT) as [string, string];
    async function* page() {
      yield before;
      yield* createReadStream(viewFile);
      yield after;
    }
    return reply.type('text/html; charset=utf-8').send(Readable.from(page()));
  });

  app.get('/runs/:id/live', { config: { session: 'read' } }, async (request, reply) => {
    const run = await store.getRun((request.params as { id: string }).id);
    if (run === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('No such run.');
    const release = eventStreams.take();
    if (release === undefined) {
      return reply
        .code(503)
        .header('retry-after', String(EVENT_STREAM_RETRY_AFTER_S))
        .type('text/plain; charset=utf-8')
        .send('Too many live views are open on this server; reload the page in a few seconds.');
    }
    request.raw.on('close', release);
    try {
      const { id, session } = signedIn.get(request) as Signed;
      const signedInStill = async () => sessions.isLive(id) && (await store.findTokenByHash(session.tokenHash)) !== undefined;
      await streamLive(services, run, request, reply, streams, signedInStill);
    } finally {
      release();
    }
  });

  app.get('/runs/:id/reports/:name', { config: { session: 'read' } }, async (request, reply) => {
    const { id, name } = request.params as { id: string; name: string };
    const run = await store.getRun(id);
    if (run === undefined || !run.reports.includes(name)) return notFound(request, reply, 'This run has no such report.');
    const file = await tracker.findReport(id, name);
    if (file === undefined) return notFound(request, reply, 'This run has no such report.');
    const { size } = await stat(file);
    // A download, never a page of the dashboard's origin (the HTML report has inline code of its own).
    reply.header('content-disposition', `attachment; filename="sortie-${id.slice(0, 8)}-${name}"`);
    reply.header('content-security-policy', "sandbox; default-src 'none'");
    reply.header('content-length', size);
    reply.type(name.endsWith('.xml') ? 'application/xml' : name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/json');
    return reply.send(createReadStream(file));
  });

  app.post('/runs/:id/cancel', { config: { session: 'submit' } }, async (request, reply) => {
    const run = await dispatcher.cancel((request.params as { id: string }).id);
    if (run === undefined) return notFound(request, reply, 'There is no run with this id.');
    return reply.code(303).header('location', `/runs/${run.id}`).send();
  });

  app.get('/agents', { config: { session: 'read' } }, async (request, reply) => {
    requireRedis(services.redis, 'agents are listed from Redis');
    const agents: AgentStatus[] = await listAgents(services.redis);
    return sendPage(reply, renderAgentsPage({ version, viewer: viewerOf(request), agents, now: Date.now() }));
  });

  const schedulesPage = async (request: FastifyRequest, extra: { error?: string; form?: Record<string, string> } = {}) => {
    const [list, nextRuns] = await Promise.all([store.listSchedules(), schedules.nextRuns()]);
    const lastRuns = new Map<string, RunRecord>();
    for (const schedule of list) {
      const last = (await store.listRuns({ scheduleId: schedule.id, limit: 1 })).runs[0];
      if (last !== undefined) lastRuns.set(schedule.id, last);
    }
    const recent = (await store.listRuns({ limit: 500 })).runs.map((run) => run.planId);
    const plans = await planNames(store, [...list.map((s) => s.planId), ...recent]);
    return renderSchedulesPage({ version, viewer: viewerOf(request), schedules: list, lastRuns, nextRuns, plans, ...extra });
  };

  app.get('/schedules', { config: { session: 'read' } }, async (request, reply) => sendPage(reply, await schedulesPage(request)));

  app.post('/schedules', { config: { session: 'admin' } }, async (request, reply) => {
    const form = stringFields(request.body);
    const input: NewSchedule = { name: form.name ?? '', planId: form.planId ?? '', pool: form.pool || 'default' };
    if (form.cron) input.cron = form.cron;
    if (form.everyMinutes) input.every = Math.round(Number(form.everyMinutes) * 60_000);
    let error: string | undefined;
    if (input.name.trim() === '') error = 'Give the schedule a name.';
    else if (!POOL_NAME.test(input.pool as string)) error = `Invalid pool name "${input.pool}": letters, digits, "-" and "_".`;
    // The form's words (a cron pattern, minutes), not the API's ("cron", "every" in milliseconds).
    else if (!form.cron === !form.everyMinutes) error = 'Give a cron pattern or a number of minutes (one of the two).';
    else if (form.everyMinutes && !(Number(form.everyMinutes) >= 1 && Number(form.everyMinutes) <= MAX_EVERY_MINUTES)) {
      error = `Every: a number of minutes from 1 to ${MAX_EVERY_MINUTES} (a year).`;
    } else {
      try {
        await schedules.create(input);
      } catch (failure) {
        if (!isSortieError(failure)) throw failure;
        error = `${failure.message}${failure.hint === undefined ? '' : ` (${failure.hint})`}`;
      }
    }
    if (error !== undefined) return sendPage(reply, await schedulesPage(request, { error, form }), 400);
    return reply.code(303).header('location', '/schedules').send();
  });

  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    app.post(`/schedules/:id/${action}`, { config: { session: 'admin' } }, async (request, reply) => {
      const schedule = await schedules.setPaused((request.params as { id: string }).id, paused);
      if (schedule === undefined) return notFound(request, reply, 'There is no schedule with this id.');
      return reply.code(303).header('location', '/schedules').send();
    });
  }

  app.post('/schedules/:id/delete', { config: { session: 'admin' } }, async (request, reply) => {
    if (!(await schedules.remove((request.params as { id: string }).id)))
      return notFound(request, reply, 'There is no schedule with this id.');
    return reply.code(303).header('location', '/schedules').send();
  });

  app.post('/schedules/:id/run', { config: { session: 'submit' } }, async (request, reply) => {
    const schedule = await store.getSchedule((request.params as { id: string }).id);
    if (schedule === undefined) return notFound(request, reply, 'There is no schedule with this id.');
    const run = await dispatcher.runScheduleNow(schedule, 'dashboard');
    return reply.code(303).header('location', `/runs/${run.id}`).send();
  });
}

/** How often an open live stream checks that its session is still signed in. */
const SESSION_CHECK_MS = 2_000;

/**
 * The live progress of an open run as Server-Sent Events, from the start of its stream (a page that
 * reconnects gets `reset` and everything again). After the stream's end, waits until the server
 * has recorded the outcome and moved the step view, then sends `end`.
 */
async function streamLive(
  services: DashboardServices,
  run: RunRecord,
  request: FastifyRequest,
  reply: FastifyReply,
  streams: Set<AbortController>,
  signedInStill: () => Promise<boolean>,
): Promise<void> {
  reply.hijack();
  const headers = reply.getHeaders() as Record<string, string>;
  reply.raw.writeHead(200, { ...headers, ...EVENT_STREAM_HEADERS });
  const write = (text: string) => {
    if (!reply.raw.destroyed) reply.raw.write(text);
  };
  const controller = new AbortController();
  streams.add(controller);
  request.raw.on('close', () => controller.abort());
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), 15_000);
  // A stream ends with its session (signed out in another tab, expired, its token deleted): it went
  // on showing the run's progress to a browser signed out. The page then reconnects, gets a 401 and
  // goes to sign in.
  const sessionCheck = setInterval(() => {
    void signedInStill().then(
      (live) => live || controller.abort(),
      () => {},
    );
  }, SESSION_CHECK_MS);
  const connection = services.redis.duplicate();
  connection.on('error', () => {});
  const progress = new LiveProgress();
  try {
    write(formatSse({ event: 'reset', data: { attempt: run.attempt } }));
    write(
      formatSse({
        event: 'status',
        data: { status: run.status, agent: run.agent ?? null, attempt: run.attempt, startedAt: run.startedAt ?? null },
      }),
    );
    if (!FINAL_RUN_STATUSES.has(run.status)) {
      for await (const { id, entry } of readRunStream(connection, run.id, { blockMs: 1_000, signal: controller.signal })) {
        // The end of an attempt a newer one replaced is not the run's.
        if (entry.kind === 'end' && !progress.superseded(entry)) break;
        for (const message of progress.messages(entry, Number(id.split('-')[0]))) write(formatSse(message));
      }
    }
    const final = await waitUntilRecorded(services.store, run.id, controller.signal);
    if (final !== undefined) write(formatSse({ event: 'end', data: { status: final.status } }));
  } catch {
    // The page went away, or Redis did: the page reconnects.
  } finally {
    clearInterval(keepAlive);
    clearInterval(sessionCheck);
    streams.delete(controller);
    connection.disconnect();
    reply.raw.end();
  }
}

/** The run once the tracker has stored its outcome (the stream's end can come first). */
async function waitUntilRecorded(store: Store, id: string, signal: AbortSignal): Promise<RunRecord | undefined> {
  for (let waited = 0; waited < 30_000 && !signal.aborted; waited += 100) {
    const run = await store.getRun(id);
    if (run === undefined || FINAL_RUN_STATUSES.has(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

async function planNames(store: Store, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const plan = await store.getPlan(id);
    if (plan !== undefined) names.set(id, plan.name);
  }
  return names;
}

function parseFilter(query: Record<string, unknown>): RunFilter {
  const filter: RunFilter = { page: 1 };
  // Blank is "any" (a space typed in the Pool field listed no run, as a filter on the pool "").
  const text = (name: string) => (typeof query[name] === 'string' && query[name].trim() !== '' ? query[name].trim() : undefined);
  const status = text('status');
  if (status !== undefined && (RUN_STATUSES as readonly string[]).includes(status)) filter.status = status as RunStatus;
  const trigger = text('trigger');
  if (trigger !== undefined && (RUN_TRIGGERS as readonly string[]).includes(trigger)) filter.trigger = trigger as RunTrigger;
  const pool = text('pool');
  if (pool !== undefined) filter.pool = pool;
  const page = Number(text('page') ?? '1');
  if (Number.isSafeInteger(page) && page > 1) filter.page = page;
  return filter;
}

/** The sign-in page that leads back to `url` (a page of the dashboard) once signed in. */
function loginFor(url: string): string {
  return url === '/' || localPath(url) === undefined ? '/login' : `/login?next=${encodeURIComponent(url)}`;
}

/**
 * `next` when it is a page of this server (`/runs/…?…`), else undefined: never another site, so the
 * sign-in is no open redirect (`//evil.example`, `/\\evil.example` and `https://…` are refused; the
 * WHATWG URL parser reads a backslash as a slash in http URLs).
 */
function localPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2048 || !next.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(next)) return undefined;
  if (next.startsWith('//') || next.startsWith('/login')) return undefined;
  const base = 'http://dashboard.invalid';
  return new URL(next, base).origin === base ? next : undefined;
}

function stringFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' && key !== '_csrf') out[key] = value.trim();
  return out;
}

/**
 * A form posted from a page of this server (browsers send Origin with POSTs; a request without one is
 * not a browser's cross-site form). This server's host is the request's Host, or the host a proxy in
 * front forwarded (X-Forwarded-Host: a browser's form cannot set it), a default port written or not
 * (`Host: sortie.example:443` for `https://sortie.example`).
 */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const from = new URL(origin);
    const forwarded = request.headers['x-forwarded-host'];
    const hosts = [request.headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',') : [])];
    return hosts.some((host) => host !== undefined && host.trim() !== '' && new URL(`${from.protocol}//${host.trim()}`).host === from.host);
  } catch {
    return false;
  }
}

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}
