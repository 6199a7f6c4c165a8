/**
 * Reading input files that must be regular files. A named pipe (FIFO) with no writer, a terminal or a
 * socket would block a read for ever, and /dev/zero never ends: such a path is refused before anything
 * opens it (stat first), with an error whose `code` is ENOTREGULAR and whose message says what it is.
 */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** The error a non-regular file gets: `code` ENOTREGULAR (EISDIR for a folder), the message a reason such as "it is a named pipe (FIFO), not a file". */
export interface NotRegularFileError extends NodeJS.ErrnoException {
  code: 'ENOTREGULAR' | 'EISDIR';
}

/** What a path that is not a regular file is ("a directory", "a named pipe (FIFO)", …); undefined for a regular file. */
export function describeNonRegularFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Throws a {@link NotRegularFileError} unless `path` (symbolic links followed) is a regular file; Node's own error (ENOENT, ELOOP, …) when it cannot be looked at. */
export async function assertRegularFile(path: string): Promise<void> {
  const kind = describeNonRegularFile(await stat(path));
  if (kind === undefined) return;
  // A pipe (`/dev/stdin`, `<(…)`) or a device is read into a file first: `cmd > scenario.json`.
  const message =
    kind === 'a directory'
      ? 'it is a directory'
      : kind === 'a named pipe (FIFO)' || kind === 'a character device'
        ? `it is ${kind}, not a file (save what it gives to a file first)`
        : `it is ${kind}, not a file`;
  const error = new Error(message) as NotRegularFileError;
  error.code = kind === 'a directory' ? 'EISDIR' : 'ENOTREGULAR';
  error.path = path;
  throw error;
}

/** readFile, for regular files only (see {@link assertRegularFile}). */
export async function readRegularFile(path: string): Promise<Buffer>;
export async function readRegularFile(path: string, encoding: 'utf8'): Promise<string>;
export async function readRegularFile(path: string, encoding?: 'utf8'): Promise<Buffer | string> {
  await assertRegularFile(path);
  return encoding === undefined ? readFile(path) : readFile(path, encoding);
}

/** Why a file could not be read, in a few words, from the error of {@link readRegularFile} or readFile. */
export function fileReadReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTREGULAR') return (error as Error).message;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  if (code === 'ENAMETOOLONG') return 'the name is too long';
  return 'it cannot be read';
}
