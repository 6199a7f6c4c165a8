/** `-e <name-or-file>`: turning an environment name into the file that defines it. */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { ErrorCode, SortieError, suggestClosest } from '@sortie/core';
import { isFile, toDisplayPath } from './project-file.js';

const ENVIRONMENT_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

export interface ResolveEnvironmentOptions {
  /** Folder names are looked up in: `<project dir>/<environments>` (default `<cwd>/environments`). */
  folder: string;
  /** Relative paths resolve against this folder (default the process's working directory). */
  cwd?: string;
}

/**
 * Finds the environment file for `-e`: the value is a path when such a file exists or when it ends
 * in .json, .yaml or .yml; otherwise it is a name, looked up as `<folder>/<name>.json|.yaml|.yml`.
 * @returns the path of the environment file (as given for a path; relative to the working directory for a name).
 * @throws SortieError USAGE for an unknown name, listing the environments of the folder.
 */
export async function resolveEnvironmentFile(nameOrFile: string, options: ResolveEnvironmentOptions): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const looksLikeFile = (ENVIRONMENT_EXTENSIONS as readonly string[]).includes(extname(nameOrFile).toLowerCase());
  if (looksLikeFile || (await isFile(resolve(cwd, nameOrFile)))) {
    return resolve(cwd) === process.cwd() ? nameOrFile : resolve(cwd, nameOrFile);
  }
  const folder = resolve(cwd, options.folder);
  for (const extension of ENVIRONMENT_EXTENSIONS) {
    const candidate = join(folder, `${nameOrFile}${extension}`);
    if (await isFile(candidate)) return toDisplayPath(candidate);
  }
  const known = await listEnvironments(folder);
  const where = toDisplayPath(folder);
  const wanted = 'an environment file (.json, .yaml or .yml)';
  if (await isFolder(resolve(cwd, nameOrFile))) {
    throw new SortieError(ErrorCode.USAGE, 'Unknown environment', `${nameOrFile} is a folder, not an environment`, {
      hint: `give ${wanted}, or the name of one in ${where}`,
    });
  }
  const closest = suggestClosest(nameOrFile, known);
  const found = `environments found: ${known.join(', ')}${closest === undefined ? '' : ` (did you mean "${closest}"?)`}`;
  const none = (await isFolder(folder))
    ? `${where} has no environment files (.json, .yaml, .yml)`
    : `there is no folder ${where}: give ${wanted}, or the name of one in that folder`;
  throw new SortieError(ErrorCode.USAGE, 'Unknown environment', `no environment "${nameOrFile}" in ${where}`, {
    hint: known.length > 0 ? found : none,
  });
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** The environment names of a folder (file names without extension), sorted; [] when it does not exist. */
export async function listEnvironments(folder: string): Promise<string[]> {
  const info = await stat(folder).catch(() => undefined);
  if (info?.isDirectory() !== true) return [];
  const names = new Set<string>();
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const extension = extname(entry.name).toLowerCase();
    if (entry.isFile() && !entry.name.startsWith('.') && (ENVIRONMENT_EXTENSIONS as readonly string[]).includes(extension)) {
      names.add(entry.name.slice(0, -extension.length));
    }
  }
  return [...names].sort();
}
