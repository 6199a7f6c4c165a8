/**
 * Writes a report file in chunks: parent directories are created, text and bytes are copied into one
 * reused 64 KiB buffer that is written when full, and the file appears under its final name only
 * when complete (written to a sibling `.partial` file, then renamed).
 */

import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { toWriteError } from './write-error.js';

const FLUSH_BYTES = 64 * 1024;

export class ReportFile {
  readonly file: string;
  readonly #partial: string;
  readonly #handle: FileHandle;
  /**
   * Bytes not written yet: bytes 0..#used of one buffer, reused for the whole report. The first
   * version kept the text and byte chunks in a list and joined them per write: with 100,000 scenario
   * runs that was a Buffer per run (and a string conversion) as garbage while the report was written,
   * which raised the run's peak RSS at its very end (BENCHMARKS.md, 2026-12-04).
   */
  readonly #buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  #used = 0;

  private constructor(file: string, partial: string, handle: FileHandle) {
    this.file = file;
    this.#partial = partial;
    this.#handle = handle;
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

  /** Appends text, writing when the buffer is full. */
  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    const room = FLUSH_BYTES - this.#used;
    // A UTF-16 code unit is at most 3 UTF-8 bytes: most text fits without counting its bytes first.
    const bytes = text.length * 3 <= room ? 0 : Buffer.byteLength(text);
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
    if (chunk.length > FLUSH_BYTES - this.#used) {
      await this.#flush();
      if (chunk.length > FLUSH_BYTES) {
        await this.#writeAll(chunk);
        return;
      }
    }
    this.#buffer.set(chunk, this.#used);
    this.#used += chunk.length;
  }

  /** Writes what is buffered, closes and moves the file to its final name. */
  async commit(): Promise<void> {
    await this.#flush();
    await this.#guard(async () => {
      await this.#handle.close();
      await rename(this.#partial, this.file);
    });
  }

  /** Closes and removes the partial file (after an error). */
  async abort(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
    await rm(this.#partial, { force: true }).catch(() => undefined);
  }

  async #flush(): Promise<void> {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0;
    await this.#writeAll(this.#buffer.subarray(0, used));
  }

  /** Writes all of `bytes` (a write may take part of them). */
  async #writeAll(bytes: Uint8Array): Promise<void> {
    await this.#guard(async () => {
      for (let done = 0; done < bytes.length; ) done += (await this.#handle.write(bytes, done, bytes.length - done)).bytesWritten;
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

/** Writes a whole report: `produce` appends to the file; on failure the partial file is removed. */
export async function writeReportFile(file: string, produce: (out: ReportFile) => Promise<void>): Promise<void> {
  const out = await ReportFile.create(file);
  try {
    await produce(out);
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
}
