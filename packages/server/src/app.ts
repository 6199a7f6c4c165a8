import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import { checkRunOptions, listAgents, RUN_OPTION_NAMES, readRunStream } from '@sortie/agent';
import { parseJsonSource } from '@sortie/config';
import { ErrorCode, isSortieError, SortieError, suggestClosest } from '@sortie/core';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { checkBearer, createTokenToucher, scopeAllows } from './api-tokens.js';
import { DEFAULT_BUNDLE_LIMITS } from './bundle/read-bundle.js';
import { dashboardNotFoundPage, registerDashboard } from './dashboard/routes.js';
import { EVENT_STREAM_HEADERS, EVENT_STREAM_RETRY_AFTER_S, EventStreamSlots } from './event-streams.js';
import type { PlanStorage } from './plan-storage.js';
import { requireRedis } from './redis-connection.js';
import { RouteMethods } from './route-methods.js';
import { REPORT_NAMES, type ReportName, type RunDispatcher } from './run-dispatcher.js';
import type { RunTracker } from './run-tracker.js';
import type { Schedules } from './schedules.js';
import {
  MAX_RUN_PAGE,
  type RunStatus,
  type RunTrigger,
  type ScheduleRecord,
  type Store,
  type TokenRecord,
  type TokenScope,
} from './store/store.js';

export interface AppServices {
  store: Store;
  plans: PlanStorage;
  dispatcher: RunDispatcher;
  tracker: RunTracker;
  schedules: Schedules;
  redis: Redis;
  version: string;
  /** Largest accepted bundle upload in bytes. */
  maxBundleBytes?: number;
  /** Aborted when the server stops: open event streams end so closing does not wait for their clients. */
  stopping?: AbortSignal;
  /** Event streams open at once, API and dashboard together (default 256, `MAX_EVENT_STREAMS`): each holds a Redis connection. */
  maxEventStreams?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    token?: TokenRecord;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one need no token. */
    scope?: TokenScope;
    /** What the route does, for the 403 message ("creating a schedule needs a token with the admin scope"). */
    does?: string;
  }
}

const JSON_BODY_LIMIT = 1024 * 1024;
const MULTIPART_FIELDS = 10;
const MULTIPART_FIELD_BYTES = 256 * 1024;
const MAX_OPTIONS_DEPTH = 32;

/** What each of the request's limits is, for the 413 that names the one a request went over. */
const REQUEST_TOO_LARGE: Partial<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `the request body is over the limit of ${JSON_BODY_LIMIT} bytes`,
  FST_FILES_LIMIT: 'send one file, the multipart field "bundle"',
  FST_FIELDS_LIMIT: `send at most ${MULTIPART_FIELDS} multipart fields besides the bundle`,
  FST_PARTS_LIMIT: 'the request has too many multipart parts',
};

const HTTP_STATUS: Partial<Record<string, number>> = {
  [ErrorCode.INVALID_INPUT]: 400,
  [ErrorCode.USAGE]: 400,
  [ErrorCode.FILE_NOT_FOUND]: 404,
  // Redis away: the request can be tried again later.
  [ErrorCode.NETWORK]: 503,
};

