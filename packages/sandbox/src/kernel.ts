/**
 * The guest kernel: evaluated once per context, it defines the shims and returns the four entry
 * points the host calls — `begin(ctxJson)`, `exec(scriptFn)`, `fireTimer(id)`, `finish()`.
 * Per-run state lives in one object replaced by `begin`; `finish` restores the built-in
 * prototypes and removes globals a script added, so one context serves many runs cheaply.
 */
import { CONSOLE_SOURCE } from './console.js';
import { PM_COOKIES_SOURCE } from './pm-cookies.js';
import { PM_OBJECT_SOURCE } from './pm-object.js';
import { PM_REQUEST_SOURCE } from './pm-request.js';
import { PM_RESPONSE_SOURCE } from './pm-response.js';
import { PM_TEST_SOURCE } from './pm-test.js';
import { PM_VARIABLES_SOURCE } from './pm-variables.js';
import { REQUIRE_SOURCE } from './require.js';
import { SEND_REQUEST_SOURCE } from './send-request.js';
import { TIMERS_SOURCE } from './timers.js';
import { WEB_GLOBALS_SOURCE } from './web-globals.js';

/** File name of the kernel in guest stack traces. */
export const KERNEL_FILE = 'sortie:kernel';

const KERNEL_ENTRY_SOURCE = String.raw`
const ownKeys = Reflect.ownKeys;
const describeOwn = Object.getOwnPropertyDescriptor;
const defineOwn = Object.defineProperty;
const INTRINSICS = [Object, Object.prototype, Array, Array.prototype, Function.prototype, String, String.prototype, Number,
  Number.prototype, Boolean.prototype, Symbol.prototype, Promise, Promise.prototype, RegExp.prototype, Date, Date.prototype,
  Error.prototype, Map.prototype, Set.prototype, JSON, Math, Reflect];
function snapshotIntrinsics() {
  return INTRINSICS.map((target) => {
    const keys = ownKeys(target);
    return { target, keys, known: new Set(keys), descriptors: keys.map((key) => describeOwn(target, key)) };
  });
}
function forget(target, key) {
  try { delete target[key]; } catch (error) { /* non-configurable: keep it */ }
}
function restoreIntrinsics(snapshot) {
  for (let i = 0; i < snapshot.length; i++) {
    const { target, keys, known, descriptors } = snapshot[i];
    const current = ownKeys(target);
    if (current.length !== keys.length) {
      for (let j = 0; j < current.length; j++) if (!known.has(current[j])) forget(target, current[j]);
    }
    for (let j = 0; j < keys.length; j++) {
      const saved = descriptors[j];
      const now = describeOwn(target, keys[j]);
      if (now === undefined || now.value !== saved.value || now.get !== saved.get || now.set !== saved.set) {
        try { defineOwn(target, keys[j], saved); } catch (error) { /* made non-configurable by a script: keep it */ }
      }
    }
  }
}
function recordError(error) {
  if (run === null || run.error !== undefined) return;
  if (error instanceof Error || (error !== null && typeof error === 'object' && typeof error.message === 'string' && 'stack' in error)) {
    run.error = { name: String(error.name || 'Error'), message: String(error.message), stack: String(error.stack || '') };
  } else {
    run.error = { nonError: true, value: describeValue(error) };
  }
}
const stableGlobals = Object.assign({}, timerGlobals, { atob, btoa, crypto: webCrypto, require: requireModule });
for (const name of Object.keys(stableGlobals)) {
  defineOwn(globalThis, name, { value: Object.freeze(stableGlobals[name]), writable: false, configurable: false, enumerable: false });
}
const baseGlobals = new Set(Object.getOwnPropertyNames(globalThis));
const intrinsicsSnapshot = snapshotIntrinsics();

function begin(json) {
  const ctx = JSON.parse(json);
  timerCallbacks.clear();
  run = { ctx, tests: [], logs: [], skipRequest: false, hasNext: false, nextRequest: null, visualizer: undefined, error: undefined, legacyTests: {} };
  run.request = createRequest(ctx.request || { method: 'GET', url: '', headers: [] });
  run.response = ctx.response ? new Response(ctx.response, () => host.responseText()) : undefined;
  const pm = createPm(run);
  const g = globalThis;
  g.pm = pm;
  g.postman = createPostman(pm);
  g.console = createConsole(run);
  g.tests = run.legacyTests;
  g.iteration = ctx.iteration;
  if (run.response) {
    const response = run.response;
    g.responseCode = { code: response.code, name: response.status, detail: response.status };
    g.responseTime = response.responseTime;
    g.responseHeaders = response.headers.toObject();
    defineOwn(g, 'responseBody', { get: () => response.text(), configurable: true, enumerable: false });
  }
}
function exec(script) {
  let result;
  try {
    result = script.call(globalThis);
  } catch (error) {
    recordError(error);
    return;
  }
  promiseThen.call(result, undefined, recordError);
}
function finish() {
  restoreIntrinsics(intrinsicsSnapshot);
  for (const name of Object.getOwnPropertyNames(globalThis)) if (!baseGlobals.has(name)) forget(globalThis, name);
  timerCallbacks.clear();
  const current = run;
  run = null;
  settleLegacyTests(current, current.legacyTests);
  const out = { tests: [], logs: current.logs, skipRequest: current.skipRequest, error: current.error };
  for (const entry of current.tests) {
    const test = { name: entry.name, passed: entry.passed && entry.done };
    if (!entry.done && entry.passed) test.message = 'the test did not finish before the script ended';
    else if (entry.message !== undefined) test.message = entry.message;
    if ('expected' in entry) test.expected = entry.expected;
    if ('actual' in entry) test.actual = entry.actual;
    out.tests.push(test);
  }
  if (current.hasNext) out.nextRequest = current.nextRequest;
  if (current.ctx.eventName === 'prerequest') {
    try {
      out.request = serializeRequest(current.request);
    } catch (error) {
      if (out.error === undefined) out.error = { name: 'TypeError', message: 'pm.request can no longer be read: ' + describeValue(error), stack: '' };
    }
  }
  if (current.visualizer !== undefined) {
    try {
      out.visualizer = JSON.parse(JSON.stringify(current.visualizer));
    } catch (error) {
      out.logs.push({ level: 'warn', message: 'pm.visualizer.set: the data is not JSON-serialisable and was dropped' });
      out.visualizer = { template: current.visualizer.template };
    }
  }
  return JSON.stringify(out);
}
return { begin, exec, fireTimer, finish };
`;

/** The kernel: a function of the host object returning the entry points. */
export const KERNEL_SOURCE = `(function (host) {
'use strict';
const promiseThen = Promise.prototype.then;
let run = null;
${WEB_GLOBALS_SOURCE}
${CONSOLE_SOURCE}
${TIMERS_SOURCE}
${REQUIRE_SOURCE}
${PM_VARIABLES_SOURCE}
${PM_REQUEST_SOURCE}
${PM_RESPONSE_SOURCE}
${PM_TEST_SOURCE}
${PM_COOKIES_SOURCE}
${SEND_REQUEST_SOURCE}
${PM_OBJECT_SOURCE}
${KERNEL_ENTRY_SOURCE}
})`;
