/**
 * `require(name)` of the bundled libraries (ajv, atob, btoa, chai, cheerio, crypto-js,
 * csv-parse/sync, lodash, moment, tv4, uuid, xml2js) and of the Node modules `assert`, `buffer`,
 * `events`, `path`, `punycode`, `querystring`, `stream`, `string_decoder`, `timers`, `url` and
 * `util` (also as `node:<name>`). A module is evaluated once per sandbox, on its first `require`,
 * and cached in the guest; the Node modules are then frozen like the intrinsics (see
 * intrinsics-guard.ts), so one script cannot change them for the next. Anything else — `fs`,
 * `child_process`, a path — is "Cannot find module".
 */
import type { QuickJSContext } from 'quickjs-emscripten';
import type { HostFunctions } from './host-bridge.js';
import { BUILTIN_MODULES, BUNDLED_LIBRARIES, HARDENED_MODULES, readLibrarySource } from './libraries.js';

/** Guest source: `requireModule(name)`. */
export const REQUIRE_SOURCE = `
const moduleCache = new Map();
const loadingModules = new Set();
const AVAILABLE_MODULES = ${JSON.stringify([...BUILTIN_MODULES, ...Object.keys(BUNDLED_LIBRARIES)].sort())};
const HARDENED_MODULES = ${JSON.stringify(HARDENED_MODULES)};
/**
 * Freezes a module's exports, the objects and functions reachable through their data properties, and
 * their prototypes. Every data property of a class prototype stays assignable on instances and
 * subclass prototypes (see allowOverride): Node code sets \`this._events\`, \`this._write = options.write\`
 * or \`Sub.prototype._transform = …\` over the inherited ones.
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
      const error = new Error("Cannot find module '" + name + "' (available: " + AVAILABLE_MODULES.join(', ') + ')');
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    moduleCache.set(name, HARDENED_MODULES.includes(name) ? hardenModule(exports) : exports);
  }
  return moduleCache.get(name);
}
`;

/** Host side: evaluates a library bundle in the context and hands its exports to the guest. */
export function createRequireHostFunctions(vm: QuickJSContext, librariesDir: string | undefined): HostFunctions {
  return {
    loadLibrary: (name) => {
      const source = readLibrarySource(String(name), librariesDir);
      if (source === undefined) return undefined;
      const result = vm.evalCode(source, `sortie:lib/${String(name)}`);
      if (result.error) {
        const error = vm.dump(result.error) as { message?: string } | undefined;
        result.error.dispose();
        throw new Error(`could not load "${String(name)}": ${error?.message ?? String(error)}`);
      }
      return result.value;
    },
  };
}