/** The HTTP API of `sortie server` (docs/agents.md): JSON in and out, a Bearer token on every /api route. */
export async function buildApp(services: AppServices): Promise<FastifyInstance> {
  const { store, plans, dispatcher, tracker, schedules } = services;
  const eventStreams = new EventStreamSlots(services.maxEventStreams);
  const touchToken = createTokenToucher(store);
  const maxBundleBytes = services.maxBundleBytes ?? DEFAULT_BUNDLE_LIMITS.maxBytes;
  const app = Fastify({
    logger: false,
    bodyLimit: JSON_BODY_LIMIT,
    // A malformed URL ("%ZZ") or an over-long id answers in the API's error shape, without echoing the URL.
    frameworkErrors: (error, _request, reply) => {
      const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is over 100 characters' : 'the URL is not valid';
      return (reply as FastifyReply).code(400).send(errorBody(ErrorCode.USAGE, 'Bad request', message));
    },
  });
  // RFC 9110 §8.6: a request with Content-Length 0 has no content, whatever its Content-Type says.
  // Clients set `Content-Type: application/json` on every call, a body-less cancel included
  // (`curl -H 'Content-Type: application/json' -X POST …/cancel`); Fastify's parser answered 400
  // "Body cannot be empty". An empty body is read as none; any other goes to Fastify's own parser
  // (which refuses `__proto__` and `constructor.prototype` keys).
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return jsonParser(request, body as string, (error, value) => {
      if (error === null) return done(null, value);
      done(positionedJsonError(body as string), undefined);
    });
  });
  // The API reads JSON and multipart only: Fastify's own text/plain parser handed a JSON object sent
  // as text/plain to the route as a string, refused as "the run must be a JSON object" (a 400).
  // Any other type is a 415 (RFC 9110 §15.5.16), unless the body is empty (§8.6: no content), as
  // `curl -X POST -d '' …/cancel` sends it (form-urlencoded, Content-Length 0).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    if ((body as Buffer).length === 0) return done(null, undefined);
    return done(Object.assign(new Error('unsupported media type'), { statusCode: 415 }), undefined);
  });
  // Every route, the dashboard's too, so a path with another method is a 405 and not a 404.
  const routeMethods = new RouteMethods();
  app.addHook('onRoute', (route) => routeMethods.add(route.method, route.url ?? route.path));
  await app.register(multipart, {
    limits: { fileSize: maxBundleBytes, files: 1, fields: MULTIPART_FIELDS, fieldSize: MULTIPART_FIELD_BYTES },
  });

  // RFC 6750 §3: 401 with WWW-Authenticate when the token is missing or unknown, 403 for a scope it lacks.
  app.addHook('onRequest', async (request, reply) => {
    const { scope: needed, does = 'this' } = request.routeOptions.config;
    if (needed === undefined) return;
    const checked = await checkBearer(store, request.headers.authorization);
    // Both answers name the scope the route needs (also as `error.scope`), so a client can say which token to make.
    if (!('token' in checked)) {
      // RFC 6750 §3: no error code when no credentials came; invalid_request / invalid_token otherwise.
      const error = checked.error === undefined ? '' : `, error="${checked.error}"`;
      reply.header('www-authenticate', `Bearer realm="sortie"${error}`);
      return reply.code(401).send(errorBody('SORTIE_UNAUTHORIZED', 'Unauthorized', checked.message, { scope: needed }));
    }
    const { token } = checked;
    if (!scopeAllows(token.scope, needed)) {
      reply.header('www-authenticate', `Bearer realm="sortie", error="insufficient_scope", scope="${needed}"`);
      return reply.code(403).send(
        errorBody('SORTIE_FORBIDDEN', 'Forbidden', `${does} needs a token with the ${needed} scope; yours has ${token.scope}`, {
          scope: needed,
        }),
      );
    }
    request.token = token;
    touchToken(token);
  });

  app.setErrorHandler((error, request, reply) => {
    if (isSortieError(error)) return reply.code(HTTP_STATUS[error.code] ?? 500).send(sortieErrorBody(error));
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply
        .code(413)
        .send(errorBody(ErrorCode.INVALID_INPUT, 'Bundle too large', `the bundle is over the limit of ${maxBundleBytes} bytes`));
    }
    // RFC 9110 §15.5.16: a body of a media type the route does not read.
    if (status === 415) return reply.code(415).send(unsupportedMediaType(request));
    const tooLarge = status === 413 ? REQUEST_TOO_LARGE[code ?? ''] : undefined;
    if (tooLarge !== undefined) return reply.code(413).send(errorBody(ErrorCode.USAGE, 'Request too large', tooLarge));
    const title = (error as { title?: unknown }).title;
    if (status < 500)
      return reply
        .code(status)
        .send(errorBody(ErrorCode.USAGE, typeof title === 'string' ? title : 'Bad request', (error as Error).message));
    return reply.code(500).send(errorBody(ErrorCode.INTERNAL, 'Internal error', 'the server could not handle the request'));
  });

  app.setNotFoundHandler((request, reply) => {
    // A browser that follows a form's address (GET /runs/<id>/cancel) gets the dashboard's page.
    const page = dashboardNotFoundPage(request, services.version);
    if (page !== undefined) return reply.code(404).headers(page.headers).send(page.body);
    const path = request.url.split('?')[0] ?? '';
    const allowed = routeMethods.allowed(path);
    if (allowed.length > 0) {
      // RFC 9110 §9.3.7: OPTIONS asks which methods the resource answers; §15.5.6: any other is a 405.
      reply.header('allow', allowed.join(', '));
      if (request.method === 'OPTIONS') return reply.code(204).send();
      return reply
        .code(405)
        .send(
          errorBody(
            ErrorCode.USAGE,
            'Method not allowed',
            `${request.method.slice(0, 20)} is not answered at ${path.slice(0, 200)}: use ${allowed.join(', ')}`,
          ),
        );
    }
    return reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Not found', `no route ${request.method} ${path.slice(0, 200)}`));
  });

  app.get('/api/health', async () => ({ ok: true, version: services.version }));

  // Readiness, beside /api/health's liveness (a Kubernetes readinessProbe, a load balancer): 503 while
  // Redis or the database does not answer, when submissions, cancels and schedule changes are refused.
  app.get('/api/ready', async (_request, reply) => {
    const redis = services.redis.status === 'ready' ? 'ready' : 'unavailable';
    // A primary-key lookup of an id no record has: one cheap round trip to the database.
    const database = await store.getSchedule('00000000-0000-0000-0000-000000000000').then(
      () => 'ready',
      () => 'unavailable',
    );
    const ready = redis === 'ready' && database === 'ready';
    return reply.code(ready ? 200 : 503).send({ ready, redis, database });
  });

  app.post('/api/plans', { config: { scope: 'submit', does: 'uploading a plan' } }, async (request, reply) => {
    const { bundle } = request.isMultipart() ? await readUpload(request) : {};
    if (bundle === undefined)
      return reply.code(400).send(errorBody(ErrorCode.USAGE, 'No bundle', 'send the plan bundle as the multipart file field "bundle"'));
    return reply.code(201).send(await plans.add(bundle));
  });

  app.post('/api/runs', { config: { scope: 'submit', does: 'submitting a run' } }, async (request, reply) => {
    let planId: string;
    let fields: Record<string, unknown>;
    if (request.isMultipart()) {
      const upload = await readUpload(request);
      if (upload.bundle === undefined) {
        return reply.code(400).send(errorBody(ErrorCode.USAGE, 'No bundle', 'send the plan bundle as the multipart file field "bundle"'));
      }
      refuseUnknownFields(upload.fields, RUN_FORM_FIELDS, 'Invalid run');
      planId = (await plans.add(upload.bundle)).id;
      fields = upload.fields;
    } else {
      // A JSON null is no run (it was answered "No plan", as an empty body is); an empty body stays that.
      fields = (request.body === undefined ? {} : request.body) as Record<string, unknown>;
      if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw badRequest('the run must be a JSON object');
      refuseUnknownFields(fields, RUN_FIELDS, 'Invalid run');
      // A planId of another type (a number) was answered "No plan: send a bundle or the planId".
      if (fields.planId !== undefined && typeof fields.planId !== 'string') {
        throw badRequest(`"planId" must be the id of a stored plan (a string), got ${jsonType(fields.planId)}`);
      }
      if (typeof fields.planId !== 'string') {
        return reply
          .code(400)
          .send(errorBody(ErrorCode.USAGE, 'No plan', 'send a bundle (multipart "bundle") or the "planId" of a stored plan'));
      }
      planId = fields.planId;
    }
    const submission: Parameters<RunDispatcher['submit']>[0] = {
      planId,
      trigger: fields.trigger === 'remote' ? 'remote' : 'api',
      options: runOptionsField(fields.options),
      reports: reportsField(fields.reports),
    };
    if (fields.trigger !== undefined && fields.trigger !== 'api' && fields.trigger !== 'remote') {
      throw badRequest('"trigger" must be "api" or "remote" (schedules make their own runs)');
    }
    // A pool of another type went to the default pool unsaid.
    if (fields.pool !== undefined && typeof fields.pool !== 'string') throw badRequest('"pool" must be a string');
    if (typeof fields.pool === 'string') submission.pool = fields.pool;
    return reply.code(201).send(await dispatcher.submit(submission));
  });

  app.get('/api/runs', { config: { scope: 'read', does: 'listing runs' } }, async (request) => {
    const query = singleValues(request.query as Record<string, string | string[] | undefined>);
    // A misspelt filter ("staus=failed") listed every run, as if it matched.
    refuseUnknownFields(query, RUN_LIST_PARAMETERS, 'Bad request', 'query parameter');
    const filter: Parameters<Store['listRuns']>[0] = {};
    if (query.status !== undefined) filter.status = oneOf(query.status, 'status', RUN_STATUSES);
    if (query.pool !== undefined) filter.pool = query.pool;
    if (query.trigger !== undefined) filter.trigger = oneOf(query.trigger, 'trigger', RUN_TRIGGERS);
    if (query.schedule !== undefined) filter.scheduleId = query.schedule;
    if (query.limit !== undefined) filter.limit = wholeNumber(query.limit, 'limit');
    // A larger page was cut to the maximum unsaid: a client paging by its own limit skipped runs.
    if (filter.limit !== undefined && filter.limit > MAX_RUN_PAGE) throw badRequest(`"limit" must be at most ${MAX_RUN_PAGE}`);
    if (query.offset !== undefined) filter.offset = wholeNumber(query.offset, 'offset');
    return store.listRuns(filter);
  });

  app.get('/api/runs/:id', { config: { scope: 'read', does: 'reading a run' } }, async (request, reply) => {
    const run = await store.getRun((request.params as { id: string }).id);
    return run ?? reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Unknown run', 'no run with this id'));
  });

  app.post('/api/runs/:id/cancel', { config: { scope: 'submit', does: 'cancelling a run' } }, async (request, reply) => {
    const run = await dispatcher.cancel((request.params as { id: string }).id);
    if (run === undefined) return reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Unknown run', 'no run with this id'));
    // RFC 9110 §15.5.10: a run that ended (other than by a cancel) cannot be cancelled. A cancelled
    // run answers 200 with its record again, so a retried cancel (a client that lost the first answer) succeeds.
    if (run.status !== 'queued' && run.status !== 'running' && run.status !== 'cancelled') {
      return reply.code(409).send(
        errorBody(ErrorCode.USAGE, 'Run already ended', `run ${run.id} already ended (${run.status}): there is nothing to cancel`, {
          status: run.status,
        }),
      );
    }
    return run;
  });

  app.get('/api/runs/:id/events', { config: { scope: 'read', does: 'following a run' } }, (request, reply) =>
    streamEvents(services, eventStreams, request, reply),
  );

  app.get('/api/runs/:id/reports/:name', { config: { scope: 'read', does: 'downloading a report' } }, async (request, reply) => {
    const { id, name } = request.params as { id: string; name: string };
    const run = await store.getRun(id);
    if (run === undefined || !run.reports.includes(name)) {
      return reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'No such report', `run ${id} has no report ${name}`));
    }
    const file = await tracker.findReport(id, name);
    if (file === undefined)
      return reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'No such report', `run ${id} has no report ${name}`));
    const { size } = await stat(file);
    // As the dashboard's download: never a page of the server's origin (the HTML report has inline code of its own).
    reply.header('content-disposition', `attachment; filename="sortie-${id.slice(0, 8)}-${name}"`);
    reply.header('content-security-policy', "sandbox; default-src 'none'");
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-length', size);
    reply.type(name.endsWith('.xml') ? 'application/xml' : name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/json');
    return reply.send(createReadStream(file));
  });

  app.get('/api/agents', { config: { scope: 'read', does: 'listing agents' } }, async () => {
    requireRedis(services.redis, 'agents are listed from Redis');
    return { agents: await listAgents(services.redis) };
  });

  // Each active schedule with `nextRunAt`, when BullMQ fires it next (left out while paused or Redis is away).
  const withNextRun = (schedule: ScheduleRecord, next: Map<string, number>) => {
    const at = schedule.paused ? undefined : next.get(schedule.id);
    return at === undefined ? schedule : { ...schedule, nextRunAt: at };
  };

  app.get('/api/schedules', { config: { scope: 'read', does: 'listing schedules' } }, async () => {
    const [list, next] = await Promise.all([store.listSchedules(), schedules.nextRuns()]);
    return { schedules: list.map((schedule) => withNextRun(schedule, next)) };
  });

  app.get('/api/schedules/:id', { config: { scope: 'read', does: 'reading a schedule' } }, async (request, reply) => {
    const schedule = await store.getSchedule((request.params as { id: string }).id);
    if (schedule === undefined)
      return reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Unknown schedule', 'no schedule with this id'));
    return withNextRun(schedule, await schedules.nextRuns());
  });

  app.post('/api/schedules', { config: { scope: 'admin', does: 'creating a schedule' } }, async (request, reply) => {
    // JSON with the `planId` of a stored plan, or multipart with the plan `bundle` itself: one request
    // with the admin scope, so a smaller token is refused before any plan is stored.
    let body: Record<string, unknown>;
    let planId: unknown;
    if (request.isMultipart()) {
      const upload = await readUpload(request);
      body = upload.fields;
      refuseUnknownFields(body, SCHEDULE_FORM_FIELDS, 'Invalid schedule');
      if (typeof body.name !== 'string' || upload.bundle === undefined) {
        return reply.code(400).send(errorBody(ErrorCode.USAGE, 'Invalid schedule', '"name" and the plan "bundle" are required'));
      }
      planId = (await plans.add(upload.bundle)).id;
    } else {
      // A JSON null is no schedule (it was answered '"name" and "planId" are required'), as for a run.
      body = (request.body === undefined ? {} : request.body) as Record<string, unknown>;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the schedule must be a JSON object');
      refuseUnknownFields(body, SCHEDULE_FIELDS, 'Invalid schedule');
      planId = body.planId;
    }
    if (typeof body.name !== 'string' || typeof planId !== 'string') {
      return reply.code(400).send(errorBody(ErrorCode.USAGE, 'Invalid schedule', '"name" and "planId" are required'));
    }
    const input: Parameters<Schedules['create']>[0] = {
      name: body.name,
      planId,
      options: runOptionsField(body.options),
    };
    // A field of the wrong type is named, not taken for a missing one ("give exactly one of …").
    if (body.cron !== undefined && typeof body.cron !== 'string') throw badRequest('"cron" must be a string: "0 2 * * *"');
    if (typeof body.cron === 'string') input.cron = body.cron;
    const every = typeof body.every === 'string' && /^\d+$/.test(body.every) ? Number(body.every) : body.every;
    if (every !== undefined && typeof every !== 'number') throw badRequest('"every" must be a number of milliseconds: 60000');
    if (typeof every === 'number') input.every = every;
    if (body.pool !== undefined && typeof body.pool !== 'string') throw badRequest('"pool" must be a string');
    if (typeof body.pool === 'string') input.pool = body.pool;
    const created = await schedules.create(input);
    return reply.code(201).send(withNextRun(created, await schedules.nextRuns()));
  });

  app.patch('/api/schedules/:id', { config: { scope: 'admin', does: 'pausing or resuming a schedule' } }, async (request, reply) => {
    const body = (request.body === undefined ? {} : request.body) as Record<string, unknown>;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('the change must be a JSON object: {"paused": true|false}');
    // Only pausing can change: a new cron or name beside "paused" was ignored, and the answer said 200.
    refuseUnknownFields(body, ['paused'], 'Invalid change');
    if (typeof body.paused !== 'boolean')
      return reply.code(400).send(errorBody(ErrorCode.USAGE, 'Invalid change', 'send {"paused": true|false}'));
    const schedule = await schedules.setPaused((request.params as { id: string }).id, body.paused);
    if (schedule === undefined)
      return reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Unknown schedule', 'no schedule with this id'));
    return withNextRun(schedule, await schedules.nextRuns());
  });

  app.delete('/api/schedules/:id', { config: { scope: 'admin', does: 'deleting a schedule' } }, async (request, reply) => {
    const removed = await schedules.remove((request.params as { id: string }).id);
    return removed
      ? reply.code(204).send()
      : reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Unknown schedule', 'no schedule with this id'));
  });

  app.post('/api/schedules/:id/run', { config: { scope: 'submit', does: 'running a schedule now' } }, async (request, reply) => {
    const schedule = await store.getSchedule((request.params as { id: string }).id);
    if (schedule === undefined)
      return reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Unknown schedule', 'no schedule with this id'));
    const run = await dispatcher.runScheduleNow(schedule, 'api');
    return reply.code(201).send(run);
  });

  // The web dashboard, on the same port: `/`, `/runs/…`, `/agents`, `/schedules` (docs/agents.md).
  await registerDashboard(app, { ...services, eventStreams });

  return app;
}

