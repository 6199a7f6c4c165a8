/**
 * Reading input files that must be regular files. A named pipe (FIFO) with no writer, a terminal or a
 * socket would block a read for ever, and /dev/zero never ends: such a path is refused before anything
 * opens it (stat first), with an error whose `code` is ENOTREGULAR and whose message says what it is.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Stats } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * The error a file that may not be read gets: `code` ENOTREGULAR (EISDIR for a folder) with a reason
 * such as "it is a named pipe (FIFO), not a file", or EOUTSIDE for a path outside the folder that
 * {@link readingOnlyUnder} confines reads to.
 */
export interface NotRegularFileError extends NodeJS.ErrnoException {
  code: 'ENOTREGULAR' | 'EISDIR' | 'EOUTSIDE';
}

/** The folder reads are confined to in this async context, and what to call it in an error. */
const confinement = new AsyncLocalStorage<{ root: string; name: string }>();

/**
 * Runs `load` with every {@link readRegularFile} and {@link assertRegularFile} under it (through every
 * await) confined to the folder `root`: a path outside it, by its name or through a symbolic link, is
 * refused with EOUTSIDE before the file is opened. The server loads an uploaded bundle this way, so an
 * include of `/var/log/huge.json` is never read, however the loader reaches it. `name` is what the
 * error calls the folder ("the bundle").
 */
export async function readingOnlyUnder<T>(root: string, name: string, load: () => Promise<T>): Promise<T> {
  const store = { root: await realpath(root), name };
  confinedLoads += 1;
  try {
    return await confinement.run(store, load);
  } finally {
    confinedLoads -= 1;
    // On Node 20 an AsyncLocalStorage in use keeps promise hooks on for the whole process, which
    // costs every later promise (a server's every request): it is disabled again once no load is
    // confined; `run` enables it for the next one.
    if (confinedLoads === 0) confinement.disable();
  }
}

/** How many {@link readingOnlyUnder} calls are running. */
let confinedLoads = 0;

function outsideError(path: string, name: string): NotRegularFileError {
  const error = new Error(`it is outside ${name}`) as NotRegularFileError;
  error.code = 'EOUTSIDE';
  error.path = path;
  return error;
}

const isWithin = (root: string, path: string) => {
  const rest = relative(root, path);
  return rest === '' || (!isAbsolute(rest) && rest !== '..' && !rest.startsWith('../'));
};

/** Throws EOUTSIDE when reads are confined and `path` is outside the folder: by name first, without touching it, then its real path. */
async function assertInsideConfinement(path: string): Promise<void> {
  const confined = confinement.getStore();
  if (confined === undefined) return;
  if (!isWithin(confined.root, resolve(path))) throw outsideError(path, confined.name);
  // A missing file is left to stat's own ENOENT: it is inside by name, so nothing outside is told.
  const real = await realpath(path).catch(() => undefined);
  if (real !== undefined && !isWithin(confined.root, real)) throw outsideError(path, confined.name);
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

/**
 * Throws a {@link NotRegularFileError} unless `path` (symbolic links followed) is a regular file (and,
 * under {@link readingOnlyUnder}, inside its folder); Node's own error (ENOENT, ELOOP, …) when it cannot
 * be looked at.
 */
export async function assertRegularFile(path: string): Promise<void> {
  await assertInsideConfinement(path);
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
  if (code === 'ENOTREGULAR' || code === 'EOUTSIDE') return (error as Error).message;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  if (code === 'ENAMETOOLONG') return 'the name is too long';
  return 'it cannot be read';
}
