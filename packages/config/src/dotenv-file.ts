/** Finding and reading the `.env` file of a run. */
import { join } from 'node:path';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';
import { parseDotenv } from './parse-dotenv.js';
import { isFile, toDisplayPath } from './project-file.js';
import { checkUtf8, checkUtf8Text } from './text-encoding.js';

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
    let bytes: Buffer;
    try {
      bytes = await readRegularFile(path);
    } catch (error) {
      throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${file}: ${fileReadReason(error)}`, {
        location: { file },
        cause: error,
      });
    }
    // PowerShell's `>` writes UTF-16, an editor may save Windows-1252: read as UTF-8 the first gives
    // names of garbage, the second changes a secret with an accented letter without a word.
    checkUtf8(bytes, file, 'Invalid .env file');
    checkUtf8Text(bytes, file, 'Invalid .env file', 'save it as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8 .env)');
    return { file, values: parseDotenv(bytes.toString('utf8'), file) };
  }
  return undefined;
}