/**
 * Server-Sent Events of a run: every entry of its stream as `event: <kind>` with the stream id as
 * the event id, so a client that reconnects with Last-Event-ID resumes where it was. A finished run
 * whose stream expired gets one `end` with its record.
 */
async function streamEvents(
  services: AppServices,
  eventStreams: EventStreamSlots,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const { id } = request.params as { id: string };
  const run = await services.store.getRun(id);
  if (run === undefined) {
    await reply.code(404).send(errorBody(ErrorCode.FILE_NOT_FOUND, 'Unknown run', 'no run with this id'));
    return;
  }
  const from = request.headers['last-event-id'] ?? (request.query as { from?: unknown }).from ?? '0';
  // Redis refuses any other id, which ended the stream at once and had EventSource reconnect in a loop.
  if (typeof from !== 'string' || !isStreamId(from)) {
    await reply
      .code(400)
      .send(
        errorBody(
          ErrorCode.USAGE,
          'Invalid event id',
          'Last-Event-ID (or "from") must be an event id this stream sent ("1700000000000-0"), or 0 for the start',
        ),
      );
    return;
  }
  // Each stream holds a Redis connection: past the cap, the client is asked to come back.
  const release = eventStreams.take();
  if (release === undefined) {
    reply.header('retry-after', String(EVENT_STREAM_RETRY_AFTER_S));
    await reply
      .code(503)
      .send(
        errorBody(
          'SORTIE_UNAVAILABLE',
          'Too many event streams',
          `the server has ${eventStreams.max} event streams open, its limit; try again in ${EVENT_STREAM_RETRY_AFTER_S} s`,
        ),
      );
    return;
  }
  request.raw.on('close', release);
  reply.hijack();
  reply.raw.writeHead(200, EVENT_STREAM_HEADERS);
  reply.raw.write(`event: run\ndata: ${JSON.stringify(run)}\n\n`);
  const controller = new AbortController();
  const connection = services.redis.duplicate();
  connection.on('error', () => {});
  // The client leaving or the server stopping ends the stream; closing the connection ends a
  // blocking read at once, also one waiting for a Redis that is down.
  const stop = () => {
    controller.abort();
    connection.disconnect();
  };
  request.raw.on('close', stop);
  if (services.stopping?.aborted === true) stop();
  services.stopping?.addEventListener('abort', stop, { once: true });
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  try {
    const final = run.status !== 'queued' && run.status !== 'running';
    if (final && (await connection.exists(`sortie:run:${id}:events`)) === 0) {
      reply.raw.write(`event: end\ndata: ${JSON.stringify({ kind: 'end', run })}\n\n`);
      return;
    }
    for await (const { id: entryId, entry } of readRunStream(connection, id, { fromId: from, blockMs: 1_000, signal: controller.signal })) {
      reply.raw.write(`id: ${entryId}\nevent: ${entry.kind}\ndata: ${JSON.stringify(entry)}\n\n`);
      if (entry.kind === 'end') break;
    }
  } catch {
    // The client went away or Redis did; the client reconnects with Last-Event-ID.
  } finally {
    clearInterval(keepAlive);
    services.stopping?.removeEventListener('abort', stop);
    connection.disconnect();
    reply.raw.end();
    release();
  }
}

