import { resolve } from 'node:path';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';
import type { LoadedLibrary } from '@sortie/project';
import { createSandboxHolder } from './sandbox-holder.js';

export interface ScriptHostOptions {
  /** Script libraries by name, with the sources of the scripts the run uses. */
  libraries?: ReadonlyMap<string, LoadedLibrary>;
  /** The run's files by absolute path (a run plan's): script files are taken from here, not from disk. */
  files?: ReadonlyMap<string, Uint8Array>;
  /** Per-script time limit in ms (default 5000). */
  timeLimitMs?: number;
  /** Folder of the sandbox's bundled `require()` libraries (default: the sandbox package's). */
  librariesDir?: string;
  /** A script that keeps the thread busy stops at the process's SIGINT/SIGTERM (default false; SandboxOptions.watchProcessSignals). */
  watchProcessSignals?: boolean;
}

/** What scripts need for a run: the sandbox, the script libraries and a cache of script files. */
export function createScriptHost(options: ScriptHostOptions = {}) {
  const sandbox = createSandboxHolder({
    ...(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs }),
    ...(options.librariesDir === undefined ? {} : { librariesDir: options.librariesDir }),
    ...(options.watchProcessSignals === true ? { watchProcessSignals: true } : {}),
  });
  const files = new Map<string, Promise<string>>();
  const libraries: ReadonlyMap<string, LoadedLibrary> = options.libraries ?? new Map();
  return {
    sandbox,
    libraries,
    /** Source of a script file, relative to the scenario's folder; read once per run. */
    readFile(dir: string, file: string): Promise<string> {
      const path = resolve(dir, file);
      let text = files.get(path);
      if (text === undefined) {
        text = readScriptFile(path, options.files).catch((error: unknown) => {
          const reason = options.files === undefined ? `: ${fileReadReason(error)}` : '';
          throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Script not found', `cannot read script file ${file}${reason}`);
        });
        files.set(path, text);
      }
      return text;
    },
    dispose: () => sandbox.dispose(),
  };
}
export type ScriptHost = ReturnType<typeof createScriptHost>;

async function readScriptFile(path: string, planned: ReadonlyMap<string, Uint8Array> | undefined): Promise<string> {
  if (planned === undefined) return readRegularFile(path, 'utf8');
  const bytes = planned.get(path);
  if (bytes === undefined) throw new Error(`${path} is not in the run plan`);
  return Buffer.from(bytes).toString('utf8');
}
