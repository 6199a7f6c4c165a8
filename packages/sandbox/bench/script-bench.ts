/**
 * Script cost: the benchmark post-script (one pm.test with pm.response.to.have.status, a
 * pm.response.json(), a pm.environment.set) run warm in one sandbox, once against a small (~60 B)
 * JSON body and once against a ~5 KB one. Prints wall and CPU µs/script (CPU is steadier on a busy
 * machine) and scripts/second; not a test.
 *
 * Run: npx tsx packages/sandbox/bench/script-bench.ts [runs]
 */
import type { HttpResponse } from '@sortie/core';
import { createSandbox, type Sandbox, type ScriptContext, type ScriptScope, type ScriptVariables } from '../src/index.js';

const SCRIPT = `pm.test('ok', () => pm.response.to.have.status(200));
const body = pm.response.json();
pm.environment.set('token', body.token);`;

const runs = Number(process.argv[2] ?? 5000);
const rounds = 3;
const store = new Map<string, unknown>();
const variables: ScriptVariables = {
  get: (name: string) => store.get(name),
  set: (_scope: ScriptScope, name: string, value: unknown) => void store.set(name, value),
  unset: (_scope: ScriptScope, name: string) => void store.delete(name),
  has: (name: string) => store.has(name),
  clear: () => store.clear(),
  toObject: () => Object.fromEntries(store),
  replaceIn: (template: string) => template,
};

/** ~60 bytes of JSON, like a login response. */
function smallBody(id: number): unknown {
  return { token: `tok-${id.toString(36).padStart(8, '0')}`, userId: id, role: 'admin', ok: true };
}

/** ~5 KB of JSON: a token plus a page of items. */
function largeBody(id: number): unknown {
  const items = Array.from({ length: 88 }, (_, i) => ({ id: id * 100 + i, name: `item ${i}`, tags: ['a', 'b'], price: 12.5 + i }));
  return { token: `tok-${id.toString(36).padStart(8, '0')}`, items };
}

function responseFor(json: unknown): HttpResponse {
  const body = new TextEncoder().encode(JSON.stringify(json));
  return {
    status: 200,
    statusText: 'OK',
    httpVersion: '1.1',
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['content-length', String(body.byteLength)],
      ['date', 'Mon, 01 Jan 2024 00:00:00 GMT'],
      ['connection', 'keep-alive'],
    ],
    body,
    encodedBodySize: body.byteLength,
    timings: { firstByte: 1, download: 0, total: 1 },
    url: 'http://127.0.0.1/login',
    redirects: [],
  };
}

function contextFor(id: number, body: (id: number) => unknown): ScriptContext {
  return {
    eventName: 'test',
    scriptName: 'bench.post',
    requestName: 'Login',
    requestId: String(id),
    iteration: 0,
    iterationCount: 1,
    variables,
    request: { method: 'POST', url: 'http://127.0.0.1/login', headers: [['content-type', 'application/json']], body: '{"user":"a"}' },
    response: responseFor(body(id)),
  };
}

async function check(sandbox: Sandbox, body: (id: number) => unknown): Promise<void> {
  const outcome = await sandbox.run(SCRIPT, contextFor(7, body));
  if (outcome.error !== undefined || outcome.assertions[0]?.passed !== true)
    throw new Error(`benchmark script failed: ${outcome.error?.message}`);
  if (store.get('token') !== 'tok-00000007') throw new Error(`benchmark script did not set the token: ${String(store.get('token'))}`);
}

/** Best of `rounds` timed loops of `runs` scripts (contexts built beforehand, outside the timing). */
async function measure(sandbox: Sandbox, label: string, body: (id: number) => unknown): Promise<void> {
  await check(sandbox, body);
  const contexts = Array.from({ length: runs }, (_, i) => contextFor(i, body));
  for (let i = 0; i < 500; i++) await sandbox.run(SCRIPT, contexts[i % runs] as ScriptContext);
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const ctx of contexts) await sandbox.run(SCRIPT, ctx);
    best = Math.min(best, performance.now() - started);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
  }
  const size = (contexts[0] as ScriptContext).response?.body.byteLength ?? 0;
  process.stdout.write(
    `warm, ${label} body (${size} B): ${((best / runs) * 1000).toFixed(1)} µs/script = ${Math.round((runs / best) * 1000)} scripts/s` +
      ` (best of ${rounds} × ${runs}; CPU ${((bestCpu / runs) * 1000).toFixed(1)} µs/script)\n`,
  );
}

const coldStart = performance.now();
const sandbox = await createSandbox();
await check(sandbox, smallBody);
process.stdout.write(`cold start (sandbox + first script with chai): ${(performance.now() - coldStart).toFixed(1)} ms\n`);
await measure(sandbox, 'small', smallBody);
await measure(sandbox, 'large', largeBody);
sandbox.dispose();