async function readUpload(request: FastifyRequest): Promise<{ bundle?: Buffer; fields: Record<string, unknown> }> {
  const fields: Record<string, unknown> = {};
  let bundle: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname === 'bundle') bundle = await part.toBuffer();
        else await part.toBuffer();
      } else if (part.valueTruncated) {
        throw badRequest(`the field "${part.fieldname}" is over the limit of ${MULTIPART_FIELD_BYTES} bytes`, 413, 'Request too large');
      } else if (typeof part.value !== 'string') {
        // A part sent as application/json arrives parsed.
        fields[part.fieldname] = part.value;
      } else {
        const value = part.value;
        fields[part.fieldname] =
          part.fieldname === 'options' || part.fieldname === 'reports' ? parseJsonField(value, part.fieldname) : value;
      }
    }
  } catch (error) {
    // busboy's own errors (no boundary, a body that ends mid-part, a malformed part header) are
    // plain Errors: the request is what is wrong, not the server.
    if (isSortieError(error) || (error as { statusCode?: number }).statusCode !== undefined) throw error;
    throw badRequest(`the multipart body is malformed: ${(error as Error).message}`);
  }
  const result: { bundle?: Buffer; fields: Record<string, unknown> } = { fields };
  if (bundle !== undefined) result.bundle = bundle;
  return result;
}

