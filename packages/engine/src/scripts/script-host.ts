import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { createSandboxHolder } from './sandbox-holder.js';
import { type LoadedLibrary, loadScriptLibraries } from './script-library.js';

export interface ScriptHostOptions {
  /** Script library folders or npm package names (the project's `scripts`). */
  libraries?: readonly string[];
  /** Where relative library folders and package names resolve from (the project folder; default cwd). */
  baseDir?: string;
  /** Per-script time limit in ms (default 5000). */
  timeLimitMs?: number;
}

/** What scripts need for a run: the sandbox, the script libraries and a cache of script files. */
export function createScriptHost(options: ScriptHostOptions = {}) {
  const sandbox = createSandboxHolder(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs });
  const files = new Map<string, Promise<string>>();
  let libraries: Promise<Map<string, LoadedLibrary>> | undefined;
  return {
    sandbox,
    libraries(): Promise<Map<string, LoadedLibrary>> {
      libraries ??= loadScriptLibraries(options.libraries ?? [], options.baseDir ?? process.cwd());
      return libraries;
    },
    /** Source of a script file, relative to the scenario's folder; read once per run. */
    readFile(dir: string, file: string): Promise<string> {
      const path = resolve(dir, file);
      let text = files.get(path);
      if (text === undefined) {
        text = readFile(path, 'utf8').catch(() => {
          throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Script not found', `cannot read script file ${file}`);
        });
        files.set(path, text);
      }
      return text;
    },
    dispose: () => sandbox.dispose(),
  };
}
export type ScriptHost = ReturnType<typeof createScriptHost>;
