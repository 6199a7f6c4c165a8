/** Writing the files a command makes (`sortie init`, `sortie import`): a path that cannot be written is a usage error naming it, not an internal error. */
import { type Stats, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ErrorCode, makeDirectory, SortieError } from '@sortie/core';

/**
 * Writes `content` to `path`, making its folder first; `shown` names it in the error.
 * @throws SortieError USAGE "Cannot write file" when the folder cannot be made or the file written
 *   (a file where a folder should be, a folder where the file should be, a read-only place, /proc).
 */
export async function writeOutputFile(path: string, content: string, shown: string): Promise<void> {
  try {
    await makeDirectory(dirname(path));
    await writeFile(path, content);
  } catch (error) {
    throw cannotWrite(shown, error);
  }
}

/** `path` (absolute) as messages name it: relative to `cwd` when inside it, else absolute. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** The error of a file that cannot be written: its name and the system's code (ENOTDIR, EISDIR, EACCES…). */
export function cannotWrite(shown: string, error: unknown): SortieError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new SortieError(ErrorCode.USAGE, 'Cannot write file', `cannot write ${shown} (${code})`, {
    cause: error,
    hint: 'check that the folder is writable and that no file stands where a folder should be',
  });
}

/**
 * Refuses, before a run starts, a file a flag would write after it (a report, an export) where it
 * cannot be: a folder of that name (`--report-html .`), or a file where one of its folders should be
 * (`--out-dir notes.txt`, `/dev/null/x.json`). Found only after the run, these lost its results.
 * @throws SortieError USAGE naming the flag and the path.
 */
export function refuseUnwritablePath(cwd: string, file: string, flag: string): void {
  const path = resolve(cwd, file);
  if (statIfAny(path)?.isDirectory() === true) {
    throw new SortieError(ErrorCode.USAGE, 'Usage error', `${flag} would write ${file}, which is a folder`, {
      hint: `give ${flag} the path of a file`,
    });
  }
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const stats = statIfAny(dir);
    if (stats?.isDirectory() === false) {
      throw new SortieError(ErrorCode.USAGE, 'Usage error', `${flag} would write ${file}, but ${displayPath(cwd, dir)} is not a folder`, {
        hint: 'give a path whose folders are folders (they are made when missing)',
      });
    }
    if (stats !== undefined || dirname(dir) === dir) return;
  }
}

/** The stats of `path`; undefined when there is nothing there to stat (ENOENT, ENOTDIR) or it cannot be (the write will say why). */
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