function parseJsonField(value: string, name: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`the field "${name}" is not JSON`);
  }
}

/** The 415 body: the type sent (its media type only, without parameters) and the types the API reads. */
function unsupportedMediaType(request: FastifyRequest) {
  const sent = request.headers['content-type']?.split(';')[0]?.trim().slice(0, 100);
  const what = sent === undefined || sent === '' ? 'a body without a Content-Type' : `Content-Type ${sent}`;
  return errorBody(
    ErrorCode.USAGE,
    'Unsupported media type',
    `${what} is not read here: send application/json (or multipart/form-data with a bundle)`,
  );
}

/** An error the error handler answers with its status and message (title "Bad request" unless given). */
function badRequest(message: string, statusCode = 400, title?: string): Error {
  return Object.assign(new Error(message), { statusCode, title });
}

function objectField(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`"${name}" must be a JSON object`);
  }
  // Run options are a few levels deep; thousands of levels overflowed the stack storing the run (a 500).
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > MAX_OPTIONS_DEPTH) throw badRequest(`"${name}" is nested more than ${MAX_OPTIONS_DEPTH} levels deep`);
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return value as Record<string, unknown>;
}

/**
 * The `sortie run` options of a submission or a schedule, checked against the table the agent reads them
 * with (`checkRunOptions` of @sortie/agent): a wrong type or an unknown name was ignored by the agent unsaid.
 */
