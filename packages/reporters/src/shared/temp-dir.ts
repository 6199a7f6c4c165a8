/** A private temporary directory for a reporter's spool files, created on first use. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TempDir {
  readonly #prefix: string;
  #dir: string | undefined;
  #count = 0;

  /** `prefix` names the directory under the system temp directory, e.g. `sortie-json-`. */
  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** Returns the path of a new file in the directory (creating the directory the first time). */
  nextPath(): string {
    this.#dir ??= mkdtempSync(join(tmpdir(), this.#prefix));
    this.#count += 1;
    return join(this.#dir, `${this.#count}.spool`);
  }

  /** Removes the directory and everything in it; a later `nextPath` creates a new one. */
  remove(): void {
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }
}
