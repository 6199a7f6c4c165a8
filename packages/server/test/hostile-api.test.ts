import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { goldenIn } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import type { RunRecord } from '../src/store/store.js';
import { rawTarGz } from './hostile-tar.js';
import { startTestServer, type TestServer } from './test-server.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden', 'api'));

let running: TestServer;
let server: RunningServer;
const tokens = { read: '', submit: '', admin: '' };
let planId: string;

const bundle = (manifest: unknown, files: Record<string, string> = { 'a.json': '{}' }) =>
  rawTarGz([
    { name: 'sortie-bundle.json', data: JSON.stringify(manifest) },
    ...Object.entries(files).map(([name, data]) => ({ name, data })),
  ]);

/** A raw HTTP request, so the body and headers are exactly what is sent (fetch would fix them). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const req = httpRequest(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** "<status> <body>" of each answer, one a line, for a golden file. */
async function answers(requests: [string, Promise<{ status: number; body: string }>][]): Promise<string> {
  const lines: string[] = [];
  for (const [label, pending] of requests) {
    const { status, body } = await pending;
    expect(status, label).toBeGreaterThanOrEqual(400);
    expect(status, label).toBeLessThan(500);
    expect(() => JSON.parse(body), label).not.toThrow();
    lines.push(`${label}\n  ${status} ${body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')}`);
  }
  return `${lines.join('\n')}\n`;
}

