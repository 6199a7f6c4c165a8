/**
 * Append-only text kept for a report until it can be written: the first 64 KiB stay in memory, the
 * rest goes to a temporary file, so a long run never holds response bodies in memory and a short
 * spool never costs a file. Once in a file, appended text is batched (up to 32 KiB) into one write:
 * a write per step was a system call per step. The batch is a buffer the text is copied into, not a
 * list of the strings: strings held until a batch filled lived through young-generation collections
 * and were promoted, and with 100,000 scenario runs that promoted garbage grew the old generation
 * by about 300 bytes a run between full collections (--trace-gc, BENCHMARKS.md 2026-12-03). Writes are synchronous: events arrive synchronously,
 * and a synchronous write cannot pile up in a stream buffer.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { TempDir } from './temp-dir.js';

/** Bytes kept in memory before a spool moves to a file. */
export const SPOOL_MEMORY_BYTES = 64 * 1024;

/** Text appended to a spilled spool is written to its file in batches of about this size. */
const WRITE_BATCH_BYTES = 32 * 1024;

/** Size of the chunks read back from a spool file. */
const CHUNK_BYTES = 64 * 1024;

export class Spool {
  readonly #temp: TempDir;
  #chunks: string[] = [];
  #memoryBytes = 0;
  #size = 0;
  #path: string | undefined;
  #fd: number | undefined;
  /** Bytes appended after the spill, not written to the file yet (see WRITE_BATCH_BYTES); made at the spill, dropped at seal. */
  #batch: Buffer | undefined;
  #batchBytes = 0;
  /**
   * Reading back (copyTo): the file stays open and one 64 KiB window of it is kept, so the many small
   * ranges of a shared log (one per scenario run, read in order) cost neither an open nor a Buffer
   * each. Bytes `#windowStart`.. of the file are `#window[0..#windowLength]`.
   */
  #readFd: number | undefined;
  #window: Buffer | undefined;
  #windowStart = 0;
  #windowLength = 0;

  constructor(temp: TempDir) {
    this.#temp = temp;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#size;
  }

  /** Whether the content is in a file (it outgrew the memory part). */
  get spilled(): boolean {
    return this.#path !== undefined;
  }

  /** Appends UTF-8 text. */
  write(text: string): void {
    if (text.length === 0) return;
    const bytes = Buffer.byteLength(text);
    this.#size += bytes;
    if (this.#path !== undefined) {
      this.#batch ??= Buffer.allocUnsafe(WRITE_BATCH_BYTES);
      if (this.#batchBytes + bytes > this.#batch.length) this.#flush();
      if (bytes > this.#batch.length) writeAll(this.#openForWrite(), Buffer.from(text));
      else this.#batchBytes += this.#batch.write(text, this.#batchBytes);
      return;
    }
    this.#chunks.push(text);
    this.#memoryBytes += bytes;
    if (this.#memoryBytes > SPOOL_MEMORY_BYTES) this.#spill();
  }

  /** Appends the whole content of another spool (which stays as it is). */
  append(other: Spool): void {
    if (other.size === 0) return;
    if (other.#path === undefined) {
      for (const chunk of other.#chunks) this.write(chunk);
      return;
    }
    // More than the memory part: this spool goes to a file too, and the bytes are copied chunk by chunk.
    if (this.#path === undefined) this.#spill();
    this.#flush();
    other.#flush();
    const fd = this.#openForWrite();
    other.#readChunks(0, other.size, (chunk) => {
      writeAll(fd, chunk);
      this.#size += chunk.length;
    });
  }

  /** Writes the pending text and closes the file (if any); reading still works, writing reopens it. */
  seal(): void {
    this.#flush();
    this.#batch = undefined;
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /**
   * Streams bytes `start` (default 0) to `end` (default all) into `write`, in chunks. A chunk may be
   * a view of a buffer the spool reuses: `write` must be done with it when its promise resolves.
   */
  async copyTo(write: (chunk: Buffer) => Promise<void>, start = 0, end = this.#size): Promise<void> {
    if (end <= start) return;
    this.#flush();
    if (this.#path === undefined) {
      await write(Buffer.from(this.#chunks.join('')).subarray(start, end));
      return;
    }
    for (let position = start; position < end; ) {
      if (position < this.#windowStart || position >= this.#windowStart + this.#windowLength) {
        if (!this.#fillWindow(position)) break;
      }
      const window = this.#window as Buffer;
      const from = position - this.#windowStart;
      const to = Math.min(this.#windowLength, end - this.#windowStart);
      await write(window.subarray(from, to));
      position += to - from;
    }
  }

  /** Drops the content and removes the file. */
  dispose(): void {
    this.#batchBytes = 0;
    this.seal();
    if (this.#readFd !== undefined) closeSync(this.#readFd);
    this.#readFd = undefined;
    this.#window = undefined;
    this.#windowLength = 0;
    if (this.#path !== undefined) rmSync(this.#path, { force: true });
    this.#path = undefined;
    this.#chunks = [];
    this.#memoryBytes = 0;
    this.#size = 0;
  }

  #spill(): void {
    this.#path = this.#temp.nextPath();
    this.#fd = openSync(this.#path, 'w', 0o600);
    const text = this.#chunks.join('');
    this.#chunks = [];
    this.#memoryBytes = 0;
    if (text.length > 0) writeSync(this.#fd, text);
  }

  /** Writes the text appended since the last batch to the file (the spool spilled). */
  #flush(): void {
    if (this.#batch === undefined || this.#batchBytes === 0) return;
    writeAll(this.#openForWrite(), this.#batch.subarray(0, this.#batchBytes));
    this.#batchBytes = 0;
  }

  /** The file descriptor to append with (the file exists: the spool spilled). */
  #openForWrite(): number {
    this.#fd ??= openSync(this.#path as string, 'a');
    return this.#fd;
  }

  /** Reads the file from `position` into the read window; false at the end of the file. */
  #fillWindow(position: number): boolean {
    this.#readFd ??= openSync(this.#path as string, 'r');
    this.#window ??= Buffer.allocUnsafe(CHUNK_BYTES);
    this.#windowStart = position;
    this.#windowLength = readSync(this.#readFd, this.#window, 0, this.#window.length, position);
    return this.#windowLength > 0;
  }

  /** Reads bytes `start`..`end` of the file, passing each chunk (a reused buffer) to `take`. */
  #readChunks(start: number, end: number, take: (chunk: Buffer) => void): void {
    const fd = openSync(this.#path as string, 'r');
    try {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - start));
      for (let position = start; position < end; ) {
        const read = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
        if (read === 0) break;
        take(buffer.subarray(0, read));
        position += read;
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** Writes all of `bytes` (writeSync may write part of them). */
function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
}
