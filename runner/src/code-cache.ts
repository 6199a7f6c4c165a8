/**
 * Starts the package's modules: the CLI's, with a V8 code cache (Node 20 has none for ES modules),
 * and the library's (dist/index.cjs, without one). The build writes a CommonJS copy of each bundle
 * chunk to dist/cjs/ and ships only those (build.mjs); this loader compiles them with
 * `vm.Script` and `cachedData`, so a start after the first skips most of V8's parsing and compiling
 * of the ~1.8 MB a run loads. At exit, the code of every chunk that had no usable cache (none yet,
 * or rejected by V8: another Node, other V8 flags) is serialised to the cache folder, one file per
 * chunk, written to a temporary name and renamed (concurrent runs never see half a file).
 *
 * The cache folder: `SORTIE_CODE_CACHE` (a folder, or `0`/`off` to disable), else the user's cache
 * folder (`$XDG_CACHE_HOME/sortie`, `~/.cache/sortie`, `~/Library/Caches/sortie` on macOS,
 * `%LOCALAPPDATA%\sortie\Cache` on Windows), else `<os temp>/sortie-<uid>`; inside it
 * `code-cache/<node version>-<arch>-<build id>` (a run that writes there removes the folders of other
 * builds that were not written to for a day). A folder that cannot be made, is not owned by the
 * user or that others can write to is not used (V8 does not defend against crafted cache data), and
 * nothing is ever reported: without a cache the chunks compile as they would without one.
 *
 * Every module loaded here is one instance, whatever loads it (static and dynamic imports between
 * chunks go through `load`); bare specifiers (built-in modules, external packages) go to Node.
 *
 * Each copy is read into one reused buffer and decoded once: every page of fresh memory a start
 * touches costs a page fault (~13 µs each on the bench's VM), and `readFileSync(file, 'utf8')` grows
 * its own buffer while reading, then the wrapper concatenated around the text was copied again when V8
 * flattened it: ~1,150 fewer faults per one-request run (see BENCHMARKS.md, issue 18, branch cold).
 */
