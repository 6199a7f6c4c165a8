/**
 * Writes a report file in chunks: parent directories are created, text is buffered up to
 * 64 KiB per write, and the file appears under its final name only when complete (written to
 * a sibling `.partial` file, then renamed).
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
  #pending: string[] = [];
  #pendingLength = 0;

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

  /** Appends text, writing when enough is buffered. */
  async write(text: string): Promise<void> {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= FLUSH_BYTES) await this.#flush();
  }

  /** Appends raw bytes (already redacted UTF-8 text). */
  async writeBytes(chunk: Buffer): Promise<void> {
    await this.#flush();
    await this.#guard(() => this.#handle.write(chunk));
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
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingLength = 0;
    await this.#guard(() => this.#handle.write(text));
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
