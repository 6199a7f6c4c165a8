/** Finding and reading the `.env` file of a run. */
import { join } from 'node:path';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';
import { parseDotenv } from './parse-dotenv.js';
import { isFile, toDisplayPath } from './project-file.js';

export interface DotenvFile {
  /** The file, as shown in messages. */
  file: string;
  values: Record<string, string>;
}

/**
 * Reads the first `.env` found in `dirs` (in order: the project file's folder, then the working
 * directory); undefined when none of them has one.
 * @throws SortieError INVALID_INPUT at `file:line` for a malformed line (see {@link parseDotenv}).
 */
export async function loadDotenvFile(dirs: readonly string[]): Promise<DotenvFile | undefined> {
  for (const dir of new Set(dirs)) {
    const path = join(dir, '.env');
    if (!(await isFile(path))) continue;
    const file = toDisplayPath(path);
    let text: string;
    try {
      text = await readRegularFile(path, 'utf8');
    } catch (error) {
      throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${file}: ${fileReadReason(error)}`, {
        location: { file },
        cause: error,
      });
    }
    return { file, values: parseDotenv(text, file) };
  }
  return undefined;
}
