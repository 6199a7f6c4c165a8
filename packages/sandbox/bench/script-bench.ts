/**
 * Script throughput: the benchmark post-script (one pm.test, pm.response.json(),
 * pm.environment.set) run warm in one sandbox. Prints scripts/second; not a test.
 *
 * Run: npx tsx packages/sandbox/bench/script-bench.ts [runs]
 */
import type { HttpResponse } from '@sortie/core';
import { createSandbox, type ScriptContext, type ScriptScope, type ScriptVariables } from '../src/index.js';

const SCRIPT = `pm.test('status is 200', () => pm.expect(pm.response.code).to.equal(200));
const body = pm.response.json();
pm.environment.set('lastId', body.id);`;

const runs = Number(process.argv[2] ?? 5000);
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

function responseFor(id: number): HttpResponse {
  const body = new TextEncoder().encode(JSON.stringify({ id, name: `item ${id}`, tags: ['a', 'b'], price: 12.5 }));
  return {
    status: 200,
    statusText: 'OK',
    httpVersion: '1.1',
    headers: [['content-type', 'application/json']],
    body,
    encodedBodySize: body.byteLength,
    timings: { firstByte: 1, download: 0, total: 1 },
    url: 'http://127.0.0.1/items',
    redirects: [],
  };
}

function contextFor(id: number): ScriptContext {
  return {
    eventName: 'test',
    scriptName: 'bench.post',
    requestName: 'Get item',
    requestId: String(id),
    iteration: 0,
    iterationCount: 1,
    variables,
    response: responseFor(id),
  };
}

const coldStart = performance.now();
const sandbox = await createSandbox();
const first = await sandbox.run(SCRIPT, contextFor(0));
const cold = performance.now() - coldStart;
if (first.error !== undefined || first.assertions[0]?.passed !== true) throw new Error(`benchmark script failed: ${first.error?.message}`);

for (let i = 0; i < 500; i++) await sandbox.run(SCRIPT, contextFor(i));
const started = performance.now();
for (let i = 0; i < runs; i++) await sandbox.run(SCRIPT, contextFor(i));
const elapsed = performance.now() - started;
sandbox.dispose();

process.stdout.write(
  `cold start (sandbox + first script with chai): ${cold.toFixed(1)} ms\n` +
    `warm: ${runs} scripts in ${elapsed.toFixed(0)} ms = ${Math.round((runs / elapsed) * 1000)} scripts/s, ${((elapsed / runs) * 1000).toFixed(0)} µs/script\n`,
);
