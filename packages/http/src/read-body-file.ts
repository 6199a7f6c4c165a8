/**
 * Reading files referenced by request bodies.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';

/** Reads a body file (relative to `baseDir`); a missing or unreadable file is a FILE_NOT_FOUND SortieError naming the path. */
export async function readBodyFile(path: string, baseDir: string): Promise<Uint8Array> {
  const absolute = resolve(baseDir, path);
  try {
    return await readFile(absolute);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `body file "${path}" ${reason} (${absolute})`, {
      hint: 'paths in a body are relative to the scenario file',
      cause: error,
    });
  }
}