import {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { ErrorCode, makeDirectorySync, SortieError } from '@sortie/core';

/** dist/cjs/manifest.json, written by build.mjs. */
interface Manifest {
  /** The build's identity: a hash of sortie.mjs and of every CommonJS chunk (build.mjs). */
  build: string;
  /** The CommonJS chunk that holds the CLI (cli.ts), without `.cjs`. */
  cli: string;
}

interface LoadedModule {
  exports: Record<string, unknown>;
}

/**
 * Files up to this size are read into one buffer, reused from file to file (only the pages a read
 * reaches are ever touched); a larger file gets its own, freed by the GC.
 */
const SCRATCH_BYTES = 1024 * 1024;
let scratch: Buffer | undefined;

/**
 * The bytes of `path` in a buffer that the next read reuses: valid until then, so decode or use them
 * at once (V8 reads cached data only while `new Script` compiles).
 */
function readTransient(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
    const buffer = size <= SCRATCH_BYTES ? scratch : Buffer.allocUnsafeSlow(size);
    let length = 0;
    while (length < size) {
      const read = readSync(fd, buffer, length, size - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of a chunk's copy. One that cannot be read means a broken installation (a file removed
 * from the package, an interrupted install): an error that says so and what to do, not a stack trace.
 */
function readChunk(file: string): string {
  try {
    return readTransient(file).toString('utf8');
  } catch (error) {
    throw incompleteInstallation(file, error);
  }
}

/** The error for a file of the package that is missing or unreadable. */
export function incompleteInstallation(file: string, cause?: unknown): SortieError {
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new SortieError(
    ErrorCode.NOT_INSTALLED,
    'Incomplete installation',
    `the sortie package lacks ${file}${reason === undefined || reason === 'ENOENT' ? '' : ` (${reason})`}`,
    {
      ...(cause === undefined ? {} : { cause }),
      hint: 'install sortie again (npm i sortie in a project, npm i -g sortie for the command); a bundler must leave sortie out of the bundle (see its README)',
    },
  );
}

/** The folders to try for the cache, in order; none when disabled. */
function cacheFolders(env: NodeJS.ProcessEnv): string[] {
  const setting = env.SORTIE_CODE_CACHE;
  if (setting !== undefined && /^(0|off|false|no)$/i.test(setting)) return [];
  if (setting !== undefined && setting !== '' && isAbsolute(setting)) return [setting];
  const folders: string[] = [];
  let home = '';
  try {
    home = homedir();
  } catch {
    // No home folder (a user without an entry in the password database): the temporary one only.
  }
  if (env.XDG_CACHE_HOME !== undefined && isAbsolute(env.XDG_CACHE_HOME)) folders.push(join(env.XDG_CACHE_HOME, 'sortie'));
  else if (process.platform === 'win32' && env.LOCALAPPDATA !== undefined && isAbsolute(env.LOCALAPPDATA)) {
    folders.push(join(env.LOCALAPPDATA, 'sortie', 'Cache'));
  } else if (process.platform === 'darwin' && home !== '') folders.push(join(home, 'Library', 'Caches', 'sortie'));
  else if (home !== '') folders.push(join(home, '.cache', 'sortie'));
  folders.push(join(tmpdir(), `sortie-${process.getuid?.() ?? 'user'}`));
  return folders;
}

/** Makes `folder` (owner-only) if needed; true when it is the user's own and nobody else can write to it. */
function usableFolder(folder: string): boolean {
  try {
    makeDirectorySync(folder, 0o700);
    const stat = statSync(folder);
    if (!stat.isDirectory()) return false;
    if (process.getuid === undefined) return true;
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Folders of other builds or Node versions are kept for a day after they were last written to. */
const KEEP_OTHER_BUILDS_MS = 24 * 60 * 60 * 1000;

/** Removes the cache folders of other builds (an upgrade, a rebuild) that were not written to for a day. */
function pruneOtherBuilds(parent: string, current: string): void {
  try {
    const now = Date.now();
    for (const name of readdirSync(parent)) {
      const path = join(parent, name);
      if (path === current) continue;
      try {
        if (now - statSync(path).mtimeMs > KEEP_OTHER_BUILDS_MS) rmSync(path, { recursive: true, force: true });
      } catch {
        // Gone already, or not ours to remove.
      }
    }
  } catch {
    // Nothing to prune.
  }
}

/** The suffixes of a chunk's cache: written by a run of scenarios, or by a process that ran none (see createChunkLoader). */
const WHOLE = '.bin';
const PARTIAL = '.partial.bin';

export interface ChunkLoader {
  /** The exports of a chunk of dist/cjs (its name without `.cjs`), loading it and what it imports. */
  load(name: string): Record<string, unknown>;
  /** The cache folder in use, if any. */
  readonly cacheFolder: string | undefined;
  /**
   * Says this process ran scenarios (`sortie run` to its end): the caches it writes hold the code of
   * a run, and replace those a process that did not run any left (`.partial.bin`).
   */
  markComplete(): void;
}

/** What `createChunkLoader` may do besides loading. */
export interface ChunkLoaderOptions {
  /**
   * Read and write the code cache (default true: the CLI). The library entry (dist/index.cjs) passes
   * false: a program that imports the package gets no files written for it at exit.
   */
  cache?: boolean;
}

/**
 * A loader for the CommonJS chunks of `distDir` (dist/cjs), or undefined when the build has none
 * (running from source).
 */
export function createChunkLoader(
  distDir: string,
  env: NodeJS.ProcessEnv,
  options: ChunkLoaderOptions = {},
): { loader: ChunkLoader; cli: string } | undefined {
  const cjsDir = join(distDir, 'cjs');
  const chunksDir = join(distDir, 'chunks');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cjsDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (typeof manifest.cli !== 'string' || typeof manifest.build !== 'string') return undefined;

  let folder: string | undefined;
  let parent: string | undefined;
  for (const candidate of options.cache === false ? [] : cacheFolders(env)) {
    const versioned = join(candidate, 'code-cache', `${process.version}-${process.arch}-${manifest.build}`);
    if (usableFolder(candidate) && usableFolder(versioned)) {
      folder = versioned;
      parent = join(candidate, 'code-cache');
      break;
    }
  }

  // Bare specifiers (node:*, external packages) resolve from chunksDir, where the ES chunks were built
  // (the package ships only these copies; chunksDir keeps the files they read next to them, as QuickJS's .wasm).
  const nodeRequire = createRequire(join(chunksDir, 'index.mjs'));
  const dynamicImport = (specifier: string): Promise<unknown> => import(specifier);
  const modules = new Map<string, LoadedModule>();
  /** The chunks whose cache this process may write: none, rejected, or partial (`loaded`: the file it read, if any). */
  const toSave: { name: string; script: Script; loaded: string | undefined; usable: boolean }[] = [];
  let complete = false;

  const load = (name: string): Record<string, unknown> => {
    const known = modules.get(name);
    if (known !== undefined) return known.exports;
    // The copy is a function expression (build.mjs writes the wrapper around the chunk's code).
    const file = join(cjsDir, `${name}.cjs`);
    const source = readChunk(file);
    const module: LoadedModule = { exports: {} };
    modules.set(name, module);
    let cachedData: Buffer | undefined;
    let loaded: string | undefined;
    if (folder !== undefined) {
      for (const suffix of [WHOLE, PARTIAL]) {
        try {
          cachedData = readTransient(join(folder, `${name}${suffix}`));
          loaded = suffix;
          break;
        } catch {
          // Not cached yet (as either).
        }
      }
    }
    const script = new Script(source, { filename: file, ...(cachedData !== undefined ? { cachedData } : {}) });
    const usable = cachedData !== undefined && script.cachedDataRejected !== true;
    if (folder !== undefined && (!usable || loaded === PARTIAL)) toSave.push({ name, script, loaded, usable });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    const url = pathToFileURL(join(chunksDir, `${name}.mjs`)).href;
    wrapper.call(undefined, module, require, url, dynamicImport);
    return module.exports;
  };
  const require = (specifier: string): unknown =>
    specifier.startsWith('./') ? load(specifier.slice(2).replace(/\.mjs$/, '')) : nodeRequire(specifier);

  if (folder !== undefined && parent !== undefined) {
    const target = folder;
    const siblings = parent;
    // At exit the functions the run compiled are in the scripts' code too, so the cache holds them.
    // A process that ran no scenario (`--version`, `validate`, a run stopped by a usage error) has not
    // compiled a run's functions: what it writes is partial, and the first whole run writes it again.
    // Once written from a process that did not run them, a chunk's cache lacked them for good, and each
    // start compiled them again (6-12 ms a one-request run; BENCHMARKS.md, session 14).
    process.once('exit', () => {
      const saving = toSave.filter(({ usable }) => complete || !usable);
      if (saving.length === 0) return;
      for (const { name, script, loaded } of saving) {
        const suffix = complete ? WHOLE : PARTIAL;
        const path = join(target, `${name}${suffix}`);
        const temporary = `${path}.${process.pid}.tmp`;
        try {
          writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
          renameSync(temporary, path);
          // The file it replaces under the other name (a partial one, or a whole one V8 rejected).
          if (loaded !== undefined && loaded !== suffix) rmSync(join(target, `${name}${loaded}`), { force: true });
        } catch {
          try {
            unlinkSync(temporary);
          } catch {
            // Nothing was written.
          }
        }
      }
      pruneOtherBuilds(siblings, target);
    });
  }
  const markComplete = () => {
    complete = true;
  };
  return { loader: { load, cacheFolder: folder, markComplete }, cli: manifest.cli };
}
