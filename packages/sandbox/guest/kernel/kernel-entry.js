/** Built-in prototypes scripts could pollute for later runs: frozen once (see intrinsics-guard.js). */
const arrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]());
const FROZEN_PROTOTYPES = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Symbol.prototype,
  Promise.prototype,
  RegExp.prototype,
  Date.prototype,
  Error.prototype,
  Map.prototype,
  Set.prototype,
  WeakMap.prototype,
  arrayIteratorPrototype,
  Object.getPrototypeOf(arrayIteratorPrototype),
  Object.getPrototypeOf(new Map()[Symbol.iterator]()),
  Object.getPrototypeOf(new Set()[Symbol.iterator]()),
  Object.getPrototypeOf(''[Symbol.iterator]()),
];
/**
 * The other intrinsics a script could change for later runs (`Uint8Array.prototype.x = …`,
 * `Map.groupBy = …`, `TypeError.prototype.name = …`): every property of their prototypes stays
 * assignable on the code's own objects and subclasses (the buffer module defines Buffer.prototype.slice
 * over Uint8Array's; a subclass of TypeError sets its own name).
 */
const typedArray = Object.getPrototypeOf(Int8Array);
const generatorFunction = Object.getPrototypeOf(function* () {});
const asyncFunction = Object.getPrototypeOf(async () => {});
const asyncGeneratorFunction = Object.getPrototypeOf(async function* () {});
const asyncIteratorPrototype = Object.getPrototypeOf(asyncGeneratorFunction.prototype);
const OTHER_CONSTRUCTORS = [
  Function,
  Map,
  Set,
  WeakMap,
  WeakSet,
  WeakRef,
  FinalizationRegistry,
  Proxy,
  BigInt,
  ArrayBuffer,
  SharedArrayBuffer,
  DataView,
  typedArray,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
  Float32Array,
  Float64Array,
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  AggregateError,
  generatorFunction.constructor,
  asyncFunction.constructor,
  asyncGeneratorFunction.constructor,
];
/** QuickJS's globals the TypeScript library does not declare. */
const quickjsGlobals = /** @type {Record<string, any>} */ (/** @type {unknown} */ (globalThis));
for (const name of ['Iterator', 'Float16Array', 'InternalError']) {
  if (typeof quickjsGlobals[name] === 'function') OTHER_CONSTRUCTORS.push(quickjsGlobals[name]);
}
const OTHER_PROTOTYPES = [
  generatorFunction,
  generatorFunction.prototype,
  asyncFunction,
  asyncGeneratorFunction,
  asyncGeneratorFunction.prototype,
];
OTHER_PROTOTYPES.push(asyncIteratorPrototype, Object.getPrototypeOf('a'.matchAll(/a/g)));
const arrayIterator = /** @type {any} */ ([].values());
if (typeof arrayIterator.map === 'function')
  OTHER_PROTOTYPES.push(Object.getPrototypeOf(arrayIterator.map((/** @type {unknown} */ x) => x)));
for (const builtin of OTHER_CONSTRUCTORS) {
  const prototype = builtin.prototype;
  if (prototype !== null && typeof prototype === 'object' && !FROZEN_PROTOTYPES.includes(prototype)) OTHER_PROTOTYPES.push(prototype);
}
const parseJson = JSON.parse;
const stringifyJson = JSON.stringify;
/**
 * Records the script's uncaught error and ends the run, as an uncaught exception ends a Node
 * process: the timers, requests and promise jobs still pending are dropped, so an interval left
 * running cannot turn the error into a time-limit error.
 */
function recordError(error) {
  if (run === null || run.error !== undefined) return;
  run.error = describeThrown(error);
  host.endRun();
}
/**
 * What the script threw, read without letting it throw again: an error whose `name`, `message` or
 * `stack` getter throws, or a Proxy whose traps throw, is still reported (a throw here would be
 * lost in a promise reaction and the failed script would pass).
 */
function describeThrown(error) {
  let errorLike;
  try {
    errorLike =
      error instanceof Error || (error !== null && typeof error === 'object' && typeof error.message === 'string' && 'stack' in error);
  } catch (thrown) {
    return { nonError: true, value: 'an object that threw when inspected (' + describeSafely(thrown) + ')' };
  }
  if (!errorLike) return { nonError: true, value: typeof error === 'string' ? stringifyJson(error) : describeSafely(error) };
  return {
    name: readErrorField(error, 'name', 'Error'),
    message: readErrorField(error, 'message', ''),
    stack: readErrorField(error, 'stack', ''),
  };
}
function readErrorField(error, key, fallback) {
  try {
    const value = error[key];
    if (key === 'message') return String(value);
    return value ? String(value) : fallback;
  } catch (thrown) {
    return key === 'message' ? '(its message threw when read: ' + describeSafely(thrown) + ')' : fallback;
  }
}
function describeSafely(value) {
  try {
    return describeValue(value);
  } catch (thrown) {
    return 'a value that threw when described';
  }
}
const stableGlobals = Object.assign({}, timerGlobals, { atob, btoa, crypto: webCrypto, require: scriptRequire });
for (const name of Object.keys(stableGlobals)) {
  defineOwn(globalThis, name, { value: Object.freeze(stableGlobals[name]), writable: false, configurable: false, enumerable: false });
}
for (const name of Object.keys(RUN_GLOBALS)) {
  const read = RUN_GLOBALS[name];
  defineOwn(globalThis, name, {
    get: () => (run === null ? undefined : name in run.globals ? run.globals[name] : read()),
    set: (value) => {
      if (run !== null) run.globals[name] = value;
    },
    configurable: false,
    enumerable: false,
  });
}
watchGlobalDefinitions(globalThis);
// V8's Error.stackTraceLimit, which the assert module saves, sets to 0 and restores: writes are ignored
// (QuickJS does not read it) rather than refused by the frozen Error.
Object.defineProperty(Error, 'stackTraceLimit', { get: () => 10, set: () => {}, configurable: false });
for (const target of [Object, Array, String, Number, Boolean, Symbol, Promise, Date, RegExp, JSON, Math, Reflect]) Object.freeze(target);
for (const target of OTHER_CONSTRUCTORS) Object.freeze(target);
hardenIntrinsics(FROZEN_PROTOTYPES.concat(OTHER_PROTOTYPES), [Object.prototype, Error.prototype].concat(OTHER_PROTOTYPES));
const globalsLock = lockGlobals(globalThis);