function form(parts: { name: string; value: string | Buffer; filename?: string; type?: string }[]): { type: string; body: Buffer } {
  const boundary = 'hostile-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.type === undefined ? '' : `\r\nContent-Type: ${part.type}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}${type}\r\n\r\n`));
    chunks.push(Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

const auth = (scope: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[scope]}` });

function postForm(path: string, parts: Parameters<typeof form>[0], scope: keyof typeof tokens = 'submit') {
  const { type, body } = form(parts);
  return raw('POST', path, { ...auth(scope), 'content-type': type }, body);
}

function postJson(path: string, value: unknown, scope: keyof typeof tokens = 'submit') {
  return raw('POST', path, { ...auth(scope), 'content-type': 'application/json' }, JSON.stringify(value));
}

beforeAll(async () => {
  running = await startTestServer();
  server = running.server;
  for (const scope of ['read', 'submit', 'admin'] as const) tokens[scope] = await running.token(scope);
  const stored = await postForm('/api/plans', [{ name: 'bundle', value: bundle({ version: 1, files: ['a.json'] }), filename: 'b.tgz' }]);
  planId = (JSON.parse(stored.body) as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await running?.close();
});

describe('the API against hostile requests', { timeout: 60_000 }, () => {
  it('answers malformed or oversized multipart bodies with a 400 or 413 that says what is wrong', async () => {
    const ok = bundle({ version: 1, files: ['a.json'] });
    const manyFields = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, value: '1' }));
    expectGolden(
      'multipart.txt',
      await answers([
        ['multipart without a boundary', raw('POST', '/api/runs', { ...auth('submit'), 'content-type': 'multipart/form-data' }, 'junk')],
        [
          'multipart that ends inside a part',
          raw(
            'POST',
            '/api/runs',
            { ...auth('submit'), 'content-type': 'multipart/form-data; boundary=xx' },
            '--xx\r\nContent-Disposition: form-data; name="bundle"; filename="a"\r\n\r\nabc',
          ),
        ],
        ['11 fields', postForm('/api/runs', manyFields)],
        [
          'two files',
          postForm('/api/runs', [
            { name: 'bundle', value: ok, filename: 'a.tgz' },
            { name: 'bundle', value: ok, filename: 'b.tgz' },
          ]),
        ],
        [
          'a field over 256 KiB',
          postForm('/api/runs', [
            { name: 'options', value: `{"x":"${'x'.repeat(300_000)}"}` },
            { name: 'bundle', value: ok, filename: 'a.tgz' },
          ]),
        ],
        ['a JSON body over 1 MiB', postJson('/api/runs', { planId: 'x'.repeat(1_100_000) })],
        ['options that are not JSON', postForm('/api/runs', [{ name: 'options', value: '{bad' }])],
        ['a pool that is a number', postJson('/api/runs', { planId, pool: 5 })],
        ['a plan sent as JSON', postJson('/api/plans', {})],
        [
          'options nested 5000 levels deep',
          raw(
            'POST',
            '/api/runs',
            { ...auth('submit'), 'content-type': 'application/json' },
            `{"planId":"${planId}","pool":"nobody","options":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
          ),
        ],
      ]),
    );
  });

  it('takes an options field sent as application/json (it arrived parsed and was refused as "not JSON")', async () => {
    const response = await postForm('/api/runs', [
      { name: 'options', value: '{"iterations":2}', type: 'application/json' },
      { name: 'pool', value: 'nobody' },
      { name: 'bundle', value: bundle({ version: 1, files: ['a.json'] }), filename: 'a.tgz' },
    ]);
    expect(response.status).toBe(201);
    expect((JSON.parse(response.body) as RunRecord).options).toEqual({ iterations: 2 });
  });

  it('refuses a manifest that names files outside the bundle before anything reads them, and one too large', async () => {
    const submit = (manifest: unknown) => postForm('/api/plans', [{ name: 'bundle', value: bundle(manifest), filename: 'b.tgz' }]);
    expectGolden(
      'manifest.txt',
      await answers([
        ['absolute scenario', submit({ version: 1, files: ['/etc/passwd.json'] })],
        ['scenario up and out', submit({ version: 1, files: ['../../../x.json'] })],
        ['absolute environment', submit({ version: 1, files: ['a.json'], environment: '/etc/env.yaml' })],
        ['iteration data up and out', submit({ version: 1, files: ['a.json'], iterationData: 'data/../../x.csv' })],
        ['script folder outside', submit({ version: 1, files: ['a.json'], scripts: ['/etc'] })],
        ['20,000 files', submit({ version: 1, files: Array.from({ length: 20_000 }, () => 'a.json') })],
      ]),
    );
  });

  it('refuses junk query parameters of the run list instead of a 500 from the store', async () => {
    const list = (query: string) => raw('GET', `/api/runs?${query}`, auth('read'));
    expectGolden(
      'run-list.txt',
      await answers([
        ['offset=1e30', list('offset=1e30')],
        ['limit=-1', list('limit=-1')],
        ['limit=abc', list('limit=abc')],
        ['limit=1000 (over the maximum of the OpenAPI description: was cut to 500 unsaid)', list('limit=1000')],
        ['status twice', list('status=queued&status=passed')],
        ['status=bogus', list('status=bogus')],
        ['trigger=bogus', list('trigger=bogus')],
        ['"staus" for "status" (listed every run)', list('staus=failed')],
        ['trigger[]=api', list('trigger[]=api')],
      ]),
    );
    const fine = await raw('GET', '/api/runs?limit=500&offset=0&status=queued', auth('read'));
    expect(fine.status).toBe(200);
    // limit=0 (the OpenAPI minimum) asks for the total alone: it listed one run.
    expect((await postJson('/api/runs', { planId, pool: 'nobody-count' })).status).toBe(201);
    const count = await raw('GET', '/api/runs?limit=0&pool=nobody-count', auth('read'));
    expect(JSON.parse(count.body)).toEqual({ runs: [], total: 1 });
  });

  it('answers a garbage Last-Event-ID or from with a 400, not a stream that ends at once (EventSource reconnected for ever)', async () => {
    const run = JSON.parse(
      (
        await postForm('/api/runs', [
          { name: 'pool', value: 'nobody' },
          { name: 'bundle', value: bundle({ version: 1, files: ['a.json'] }), filename: 'a.tgz' },
        ])
      ).body,
    ) as RunRecord;
    const events = (headers: Record<string, string>, query = '') =>
      raw('GET', `/api/runs/${run.id}/events${query}`, { ...auth('read'), ...headers });
    expectGolden(
      'events.txt',
      await answers([
        ['Last-Event-ID: garbage', events({ 'last-event-id': 'garbage' })],
        ['Last-Event-ID over 2^64', events({ 'last-event-id': '99999999999999999999-0' })],
        ['from=a&from=b', events({}, '?from=a&from=b')],
      ]),
    );
  });

  it('refuses schedules with a wrong type, an "every" past a year, an empty name or a pool no run can have', async () => {
    const create = (body: Record<string, unknown>) => postJson('/api/schedules', { name: 'nightly', planId, ...body }, 'admin');
    expectGolden(
      'schedules.txt',
      await answers([
        ['cron a number', create({ cron: 5 })],
        ['every a word', create({ every: 'abc' })],
        ['every 1e300', create({ every: 1e300 })],
        ['every 0', create({ every: 0 })],
        ['empty name', create({ name: ' ', every: 60_000 })],
        // An escape or a newline reached the terminal of whoever ran `sortie server schedule list`.
        ['name with a terminal escape and a newline', create({ name: 'nightly\u001b[31mRED\nfake line', every: 60_000 })],
        ['pool with a slash', create({ every: 60_000, pool: 'a/b' })],
        ['bad cron', create({ cron: '99 * * * *' })],
      ]),
    );
    expect((JSON.parse((await raw('GET', '/api/schedules', auth('read'))).body) as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it('refuses a cron pattern that is blank, has other than 5 or 6 fields, or matches no date (they fired every minute, or never)', async () => {
    // cron-parser fills missing fields from the left: "*/5" was every minute of Sundays and Fridays,
    // "   " every minute; "0 2 31 2,4 *" was stored as active and BullMQ scheduled nothing.
    const create = (cron: string) => postJson('/api/schedules', { name: 'nightly', planId, cron }, 'admin');
    expectGolden(
      'schedules-cron.txt',
      await answers([
        ['blank', create('   ')],
        ['one field', create('*/5')],
        ['four fields', create('0 2 * *')],
        ['seven fields (a year)', create('0 0 2 1 1 * 2030')],
        ['only on days that do not exist', create('0 2 31 2,4 *')],
        // cron-parser refused it with "Invalid explicit day of month definition".
        ['a day its one month does not have', create('0 0 30 2 *')],
        // cron-parser's own message named the value, not the field ("got value 60 expected range 0-59").
        ['minute 60', create('60 * * * *')],
        ['the minute of six fields', create('0 60 * * * *')],
        ['the second of six fields', create('60 0 * * * *')],
        ['hour 24', create('0 24 * * *')],
        ['month 13 in a list', create('0 0 1 1,13 *')],
        ['a day-of-month range past 31', create('0 0 1-32 * *')],
        ['a letter cron-parser does not read', create('0 0 1W * *')],
        ['a range backwards', create('0 0 * * 5-1')],
      ]),
    );
    expect((JSON.parse((await raw('GET', '/api/schedules', auth('read'))).body) as { schedules: unknown[] }).schedules).toEqual([]);
    // Feb 29 exists, every fourth year; a macro is one word.
    for (const cron of ['0 0 29 2 *', '@daily', '0 30 2 * * *']) {
      const answer = await create(cron);
      expect(answer.status, `${cron}: ${answer.body}`).toBe(201);
      const { id } = JSON.parse(answer.body) as { id: string };
      expect((await raw('DELETE', `/api/schedules/${id}`, auth('admin'))).status).toBe(204);
    }
  });

  it('refuses run options the agent would ignore: wrong types, out of range, unknown names, with what each expects', async () => {
    const run = (options: unknown) => postJson('/api/runs', { planId, pool: 'nobody', options });
    const schedule = (options: unknown) => postJson('/api/schedules', { name: 'nightly', planId, every: 60_000, options }, 'admin');
    const multipart = postForm('/api/runs', [
      { name: 'options', value: '{"parallel":-1}' },
      { name: 'bundle', value: bundle({ version: 1, files: ['a.json'] }), filename: 'a.tgz' },
    ]);
    expectGolden(
      'run-options.txt',
      await answers([
        ['iterations a word', run({ iterations: 'abc' })],
        ['parallel -1 (multipart)', multipart],
        ['a misspelt name', run({ iteratoins: 3 })],
        ['an unknown name', run({ frobnicate: true })],
        ['envVars a string', run({ envVars: 'A=1' })],
        ['globals a list', run({ globals: ['a', 'x'] })],
        ['timeoutRequest 0', run({ timeoutRequest: 0 })],
        ['timeoutRequest -5 and seed 1.5', run({ timeoutRequest: -5, seed: 1.5 })],
        ['bail a string', run({ bail: 'yes' })],
        ['globalSecrets not a list', run({ globalSecrets: 'TOKEN' })],
        ['shards 0', run({ shards: 0 })],
        ['shards 65', run({ shards: 65 })],
        ['retryFailed 1e9', run({ retryFailed: 1e9 })],
        ['shards a string', run({ shards: '2' })],
        ['shards 1.5', run({ shards: 1.5 })],
        ['a control character in a name', run({ 'a\u0000b': 1 })],
        ['100 unknown names: 20 named', run(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x${i}`, i])))],
        ['schedule with parallel 0', schedule({ parallel: 0 })],
      ]),
    );
    expect((JSON.parse((await raw('GET', '/api/schedules', auth('read'))).body) as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it('accepts every option `sortie run --remote` can send (remoteOptions), at its limits', async () => {
    const options = {
      envVars: { A: '1' },
      // A -g file's values keep their JSON types.
      globals: { g: 'x', n: 3, on: true, user: { id: 7 }, ids: [1, 2], none: null },
      iterations: 1,
      parallel: 4,
      timeoutRequest: 1,
      maxResponseBytes: 1024,
      seed: 0,
      locale: 'de',
      bail: true,
      retryFailed: 2,
      failOnFlaky: true,
      teardownGrace: 1,
      timeoutRun: 60_000,
      insecure: true,
      cookies: false,
      allowUnresolved: true,
      globalSecrets: ['TOKEN'],
    };
    const response = await postJson('/api/runs', { planId, pool: 'nobody', options });
    expect(response.status, response.body).toBe(201);
    expect((JSON.parse(response.body) as RunRecord).options).toEqual(options);
    const scheduled = await postJson('/api/schedules', { name: 'all options', planId, every: 60_000, options }, 'admin');
    expect(scheduled.status, scheduled.body).toBe(201);
    const { id } = JSON.parse(scheduled.body) as { id: string };
    expect((await raw('DELETE', `/api/schedules/${id}`, auth('admin'))).status).toBe(204);
  });

  it('refuses a schedule with a field it does not know (a typo of "every" was ignored unsaid)', async () => {
    const bundlePart = { name: 'bundle', value: bundle({ version: 1, files: ['a.json'] }), filename: 'a.tgz' };
    expectGolden(
      'schedule-fields.txt',
      await answers([
        ['"evry" for "every"', postJson('/api/schedules', { name: 'n', planId, evry: 60_000 }, 'admin')],
        ['an unknown field', postJson('/api/schedules', { name: 'n', planId, every: 60_000, owner: 'me' }, 'admin')],
        ['a JSON list', postJson('/api/schedules', [1, 2], 'admin')],
        // It said '"name" and "planId" are required', as if an object had come.
        ['a JSON null', postJson('/api/schedules', null, 'admin')],
        [
          'planId beside a bundle (multipart)',
          postForm(
            '/api/schedules',
            [{ name: 'name', value: 'n' }, { name: 'every', value: '60000' }, { name: 'planId', value: planId }, bundlePart],
            'admin',
          ),
        ],
        [
          '"crn" (multipart)',
          postForm('/api/schedules', [{ name: 'name', value: 'n' }, { name: 'crn', value: '0 2 * * *' }, bundlePart], 'admin'),
        ],
      ]),
    );
    expect((JSON.parse((await raw('GET', '/api/schedules', auth('read'))).body) as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it('refuses a schedule change with a field it does not know (a new "cron" was ignored and the answer said 200)', async () => {
    const created = await postJson('/api/schedules', { name: 'to change', planId, every: 60_000 }, 'admin');
    const { id } = JSON.parse(created.body) as { id: string };
    const change = (value: unknown) =>
      raw('PATCH', `/api/schedules/${id}`, { ...auth('admin'), 'content-type': 'application/json' }, JSON.stringify(value));
    expectGolden(
      'schedule-change.txt',
      await answers([
        ['a new cron beside paused', change({ paused: true, cron: '0 3 * * *' })],
        ['a new name beside paused', change({ paused: true, name: 'renamed' })],
        ['"pasued" beside paused', change({ pasued: false, paused: true })],
        ['a JSON list', change([true])],
        ['a JSON null', change(null)],
      ]),
    );
    const [schedule] = (JSON.parse((await raw('GET', '/api/schedules', auth('read'))).body) as { schedules: Record<string, unknown>[] })
      .schedules;
    expect(schedule).toMatchObject({ id, name: 'to change', every: 60_000, paused: false });
    expect((await change({ paused: true })).status).toBe(200);
    expect((await raw('DELETE', `/api/schedules/${id}`, auth('admin'))).status).toBe(204);
  });

  it('refuses a run with a field it does not know (a misspelt "pool" went to the default pool unsaid)', async () => {
    const bundlePart = { name: 'bundle', value: bundle({ version: 1, files: ['a.json'] }), filename: 'a.tgz' };
    const runs = async () => (JSON.parse((await raw('GET', '/api/runs', auth('read'))).body) as { total: number }).total;
    const before = await runs();
    expectGolden(
      'run-fields.txt',
      await answers([
        ['"pol" for "pool"', postJson('/api/runs', { planId, pol: 'eu' }, 'submit')],
        ['an unknown field', postJson('/api/runs', { planId, owner: 'me' }, 'submit')],
        ['a JSON list', postJson('/api/runs', [1, 2], 'submit')],
        ['a trigger no submission has', postJson('/api/runs', { planId, trigger: 'schedule' }, 'submit')],
        ['planId beside a bundle (multipart)', postForm('/api/runs', [{ name: 'planId', value: planId }, bundlePart], 'submit')],
        ['"option" (multipart)', postForm('/api/runs', [{ name: 'option', value: '{}' }, bundlePart], 'submit')],
        ['a report named twice (it was made and listed twice)', postJson('/api/runs', { planId, reports: ['json', 'json'] })],
        ['an empty body sent as JSON', raw('POST', '/api/runs', { ...auth('submit'), 'content-type': 'application/json' }, '')],
        ['JSON null (it was "No plan")', raw('POST', '/api/runs', { ...auth('submit'), 'content-type': 'application/json' }, 'null')],
        ['a planId that is a number (it was "No plan")', postJson('/api/runs', { planId: 5 }, 'submit')],
      ]),
    );
    expect(await runs()).toBe(before);
  });

  it('cancels a run on an empty body sent as application/json, as curl and many clients send it (it was a 400)', async () => {
    const submitted = await postJson('/api/runs', { planId, pool: 'nobody' });
    const { id } = JSON.parse(submitted.body) as { id: string };
    const cancelled = await raw('POST', `/api/runs/${id}/cancel`, { ...auth('submit'), 'content-type': 'application/json' }, '');
    expect(cancelled.status, cancelled.body).toBe(200);
    expect((JSON.parse(cancelled.body) as RunRecord).status).toBe('cancelled');
    // A body that is not empty is still read as JSON, and Fastify's prototype guard still holds.
    const poisoned = await raw('POST', '/api/runs', { ...auth('submit'), 'content-type': 'application/json' }, '{"__proto__":{"x":1}}');
    expect(poisoned.status).toBe(400);
    const malformed = await raw('POST', `/api/runs/${id}/cancel`, { ...auth('submit'), 'content-type': 'application/json' }, '{');
    expect(malformed.status).toBe(400);
  });

  it('says where a malformed JSON body goes wrong, line and column (it was "Body is not valid JSON" with no position)', async () => {
    const json = (path: string, body: string, scope: keyof typeof tokens = 'submit') =>
      raw('POST', path, { ...auth(scope), 'content-type': 'application/json' }, body);
    const sent = [
      ['a missing comma on line 3', json('/api/runs', `{\n  "planId": "${planId}"\n  "pool": "eu"\n}`)],
      ['cut short', json('/api/runs', '{"planId": ')],
      ['a trailing comma', json('/api/schedules', '{"name": "n", "every": 60000,}', 'admin')],
      ['a single-quoted string', json('/api/runs', "{'planId': 'x'}")],
    ] as [string, Promise<{ status: number; body: string }>][];
    for (const [label, pending] of sent) expect((await pending).status, label).toBe(400);
    expectGolden('malformed-json.txt', await answers(sent));
    // Valid JSON Fastify refuses for its prototype guard is said as such (it was "not valid JSON" too).
    const poisoned = await json('/api/runs', '{"__proto__":{"x":1}}');
    expect(poisoned.status).toBe(400);
    expect(JSON.parse(poisoned.body)).toMatchObject({ error: { message: expect.stringContaining('"__proto__" or "constructor" key') } });
  });

  it('refuses to cancel a run that already ended with a 409 saying how it ended; a cancelled one is answered again', async () => {
    const { id } = JSON.parse((await postJson('/api/runs', { planId, pool: 'nobody' })).body) as { id: string };
    const first = await raw('POST', `/api/runs/${id}/cancel`, auth('submit'));
    expect(first.status, first.body).toBe(200);
    // A retried cancel (the client lost the first answer) succeeds with the record.
    const again = await raw('POST', `/api/runs/${id}/cancel`, auth('submit'));
    expect(again.status, again.body).toBe(200);
    expect((JSON.parse(again.body) as RunRecord).status).toBe('cancelled');
    const ended = await server.store.updateRun(id, { status: 'passed' });
    expect(ended?.status).toBe('passed');
    const refused = await raw('POST', `/api/runs/${id}/cancel`, auth('submit'));
    expect(refused.status, refused.body).toBe(409);
    expectGolden('cancel-ended.txt', await answers([['cancel a passed run', Promise.resolve(refused)]]));
    expect((JSON.parse((await raw('GET', `/api/runs/${id}`, auth('read'))).body) as RunRecord).status).toBe('passed');
  });

  it('answers a body of a type the API does not read with a 415 naming the type it expects (text/plain JSON was a 400 "must be a JSON object")', async () => {
    const run = JSON.stringify({ planId });
    const before = (JSON.parse((await raw('GET', '/api/runs', auth('read'))).body) as { total: number }).total;
    const sent = [
      ['a JSON run as text/plain', raw('POST', '/api/runs', { ...auth('submit'), 'content-type': 'text/plain' }, run)],
      [
        'a JSON run as text/plain; charset=utf-8',
        raw('POST', '/api/runs', { ...auth('submit'), 'content-type': 'text/plain; charset=utf-8' }, run),
      ],
      ['XML', raw('POST', '/api/runs', { ...auth('submit'), 'content-type': 'application/xml' }, '<run/>')],
      ['a schedule as text/plain', raw('POST', '/api/schedules', { ...auth('admin'), 'content-type': 'text/plain' }, '{}')],
    ] as [string, Promise<{ status: number; body: string }>][];
    for (const [label, pending] of sent) expect((await pending).status, label).toBe(415);
    expectGolden('media-types.txt', await answers(sent));
    expect((JSON.parse((await raw('GET', '/api/runs', auth('read'))).body) as { total: number }).total).toBe(before);
    // An empty body is no content whatever its type (RFC 9110 §8.6): `curl -X POST -d '' …/cancel` still cancels.
    const { id } = JSON.parse((await postJson('/api/runs', { planId, pool: 'nobody' })).body) as { id: string };
    const form = { ...auth('submit'), 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' };
    const cancelled = await raw('POST', `/api/runs/${id}/cancel`, form, '');
    expect(cancelled.status, cancelled.body).toBe(200);
  });

  it('says why a token was refused: none sent, another scheme than Bearer, malformed, or unknown (all said "a token is required")', async () => {
    const refusals = [
      ['no Authorization', raw('GET', '/api/runs', {})],
      ['Basic credentials', raw('GET', '/api/runs', { authorization: `Basic ${Buffer.from('me:hunter2').toString('base64')}` })],
      ['a bare token without a scheme', raw('GET', '/api/runs', { authorization: tokens.read })],
      ['a short secret without a scheme (not repeated back)', raw('GET', '/api/runs', { authorization: 'hunter2 x' })],
      ['Digest', raw('GET', '/api/runs', { authorization: 'digest username="me"' })],
      ['a malformed bearer token', raw('GET', '/api/runs', { authorization: 'Bearer a b c' })],
      ['a forged bearer token', raw('GET', '/api/runs', { authorization: 'Bearer sortie_forgedforgedforgedforged' })],
    ] as [string, Promise<{ status: number; body: string }>][];
    const headers: string[] = [];
    for (const [label, pending] of refusals) {
      const answer = await pending;
      expect(answer.status, label).toBe(401);
      // The credentials are never repeated back.
      expect(answer.body, label).not.toContain('hunter2');
      expect(answer.body, label).not.toContain(Buffer.from('me:hunter2').toString('base64'));
      expect(answer.body, label).not.toContain(tokens.read);
      expect(answer.body, label).not.toContain('forgedforged');
    }
    for (const [label, header] of [
      ['none', undefined],
      ['forged', 'Bearer sortie_forgedforgedforgedforged'],
      ['Basic', 'Basic bWU6aHVudGVyMg=='],
    ] as const) {
      const response = await fetch(new URL('/api/runs', server.url), { headers: header === undefined ? {} : { authorization: header } });
      headers.push(`${label}: ${response.headers.get('www-authenticate')}`);
    }
    expect(headers).toEqual([
      'none: Bearer realm="sortie"',
      'forged: Bearer realm="sortie", error="invalid_token"',
      'Basic: Bearer realm="sortie", error="invalid_request"',
    ]);
    expectGolden('token-refusals.txt', await answers(refusals));
  });

  it('answers a malformed URL, an over-long id and an unknown route in the API error shape, without echoing the URL', async () => {
    expectGolden(
      'routes.txt',
      await answers([
        ['bad percent escape', raw('GET', '/api/runs/%ZZ', auth('read'))],
        ['id of 8000 characters', raw('GET', `/api/runs/${'a'.repeat(8000)}`, auth('read'))],
        ['unknown route', raw('DELETE', '/api/nothing/x', auth('admin'))],
      ]),
    );
  });

  it('answers a method a path does not take with a 405 and the Allow header (RFC 9110 §15.5.6), and OPTIONS with the methods', async () => {
    const asked: [string, string][] = [
      ['DELETE', '/api/runs'],
      ['PUT', '/api/runs/x'],
      ['GET', '/api/runs/x/cancel'],
      ['POST', '/api/agents'],
      ['PUT', '/api/schedules/x'],
      ['DELETE', '/agents'],
      ['OPTIONS', '/api/runs'],
    ];
    const lines: string[] = [];
    for (const [method, path] of asked) {
      const response = await fetch(new URL(path, server.url), { method, headers: auth('admin') });
      const body = await response.text();
      lines.push(`${method} ${path}\n  ${response.status} allow: ${response.headers.get('allow')} ${body}`);
    }
    expectGolden('methods.txt', `${lines.join('\n')}\n`);
    // A path the server does not have is still a 404, without an Allow header.
    const unknown = await fetch(new URL('/api/runs/x/y/z', server.url), { method: 'DELETE', headers: auth('admin') });
    expect([unknown.status, unknown.headers.get('allow')]).toEqual([404, null]);
  });
});
