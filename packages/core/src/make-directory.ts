/**
 * `mkdir -p` that cannot spin. Node's own `mkdir(path, { recursive: true })` (sync and async, 20.x)
 * loops for ever at 100 % CPU when mkdir answers ENOENT under a parent that exists, as everywhere
 * in /proc: `sortie run --out-dir /proc/x` never ended, and `SORTIE_CODE_CACHE=/proc/x` hung every
 * start. These try each missing folder once, from the deepest existing one down, and fail with the
 * system's error otherwise.
 */
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** Makes `path` and the folders above it that are missing (`mode` for each one made). */
export async function makeDirectory(path: string, mode?: number): Promise<void> {
  const options = mode === undefined ? undefined : { mode };
  try {
    await mkdir(path, options);
    return;
  } catch (error) {
    if (code(error) === 'EEXIST' && (await stat(path)).isDirectory()) return;
    const parent = dirname(path);
    if (code(error) !== 'ENOENT' || parent === path) throw error;
    await makeDirectory(parent, mode);
  }
  try {
    await mkdir(path, options);
  } catch (error) {
    // Made meanwhile by another process: as good.
    if (code(error) !== 'EEXIST' || !(await stat(path)).isDirectory()) throw error;
  }
}

/** {@link makeDirectory}, synchronously. */
export function makeDirectorySync(path: string, mode?: number): void {
  const options = mode === undefined ? undefined : { mode };
  try {
    mkdirSync(path, options);
    return;
  } catch (error) {
    if (code(error) === 'EEXIST' && statSync(path).isDirectory()) return;
    const parent = dirname(path);
    if (code(error) !== 'ENOENT' || parent === path) throw error;
    makeDirectorySync(parent, mode);
  }
  try {
    mkdirSync(path, options);
  } catch (error) {
    if (code(error) !== 'EEXIST' || !statSync(path).isDirectory()) throw error;
  }
}
