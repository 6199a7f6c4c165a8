/**
 * A data file (`-d`) read again as the run goes, instead of held in memory: the rows of a run are
 * read in windows of {@link WINDOW_BYTES} (one open, fstat, pread and close per window, about 2,000
 * rows of the benchmark's `{ n, user }`), so a run holds one window and not the file (3.2 MB for
 * 100,000 such rows; BENCHMARKS.md, issue 17, branch rows6).
 *
 * The file was checked once, when its rows were found; each window checks that it is still that file,
 * unchanged (device, inode, size, modification time), and a file changed, replaced or removed during
 * the run fails the run with an error that says so, rather than giving rows of other bytes.
 */
import { type BigIntStats, closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ErrorCode, fileReadReason, SortieError } from '@sortie/core';
import type { RowBytes } from './iteration-rows.js';

/** Bytes read at once (more when one row is longer). */
export const WINDOW_BYTES = 64 * 1024;

/** glibc's largest dynamic mmap threshold (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems). */
const MMAP_THRESHOLD_MAX = 32 * 1024 * 1024;

/**
 * A buffer for `size` bytes that are read, checked and dropped (the data file while its rows are
 * found). glibc serves a block of 128 KiB or more with its own mmap, and freeing one raises its mmap
 * threshold to the block's size (and the trim threshold to twice that) for the rest of the process,
 * up to 32 MiB: after a 3.2 MB file was dropped, every later allocation under 3.2 MB came from the
 * malloc heaps, whose free memory is then returned only past 6.4 MB, and the peak RSS of a
 * 100,000-row run was 4–7 MB higher (its threads' malloc arenas and the main heap; BENCHMARKS.md,
 * issue 17, branch rows6). A block over 32 MiB leaves the thresholds alone, and its pages past
 * `size` are never touched, so they cost address space, not memory.
 */
export function transientBuffer(size: number): Buffer {
  if (size < 128 * 1024 || size > MMAP_THRESHOLD_MAX) return Buffer.allocUnsafeSlow(size);
  return Buffer.allocUnsafeSlow(MMAP_THRESHOLD_MAX + 64 * 1024).subarray(0, size);
}

/**
 * Frees the memory of a buffer from {@link transientBuffer} now, detaching it (its length is 0
 * afterwards): a transferred ArrayBuffer goes with the message, and a message to a closed port is
 * dropped. Left to the garbage collector, the 3.2 MB of a 100,000-row file stayed resident until the
 * next full collection, which a busy run may not have before its end. (Node 20 has no
 * ArrayBuffer.prototype.transfer.)
 */
export function releaseNow(bytes: Buffer): void {
  const { port1, port2 } = new MessageChannel();
  port2.close();
  port1.postMessage(null, [bytes.buffer as ArrayBuffer]);
  port1.close();
}

/** What a file was when it was read: a later read checks it is the same file, unchanged. */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

export function fileIdentity(stats: BigIntStats): FileIdentity {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs };
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

/** The error of a data file that changed since it was read (`file` as the user named it). */
export function changedFileError(file: string): SortieError {
  return new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid iteration data',
    `${file} changed while the run was reading it (its size, modification time or inode is not what it was when the run started)`,
    {
      location: { file },
      hint: 'rows are read from the file as the run goes: leave it unchanged until the run ends, or pass a copy to -d',
    },
  );
}

/** The rows' bytes, read from the file at `path` (absolute; `file` names it in errors) as it was when `identity` was taken. */
export class RowFile implements RowBytes {
  readonly #path: string;
  readonly #file: string;
  readonly #identity: FileIdentity;
  readonly #size: number;
  #window: { data: Buffer; offset: number } | undefined;
  #buffer = Buffer.alloc(0);

  constructor(path: string, file: string, identity: FileIdentity) {
    this.#path = path;
    this.#file = file;
    this.#identity = identity;
    this.#size = Number(identity.size);
  }

  window(start: number, end: number): { data: Buffer; offset: number } {
    const held = this.#window;
    if (held !== undefined && start >= held.offset && end <= held.offset + held.data.length) return held;
    const length = Math.min(Math.max(WINDOW_BYTES, end - start), this.#size - start);
    // One buffer for every window (rows are parsed from it at once, nothing keeps it), grown for a longer row.
    if (this.#buffer.length < length) this.#buffer = Buffer.allocUnsafeSlow(Math.max(length, WINDOW_BYTES));
    this.#window = undefined;
    this.#read(start, this.#buffer.subarray(0, length));
    this.#window = { data: this.#buffer.subarray(0, length), offset: start };
    return this.#window;
  }

  /** The whole file, as it was read (what a plan that leaves this process carries). */
  readAll(): Buffer {
    const data = Buffer.allocUnsafe(this.#size);
    this.#read(0, data);
    return data;
  }

  /** Fills `data` with the bytes at `position`, from the file as it was. */
  #read(position: number, data: Buffer): void {
    let fd: number;
    try {
      fd = openSync(this.#path, 'r');
    } catch (error) {
      throw new SortieError(
        ErrorCode.FILE_NOT_FOUND,
        'File not found',
        `cannot read iteration data ${this.#file}: ${fileReadReason(error)}`,
        {
          location: { file: this.#file },
          cause: error,
        },
      );
    }
    try {
      if (!sameFile(fileIdentity(fstatSync(fd, { bigint: true })), this.#identity)) throw changedFileError(this.#file);
      for (let done = 0; done < data.length; ) {
        const read = readSync(fd, data, done, data.length - done, position + done);
        if (read === 0) throw changedFileError(this.#file);
        done += read;
      }
    } finally {
      closeSync(fd);
    }
  }
}
