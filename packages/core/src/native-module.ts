import { ErrorCode, SortieError } from './errors.js';

/** What a native add-on that is missing or was not built throws when it is loaded or first used. */
const LOAD_FAILURE =
  /Cannot find (module|package)|Could not locate the bindings file|was compiled against a different Node\.js version|invalid ELF header/;

/**
 * The error a user gets when an optional native module of the `sortie` package (better-sqlite3,
 * kerberos) is absent or was not built for this Node.js — npm skips an optional dependency it cannot
 * build — instead of a loader's stack trace. Undefined when `error` is not such a failure.
 */
export function nativeModuleUnavailable(
  error: unknown,
  module: string,
  feature: string,
  code: ErrorCode = ErrorCode.NOT_INSTALLED,
): SortieError | undefined {
  const failure = error as NodeJS.ErrnoException | undefined;
  const loadCode =
    failure?.code === 'MODULE_NOT_FOUND' || failure?.code === 'ERR_MODULE_NOT_FOUND' || failure?.code === 'ERR_DLOPEN_FAILED';
  if (!loadCode && !LOAD_FAILURE.test(failure?.message ?? '')) return undefined;
  return new SortieError(
    code,
    `${feature} unavailable`,
    `the native module ${module} is not installed or was not built for Node.js ${process.versions.node}`,
    {
      cause: error,
      hint: `it is an optional dependency of sortie, built by npm when a prebuilt binary or a C++ toolchain is at hand: install it where sortie is (npm i -g ${module}, or npm i ${module} in a project)`,
    },
  );
}
