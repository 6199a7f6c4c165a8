/**
 * `require(name)` of the bundled libraries (ajv, atob, btoa, chai, cheerio, crypto-js,
 * csv-parse/sync, lodash, moment, tv4, uuid, xml2js). A library is evaluated once per sandbox, on
 * its first `require`, and cached in the guest. Anything else — `fs`, `child_process`, a path — is
 * "Cannot find module".
 */
import type { QuickJSContext } from 'quickjs-emscripten';
import type { HostFunctions } from './host-bridge.js';
import { BUILTIN_MODULES, BUNDLED_LIBRARIES, readLibrarySource } from './libraries.js';

/** Guest source: `requireModule(name)`. */
export const REQUIRE_SOURCE = `
const moduleCache = new Map();
const loadingModules = new Set();
const AVAILABLE_MODULES = ${JSON.stringify([...BUILTIN_MODULES, ...Object.keys(BUNDLED_LIBRARIES)].sort())};
function requireModule(name) {
  name = String(name);
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
    moduleCache.set(name, exports);
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