function runOptionsField(value: unknown): Record<string, unknown> {
  const options = objectField(value, 'options');
  const problems = checkRunOptions(options);
  if (problems.length === 0) return options;
  throw new SortieError(ErrorCode.USAGE, 'Invalid run options', problems.join('; '), {
    hint: `run options: ${RUN_OPTION_NAMES.join(', ')}`,
    details: problems.map((problem) => new SortieError(ErrorCode.USAGE, 'Invalid run option', problem)),
  });
}

/** The fields of a schedule: JSON with a stored plan's id, or multipart with the plan's `bundle` (a file). */
const SCHEDULE_FIELDS = ['name', 'planId', 'cron', 'every', 'pool', 'options'];
const SCHEDULE_FORM_FIELDS = ['name', 'cron', 'every', 'pool', 'options'];
const RUN_FIELDS = ['planId', 'options', 'pool', 'reports', 'trigger'];
const RUN_FORM_FIELDS = ['options', 'pool', 'reports', 'trigger'];
const RUN_LIST_PARAMETERS = ['status', 'pool', 'trigger', 'schedule', 'limit', 'offset'];

/**
 * A field the route does not know was ignored unsaid (a typo of "every" made a schedule that never
 * ran as meant; a run's misspelt "pool" went to the default pool).
 */
