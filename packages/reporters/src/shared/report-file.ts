/**
 * Writes a report file in chunks: parent directories are created, text and bytes are copied into one
 * reused 64 KiB buffer that is written when full, and the file appears under its final name only
 * when complete (written to a sibling `.partial` file, then renamed). Or, with a `take` function
 * (FileReporterOptions.onReport), the report is collected in memory and handed over whole when complete.
 */

import type { FileHandle } from 'node:fs/promises';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectory } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import { toWriteError } from './write-error.js';

const FLUSH_BYTES = 64 * 1024;
/**
 * A report kept in memory starts with a buffer this large and doubles it (copied) up to FLUSH_BYTES:
 * a remote run's reports are a few KiB, and a 64 KiB buffer per report per run was allocated, left
 * mostly unused and copied from (BENCHMARKS.md, issue 13, session 10).
 */
const MEMORY_FIRST_BYTES = 8 * 1024;

export class ReportFile {
  readonly file: string;
  readonly #partial: string;
  /** The `.partial` file (the target itself when #inPlace), or undefined for a report kept in memory. */
  readonly #handle: FileHandle | undefined;
  /** Written straight into the target (a device or a pipe), with no `.partial` file to rename. */
  readonly #inPlace: boolean;
  /** A report kept in memory: its flushed chunks, and who takes the whole report at `commit()`. */
  readonly #memory: { chunks: Buffer[]; take: (content: Buffer) => void } | undefined;
  /**
   * Bytes not written yet: bytes 0..#used of one buffer, reused for the whole report. The first
   * version kept the text and byte chunks in a list and joined them per write: with 100,000 scenario
   * runs that was a Buffer per run (and a string conversion) as garbage while the report was written,
   * which raised the run's peak RSS at its very end (BENCHMARKS.md, 2026-12-04). A report kept in
   * memory starts with a smaller one (see MEMORY_FIRST_BYTES).
   */
  #buffer: Buffer;
  #used = 0;

  private constructor(file: string, partial: string, handle: FileHandle | undefined, take?: (content: Buffer) => void, inPlace = false) {
    this.file = file;
    this.#partial = partial;
    this.#handle = handle;
    this.#inPlace = inPlace;
    this.#memory = take === undefined ? undefined : { chunks: [], take };
    this.#buffer = Buffer.allocUnsafe(take === undefined ? FLUSH_BYTES : MEMORY_FIRST_BYTES);
  }

  /** A report kept in memory: `take` gets its bytes at `commit()`; nothing touches the disk. */
  static inMemory(file: string, take: (content: Buffer) => void): ReportFile {
    return new ReportFile(file, `${file}.partial`, undefined, take);
  }

  /**
   * Creates the parent directories and opens the file for writing. A target that is a device or a
   * pipe (`/dev/null`, `/dev/stdout`) is written in place: renaming a file onto it would replace it
   * (run as root, `--report-junit /dev/null` replaced /dev/null itself with a regular file).
   */
  static async create(file: string): Promise<ReportFile> {
    const partial = `${file}.partial`;
    try {
      await makeDirectory(dirname(file));
      const target = await stat(file).catch(() => undefined);
      if (target !== undefined && !target.isFile() && !target.isDirectory()) {
        return new ReportFile(file, file, await open(file, 'w'), undefined, true);
      }
      return new ReportFile(file, partial, await open(partial, 'w'));
    } catch (error) {
      throw toWriteError(file, error);
    }
  }

