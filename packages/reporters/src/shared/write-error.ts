import { ErrorCode, SortieError } from '@sortie/core';

/**
 * Converts a file-system error met while writing a report into a `SortieError`
 * (`SORTIE_USAGE`: the report path given cannot be written). Only the path and the system
 * error code are kept, never file contents.
 */
export function toWriteError(file: string, error: unknown): SortieError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'unknown error';
  return new SortieError(ErrorCode.USAGE, 'Cannot write report', `cannot write ${file} (${code})`, {
    hint: 'check that the report path is writable and its parent is a directory',
    cause: error,
  });
}
