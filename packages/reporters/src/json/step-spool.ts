/**
 * A temporary file holding one scenario run's serialised steps, so a long run never keeps its
 * steps in memory. Writes are synchronous: events arrive synchronously, and a synchronous write
 * cannot pile up in a stream buffer.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Size of the chunks copied from a spool into the report. */
const COPY_CHUNK_BYTES = 64 * 1024;

export class StepSpool {
  readonly path: string;
  #fd: number | undefined;
  #count = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** How many entries were appended. */
  get count(): number {
    return this.#count;
  }

  /** Appends one entry; entries are separated by `,\n`. */
  append(text: string): void {
    if (this.#fd === undefined) this.#fd = openSync(this.path, 'w', 0o600);
    writeSync(this.#fd, this.#count === 0 ? text : `,\n${text}`);
    this.#count += 1;
  }

  /** Closes the file; appending afterwards is a bug. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Streams the spooled entries into `write`, in chunks. */
  async copyTo(write: (chunk: Buffer) => Promise<void>): Promise<void> {
    this.close();
    if (this.#count === 0) return;
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(COPY_CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        await write(Buffer.from(buffer.subarray(0, bytesRead)));
      }
    } finally {
      await handle.close();
    }
  }
}