function refuseUnknownFields(body: Record<string, unknown>, known: readonly string[], title: string, what = 'field'): void {
  const unknown = Object.keys(body).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const problems = unknown.slice(0, 20).map((name) => {
    const printable = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
    const closest = suggestClosest(name, known);
    return `unknown ${what} ${printable}${closest === undefined ? '' : ` (did you mean "${closest}"?)`}`;
  });
  throw new SortieError(ErrorCode.USAGE, title, problems.join('; '), { hint: `the ${what}s: ${known.join(', ')}` });
}

function reportsField(value: unknown): ReportName[] {
  if (value === undefined) return ['json', 'junit'];
  if (!Array.isArray(value) || !value.every((name) => (REPORT_NAMES as readonly string[]).includes(name))) {
    throw badRequest(`"reports" must be a list of ${REPORT_NAMES.join(', ')}`);
  }
  // A name given twice made the report twice and listed it twice in the run.
  const twice = value.find((name, i) => value.indexOf(name) !== i);
  if (twice !== undefined) throw badRequest(`"reports" names "${twice}" twice`);
  return value as ReportName[];
}

const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'passed', 'failed', 'error', 'cancelled', 'interrupted'];
const RUN_TRIGGERS: readonly RunTrigger[] = ['api', 'remote', 'schedule', 'dashboard'];

