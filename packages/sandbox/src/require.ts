/**
 * `require(name)` of the bundled libraries (ajv, atob, btoa, chai, cheerio, crypto-js,
 * csv-parse/sync, lodash, moment, tv4, uuid, xml2js) and of the Node modules `assert`, `buffer`,
 * `events`, `path`, `punycode`, `querystring`, `stream`, `string_decoder`, `timers`, `url` and
 * `util` (also as `node:<name>`). A module is evaluated once per sandbox, on its first `require`,
 * and cached in the guest; the Node modules are then frozen like the intrinsics (see
 * guest/kernel/intrinsics-guard.js), so one script cannot change them for the next; a script's changes
 * to a bundled library's exports are undone when it ends (guest/kernel/require.js). Anything else — `fs`,
 * `child_process`, a path — is "Cannot find module".
 */
import { ErrorCode, isSortieError, type SortieError } from '@sortie/core';
import type { QuickJSContext } from 'quickjs-emscripten';
import type { HostFunctions } from './host-bridge.js';
import { readLibrarySource } from './libraries.js';

/**
 * Host side: evaluates a library bundle in the context and hands its exports to the guest. `untimed` runs the
 * evaluation outside the script's time limit (a bundle such as chai takes tens of milliseconds to load, on the
 * first `pm.expect` too; Newman does not charge it to the script either). `unavailable` hears of a bundle the
 * installation lacks (`SORTIE_NOT_INSTALLED`) before the script does: a script may catch what `require` throws
 * (chai's does, in `pm.test`), and the run must still end as one the installation could not do (exit code 2).
 */
export function createRequireHostFunctions(
  vm: QuickJSContext,
  librariesDir: string | undefined,
  untimed: <T>(load: () => T) => T,
  unavailable: (error: SortieError) => void,
): HostFunctions {
  return {
    loadLibrary: (name) => {
      let source: string | undefined;
      try {
        source = readLibrarySource(String(name), librariesDir);
      } catch (error) {
        if (isSortieError(error) && error.code === ErrorCode.NOT_INSTALLED) unavailable(error);
        throw error;
      }
      if (source === undefined) return undefined;
      const result = untimed(() => vm.evalCode(source, `sortie:lib/${String(name)}`));
      if (result.error) {
        const error = vm.dump(result.error) as { message?: string } | undefined;
        result.error.dispose();
        throw new Error(`could not load "${String(name)}": ${error?.message ?? String(error)}`);
      }
      return result.value;
    },
  };
}
