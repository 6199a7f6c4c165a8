/** Finding the optional project file (`sortie.config.json`) upward from the working directory. */
import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/** File names of a project file, in the order they are looked for within one folder. */
export const PROJECT_FILE_NAMES = ['sortie.config.json', 'sortie.config.yaml', 'sortie.config.yml'] as const;

/**
 * Looks for a project file in `cwd`, then in each parent folder up to the root; the nearest wins
 * (and within one folder .json before .yaml before .yml).
 * @returns the path of the file relative to the process's working directory (absolute when that is
 *   shorter to read), or undefined when there is none.
 */
export async function findProjectFile(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of PROJECT_FILE_NAMES) {
      const candidate = join(dir, name);
      if (await isFile(candidate)) return toDisplayPath(candidate);
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A path as a user reads it: relative to the working directory unless it lies outside it. */
export function toDisplayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  if (shown === '') return '.';
  return shown.startsWith('..') ? resolve(path) : shown;
}

/** Whether `path` is an existing regular file (not a folder). */
export async function isFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() === true;
}