/** The query's parameters, each given once: `?status=a&status=b` is refused, not a 500 from the store. */
function singleValues(query: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const single: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw badRequest(`the query parameter "${name}" is given more than once`);
    single[name] = value;
  }
  return single;
}

function oneOf<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`"${name}" must be one of ${allowed.join(', ')}`);
  return value as T;
}

function wholeNumber(value: string, name: string): number {
  if (!/^\d{1,15}$/.test(value)) throw badRequest(`"${name}" must be a whole number, 0 or more`);
  return Number(value);
}

/** A Redis stream id XREAD takes: `<ms>` or `<ms>-<seq>`, each below 2^64, or `$` (only what comes next). */
function isStreamId(id: string): boolean {
  if (id === '$') return true;
  const match = /^(\d{1,20})(?:-(\d{1,20}))?$/.exec(id);
  return match?.slice(1).every((part) => part === undefined || BigInt(part) < 2n ** 64n) === true;
}

/**
 * Why Fastify's parser refused a request body, said as a scenario file's syntax error is (where a
 * text that is not JSON, RFC 8259, goes wrong): Fastify answered "Body is not valid JSON" with no
 * position, and the same for valid JSON it refused for its prototype-poisoning guard.
 */
function positionedJsonError(body: string): SortieError {
  const outcome = parseJsonSource(body, 'request body');
  const first = 'errors' in outcome ? outcome.errors[0] : undefined;
  if (first === undefined) {
    return new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid JSON',
      'the request body has a "__proto__" or "constructor" key, which the API refuses',
    );
  }
  const where = first.location?.line === undefined ? '' : ` at line ${first.location.line}, column ${first.location.column}`;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid JSON', `the request body is not valid JSON${where}: ${first.message}`, {
    ...(first.location === undefined ? {} : { location: first.location }),
  });
}

function errorBody(code: string, title: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, title, message, ...extra } };
}

function sortieErrorBody(error: SortieError) {
  const body: Record<string, unknown> = { code: error.code, title: error.title, message: error.message };
  if (error.hint !== undefined) body.hint = error.hint;
  if (error.location !== undefined) body.location = error.location;
  if (error.details !== undefined) body.details = error.details.map((detail) => sortieErrorBody(detail).error);
  return { error: body };
}

/** The JSON type of a value, as an error names what it got. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