  /** Appends text, writing when the buffer is full. */
  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    let room = this.#buffer.length - this.#used;
    // A UTF-16 code unit is at most 3 UTF-8 bytes: most text fits without counting its bytes first.
    let bytes = text.length * 3 <= room ? 0 : Buffer.byteLength(text);
    if (bytes > room && this.#buffer.length < FLUSH_BYTES) {
      this.#grow(bytes);
      room = this.#buffer.length - this.#used;
      bytes = text.length * 3 <= room ? 0 : bytes;
    }
    if (bytes > room) {
      await this.#flush();
      if (bytes > FLUSH_BYTES) {
        await this.#writeAll(Buffer.from(text));
        return;
      }
    }
    this.#used += this.#buffer.write(text, this.#used);
  }

  /**
   * Appends raw bytes (already redacted UTF-8 text). They are copied (or written before this
   * resolves), so the caller may reuse the buffer afterwards.
   */
  async writeBytes(chunk: Uint8Array): Promise<void> {
    if (chunk.length > this.#buffer.length - this.#used && this.#buffer.length < FLUSH_BYTES) this.#grow(chunk.length);
    if (chunk.length > this.#buffer.length - this.#used) {
      await this.#flush();
      if (chunk.length > FLUSH_BYTES) {
        await this.#writeAll(chunk);
        return;
      }
    }
    this.#buffer.set(chunk, this.#used);
    this.#used += chunk.length;
  }

  /**
   * Makes the (in-memory report's) buffer larger, doubling it up to FLUSH_BYTES, for `bytes` more:
   * what does not fit then is flushed as before.
   */
  #grow(bytes: number): void {
    let length = this.#buffer.length * 2;
    while (length < FLUSH_BYTES && length - this.#used < bytes) length *= 2;
    const grown = Buffer.allocUnsafe(Math.min(length, FLUSH_BYTES));
    this.#buffer.copy(grown, 0, 0, this.#used);
    this.#buffer = grown;
  }

  /** Writes what is buffered, closes and moves the file to its final name. */
  async commit(): Promise<void> {
    const memory = this.#memory;
    if (memory !== undefined) {
      // A report that never filled the buffer is handed over as the buffer's bytes, without a copy:
      // nothing is written to it after commit.
      if (memory.chunks.length === 0) {
        const whole = this.#buffer.subarray(0, this.#used);
        this.#buffer = Buffer.alloc(0);
        this.#used = 0;
        memory.take(whole);
        return;
      }
      await this.#flush();
      memory.take(memory.chunks.length === 1 ? (memory.chunks[0] as Buffer) : Buffer.concat(memory.chunks));
      memory.chunks = [];
      return;
    }
    await this.#flush();
    const handle = this.#handle as FileHandle;
    await this.#guard(async () => {
      await handle.close();
      if (!this.#inPlace) await rename(this.#partial, this.file);
    });
  }

  /** Closes and removes the partial file (after an error); drops what a report in memory collected. */
  async abort(): Promise<void> {
    if (this.#memory !== undefined) {
      this.#memory.chunks = [];
      return;
    }
    await this.#handle?.close().catch(() => undefined);
    if (!this.#inPlace) await rm(this.#partial, { force: true }).catch(() => undefined);
  }

  async #flush(): Promise<void> {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0;
    await this.#writeAll(this.#buffer.subarray(0, used));
  }

  /** Writes all of `bytes` (a write may take part of them), or keeps a copy of them for a report in memory. */
  async #writeAll(bytes: Uint8Array): Promise<void> {
    if (this.#memory !== undefined) {
      this.#memory.chunks.push(Buffer.from(bytes));
      return;
    }
    const handle = this.#handle as FileHandle;
    await this.#guard(async () => {
      for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
    });
  }

  async #guard<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw toWriteError(this.file, error);
    }
  }
}

/**
 * Writes a whole report: `produce` appends to the file; on failure the partial file is removed.
 * With `onReport` (FileReporterOptions) the report stays in memory and `onReport` gets it whole.
 */
export async function writeReportFile(
  target: string | Pick<FileReporterOptions, 'file' | 'onReport'>,
  produce: (out: ReportFile) => Promise<void>,
): Promise<void> {
  const { file, onReport } = typeof target === 'string' ? { file: target, onReport: undefined } : target;
  const out = onReport === undefined ? await ReportFile.create(file) : ReportFile.inMemory(file, onReport);
  try {
    await produce(out);
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
}
