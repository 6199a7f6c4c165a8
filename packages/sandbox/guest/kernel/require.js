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
    moduleCache.set(name, HARDENED_MODULES.includes(name) ? hardenModule(exports) : exports);
  }
  return moduleCache.get(name);
}