/**
 * Per-run state. A test script's response arrives with exec as plain values (the body when it is
 * small); its headers and the rest of the context are fetched on first use.
 */
const runPrototype = {
  get ctx() {
    const ctx = parseJson(host.context());
    defineOwn(this, 'ctx', { value: ctx });
    return ctx;
  },
};
function exec(script, prerequest, code, status, responseTime, responseSize, body) {
  run = createObject(runPrototype);
  run.eventName = prerequest ? 'prerequest' : 'test';
  run.responseHead = code === undefined ? undefined : { code, status, responseTime, responseSize, body };
  run.tests = [];
  run.logs = [];
  run.logsDropped = 0;
  run.writes = [];
  run.skipRequest = false;
  run.hasNext = false;
  run.nextRequest = null;
  run.error = undefined;
  run.legacyTests = {};
  run.globals = {};
  run.pm = createPm();
  if (script === undefined) return;
  let result;
  try {
    result = script.call(globalThis);
  } catch (error) {
    recordError(error);
    return;
  }
  // An async script always returns a promise; a script compiled as a plain function (no await) may return one.
  // It is still waiting at finish when the drain found nothing left that could settle it.
  if (result instanceof Promise) {
    const current = run;
    current.waiting = true;
    promiseThen.call(
      result,
      () => {
        current.waiting = false;
      },
      (error) => {
        current.waiting = false;
        recordError(error);
      },
    );
  }
}
function finish() {
  // Both always run: restoreLibraries also forgets this run's changes.
  const librariesRestored = restoreLibraries();
  const reusable = removeAddedGlobals(globalsLock) && librariesRestored;
  timerCallbacks.clear();
  const current = run;
  // Read while the run is current: a form body resolves its variables (pm.variables.replaceIn).
  let request;
  if (current.eventName === 'prerequest' && current.request !== undefined) {
    try {
      request = serializeRequest(current.request);
    } catch (error) {
      request = { error: { name: 'TypeError', message: 'pm.request can no longer be read: ' + describeValue(error), stack: '' } };
    }
  }
  run = null;
  settleLegacyTests(current, current.legacyTests);
  // Only what differs from an empty outcome is sent; a test that passed plainly is just its name.
  const out = {};
  if (current.tests.length > 0) {
    out.tests = [];
    for (const entry of current.tests) {
      const passed = entry.passed && entry.done;
      if (passed && entry.skipped !== true && entry.message === undefined && !('expected' in entry) && !('actual' in entry)) {
        out.tests.push(entry.name);
        continue;
      }
      const test = { name: entry.name, passed };
      if (entry.skipped === true) test.skipped = true;
      if (!entry.done && entry.passed) test.message = 'the test did not finish before the script ended';
      else if (entry.message !== undefined) test.message = entry.message;
      if ('expected' in entry) test.expected = entry.expected;
      if ('actual' in entry) test.actual = entry.actual;
      out.tests.push(test);
    }
  }
  if (current.logsDropped > 0) {
    const count = current.logsDropped;
    current.logs.push({
      level: 'warn',
      message:
        count +
        ' more console line' +
        (count === 1 ? ' was' : 's were') +
        ' dropped (at most ' +
        MAX_LOG_LINES +
        ' are kept per script run)',
    });
  }
  if (current.logs.length > 0) out.logs = current.logs;
  if (current.skipRequest) out.skipRequest = true;
  if (current.error !== undefined) out.error = current.error;
  else if (current.waiting === true) out.error = { name: SCRIPT_PENDING, message: 'the script was still waiting', stack: '' };
  if (current.writes.length > 0) out.writes = current.writes;
  if (!reusable) out.discardContext = true;
  if (current.hasNext) out.nextRequest = current.nextRequest;
  if (request !== undefined && 'error' in request) {
    if (out.error === undefined) out.error = request.error;
  } else if (request !== undefined) out.request = request;
  if (current.cookieWrites !== undefined) out.cookieWrites = current.cookieWrites;
  if (current.visualizer !== undefined) {
    try {
      out.visualizer = parseJson(stringifyJson(current.visualizer));
    } catch (error) {
      out.logs = current.logs;
      out.logs.push({ level: 'warn', message: 'pm.visualizer.set: the data is not JSON-serialisable and was dropped' });
      out.visualizer = { template: current.visualizer.template };
    }
  }
  return stringifyJson(out);
}
