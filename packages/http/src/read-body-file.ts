/**
 * Reading files referenced by request bodies.
 */
import { resolve } from 'node:path';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';

/** Body files carried by a run plan, by absolute path (see `files` of RunOptions in @sortie/engine). */
export type BodyFiles = ReadonlyMap<string, Uint8Array>;

/**
 * Reads a body file (relative to `baseDir`): from `files` when the plan carries it (a run on an
 * agent, where the user's folder is not), else from disk. A missing or unreadable file is a
 * FILE_NOT_FOUND SortieError naming the path.
 */
export async function readBodyFile(path: string, baseDir: string, files?: BodyFiles): Promise<Uint8Array> {
  const absolute = resolve(baseDir, path);
  const carried = files?.get(absolute);
  if (carried !== undefined) return carried;
  try {
    return await readRegularFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read: ${fileReadReason(error)}`;
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `${BODY_FILE}"${path}" ${reason} (${absolute})`, {
      hint: 'paths in a body are relative to the scenario file',
      cause: error,
    });
  }
}

const BODY_FILE = 'body file ';

/** The path (as the request wrote it, rendered) of the body file an error of {@link readBodyFile} names, else undefined. */
export function unreadBodyFile(error: { code: string; message: string }): string | undefined {
  if (error.code !== ErrorCode.FILE_NOT_FOUND || !error.message.startsWith(`${BODY_FILE}"`)) return undefined;
  const start = BODY_FILE.length + 1;
  const end = error.message.indexOf('" ', start);
  return end === -1 ? undefined : error.message.slice(start, end);
}
