/** Writing the files a command makes (`sortie init`, `sortie import`): a path that cannot be written is a usage error naming it, not an internal error. */
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
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
