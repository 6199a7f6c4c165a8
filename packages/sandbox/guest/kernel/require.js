const moduleCache = new Map();
const loadingModules = new Set();
/**
 * Freezes a module's exports, the objects and functions reachable through their data properties, and
 * their prototypes. Every data property of a class prototype stays assignable on instances and
 * subclass prototypes (see allowOverride): Node code sets `this._events`, `this._write = options.write`
 * or `Sub.prototype._transform = …` over the inherited ones.
 */
function hardenModule(exports) {
  const seen = new Set();
  const reached = [];
  const pending = [exports];
  while (pending.length > 0) {
    const value = pending.pop();
    if (seen.has(value) || value === globalThis) continue;
    seen.add(value);
    reached.push(value);
    const keys = ownKeys(value);
    for (let k = 0; k < keys.length; k++) {
      const d = describeOwn(value, keys[k]);
      if ('value' in d && d.value !== null && (typeof d.value === 'object' || typeof d.value === 'function')) pending.push(d.value);
    }
  }
  // Every prototype first, then the freezing: a prototype reached before its class is not frozen yet.
  for (let i = 0; i < reached.length; i++) {
    const prototype = typeof reached[i] === 'function' ? reached[i].prototype : null;
    if (prototype === null || typeof prototype !== 'object') continue;
    const keys = ownKeys(prototype);
    for (let k = 0; k < keys.length; k++) allowOverride(prototype, keys[k]);
  }
  for (let i = 0; i < reached.length; i++) freeze(reached[i]);
  return exports;
}
/**
 * The bundled libraries (lodash, moment, chai, crypto-js, tv4…) are not frozen: they keep state on
 * themselves (`tv4.error`) and build objects on their own objects (crypto-js's `Object.create(Base)`
 * then `init = …`), which freezing breaks. Newman shares them between the scripts of a run, changes
 * included. Here scripts get a library through a proxy of its exports that notes every property a
 * script sets, defines or deletes on it (`require('lodash').map = …`, `_.mixin({…})`, `tv4.error`)
 * and the property as it was: the change holds for the rest of that script run and is undone when it
 * ends (restoreLibraries, from finish), so the next script gets the library as it loaded. Changes
 * deeper down (`moment.fn.format = …`) are not undone. A script cannot freeze a library or change its
 * prototype.
 * @type {Map<string, object>}
 */
const libraryViews = new Map();
/** Properties of the libraries changed during the current script run, and how they were. */
const libraryChanges = [];
/** @param {object} target @param {PropertyKey} key */
function noteLibraryChange(target, key) {
  for (let i = 0; i < libraryChanges.length; i++) if (libraryChanges[i].target === target && libraryChanges[i].key === key) return;
  libraryChanges.push({ target, key, before: describeOwn(target, key) });
}
const libraryViewHandler = freeze({
  set(target, key, value, receiver) {
    noteLibraryChange(target, key);
    return Reflect.set(target, key, value, receiver === libraryViews.get(viewNames.get(target)) ? target : receiver);
  },
  defineProperty(target, key, descriptor) {
    noteLibraryChange(target, key);
    return Reflect.defineProperty(target, key, descriptor);
  },
  deleteProperty(target, key) {
    noteLibraryChange(target, key);
    return Reflect.deleteProperty(target, key);
  },
  preventExtensions: () => false,
  setPrototypeOf: () => false,
});
/** @type {Map<object, string>} */
const viewNames = new Map();
/** A bundled library as scripts get it (`require`, `pm.require`, `_`, `CryptoJS`, `tv4`, `cheerio`). */
function scriptRequire(name) {
  const exports = requireModule(name);
  if (exports === null || (typeof exports !== 'object' && typeof exports !== 'function') || !libraryModules.has(exports)) return exports;
  let view = libraryViews.get(name);
  if (view === undefined) {
    view = new Proxy(exports, libraryViewHandler);
    libraryViews.set(name, view);
    viewNames.set(exports, name);
  }
  return view;
}
/** Undoes the current run's changes to the libraries; false when one could not be undone (the next run then gets a fresh context). */
function restoreLibraries() {
  let restored = true;
  for (let i = libraryChanges.length - 1; i >= 0; i--) {
    const { target, key, before } = libraryChanges[i];
    try {
      if (before === undefined) {
        if (!Reflect.deleteProperty(target, key)) restored = false;
      } else if (!Reflect.defineProperty(target, key, before)) restored = false;
    } catch {
      restored = false;
    }
  }
  libraryChanges.length = 0;
  return restored;
}
/** The exports of the bundled libraries (not the frozen Node modules). */
const libraryModules = new Set();
function requireModule(name) {
  name = String(name);
  if (name.startsWith('node:') && HARDENED_MODULES.includes(name.slice(5))) name = name.slice(5);
  if (name === 'atob') return atob;
  if (name === 'btoa') return btoa;
  if (!moduleCache.has(name)) {
    // A library probing its own legacy global (lodash reads "_") while loading sees undefined.
    if (loadingModules.has(name)) return undefined;
    loadingModules.add(name);
    let exports;
    try {
      exports = host.loadLibrary(name);
    } finally {
      loadingModules.delete(name);
    }
    if (exports === undefined) {
      const error = /** @type {Error & { code?: string }} */ (
        new Error("Cannot find module '" + name + "' (available: " + AVAILABLE_MODULES.join(', ') + ')')
      );
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    if (HARDENED_MODULES.includes(name)) moduleCache.set(name, hardenModule(exports));
    else {
      moduleCache.set(name, exports);
      if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) libraryModules.add(exports);
    }
  }
  return moduleCache.get(name);
}
