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

const KERNEL_ENTRY_SOURCE = `
const ownKeys = Reflect.ownKeys;
const describeOwn = Object.getOwnPropertyDescriptor;
const defineOwn = Object.defineProperty;
/** Prototypes scripts may pollute; restored after each run (the constructors and namespaces are frozen). */
const INTRINSICS = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype,
  Symbol.prototype, Promise.prototype, RegExp.prototype, Date.prototype, Error.prototype, Map.prototype, Set.prototype];
function snapshotIntrinsics() {
  return INTRINSICS.map((target) => {
    const keys = ownKeys(target);
    const descriptors = keys.map((key) => describeOwn(target, key));
    const values = descriptors.map((d) => ('value' in d ? d.value : d.get));
    return { target, keys, known: new Set(keys), descriptors, values, data: descriptors.map((d) => 'value' in d) };
  });
}
function forget(target, key) {
  try { delete target[key]; } catch (error) { /* non-configurable: keep it */ }
}
/** Cheap check (a key count and a read per property); a full restore only for what changed. */
function restoreIntrinsics(snapshot) {
  for (let i = 0; i < snapshot.length; i++) {
    const { target, keys, known, descriptors, values, data } = snapshot[i];
    const current = ownKeys(target);
    if (current.length !== keys.length) {
      for (let j = 0; j < current.length; j++) if (!known.has(current[j])) forget(target, current[j]);
    }
    for (let j = 0; j < keys.length; j++) {
      if (data[j] ? target[keys[j]] === values[j] : (describeOwn(target, keys[j]) || {}).get === values[j]) continue;
      try { defineOwn(target, keys[j], descriptors[j]); } catch (error) { /* made non-configurable by a script: keep it */ }
    }
  }
}
function recordError(error) {
  if (run === null || run.error !== undefined) return;
  if (error instanceof Error || (error !== null && typeof error === 'object' && typeof error.message === 'string' && 'stack' in error)) {
    run.error = { name: String(error.name || 'Error'), message: String(error.message), stack: String(error.stack || '') };
  } else {
    run.error = { nonError: true, value: typeof error === 'string' ? JSON.stringify(error) : describeValue(error) };
  }
}
const stableGlobals = Object.assign({}, timerGlobals, { atob, btoa, crypto: webCrypto, require: requireModule });
for (const name of Object.keys(stableGlobals)) {
  defineOwn(globalThis, name, { value: Object.freeze(stableGlobals[name]), writable: false, configurable: false, enumerable: false });
}
for (const name of Object.keys(RUN_GLOBALS)) {
  const read = RUN_GLOBALS[name];
  defineOwn(globalThis, name, {
    get: () => (run === null ? undefined : name in run.globals ? run.globals[name] : read()),
    set: (value) => { if (run !== null) run.globals[name] = value; },
    configurable: false,
    enumerable: false,
  });
}
for (const target of [Object, Array, String, Number, Boolean, Symbol, Promise, Date, RegExp, JSON, Math, Reflect]) Object.freeze(target);
const baseGlobals = new Set(Object.getOwnPropertyNames(globalThis));
const intrinsicsSnapshot = snapshotIntrinsics();

function begin(json) {
  const ctx = JSON.parse(json);
  run = { ctx, tests: [], logs: [], skipRequest: false, hasNext: false, nextRequest: null, error: undefined, legacyTests: {}, globals: {} };
  run.pm = createPm();
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
  if (current.ctx.eventName === 'prerequest' && current.request !== undefined) {
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
