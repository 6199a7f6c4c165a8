/**
 * Writes a report file in chunks: parent directories are created, text is buffered up to
 * 64 KiB per write, and the file appears under its final name only when complete (written to
 * a sibling `.partial` file, then renamed). Or, with a `take` function (FileReporterOptions.onReport),
 * the report is collected in memory and handed over whole when complete.
 */

import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileReporterOptions } from '../file-reporter-options.js';
import { toWriteError } from './write-error.js';

const FLUSH_BYTES = 64 * 1024;

export class ReportFile {
  readonly file: string;
  readonly #partial: string;
  /** The `.partial` file, or undefined for a report kept in memory. */
  readonly #handle: FileHandle | undefined;
  /** A report kept in memory: its flushed chunks, and who takes the whole report at `commit()`. */
  readonly #memory: { chunks: Buffer[]; take: (content: Buffer) => void } | undefined;
  /** Text and byte chunks not written yet. */
  #pending: Array<string | Buffer> = [];
  #pendingLength = 0;

  private constructor(file: string, partial: string, handle: FileHandle | undefined, take?: (content: Buffer) => void) {
    this.file = file;
    this.#partial = partial;
    this.#handle = handle;
    this.#memory = take === undefined ? undefined : { chunks: [], take };
  }

  /** A report kept in memory: `take` gets its bytes at `commit()`; nothing touches the disk. */
  static inMemory(file: string, take: (content: Buffer) => void): ReportFile {
    return new ReportFile(file, `${file}.partial`, undefined, take);
  }

  /** Creates the parent directories and opens the file for writing. */
  static async create(file: string): Promise<ReportFile> {
    const partial = `${file}.partial`;
    try {
      await mkdir(dirname(file), { recursive: true });
      return new ReportFile(file, partial, await open(partial, 'w'));
    } catch (error) {
      throw toWriteError(file, error);
    }
  }

  /** Appends text, writing when enough is buffered. */
  async write(text: string): Promise<void> {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= FLUSH_BYTES) await this.#flush();
  }

  /**
   * Appends raw bytes (already redacted UTF-8 text; the caller does not reuse the buffer). A small
   * chunk is buffered with the text: a report of 100,000 scenario runs made a write per run (two
   * with the text before it), and writing it took 15 s of a 38 s run (BENCHMARKS.md, 2026-12-03).
   */
  async writeBytes(chunk: Buffer): Promise<void> {
    if (chunk.length < FLUSH_BYTES) {
      this.#pending.push(chunk);
      this.#pendingLength += chunk.length;
      if (this.#pendingLength >= FLUSH_BYTES) await this.#flush();
      return;
    }
    await this.#flush();
    await this.#put(chunk);
  }

  /** Writes what is buffered, closes and moves the file to its final name. */
  async commit(): Promise<void> {
    await this.#flush();
    const memory = this.#memory;
    if (memory !== undefined) {
      memory.take(memory.chunks.length === 1 ? (memory.chunks[0] as Buffer) : Buffer.concat(memory.chunks));
      memory.chunks = [];
      return;
    }
    const handle = this.#handle as FileHandle;
    await this.#guard(async () => {
      await handle.close();
      await rename(this.#partial, this.file);
    });
  }

  /** Closes and removes the partial file (after an error); drops what a report in memory collected. */
  async abort(): Promise<void> {
    if (this.#memory !== undefined) {
      this.#memory.chunks = [];
      return;
    }
    await this.#handle?.close().catch(() => undefined);
    await rm(this.#partial, { force: true }).catch(() => undefined);
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingLength = 0;
    const data = pending.every((part) => typeof part === 'string')
      ? pending.join('')
      : Buffer.concat(pending.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
    await this.#put(data);
  }

  /** Writes a chunk to the file, or keeps it (as bytes) for a report in memory. */
  async #put(data: string | Buffer): Promise<void> {
    if (this.#memory !== undefined) {
      this.#memory.chunks.push(typeof data === 'string' ? Buffer.from(data) : data);
      return;
    }
    const handle = this.#handle as FileHandle;
    if (typeof data === 'string') await this.#guard(() => handle.write(data));
    else await this.#guard(() => handle.write(data));
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
