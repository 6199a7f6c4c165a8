/**
 * Golden files: user-visible output (CLI text, reports, error messages) compared byte for byte with a file kept in
 * git. A missing golden file is a failure, never a silent write: a new test or a mistyped name must not pass on its
 * first run. `UPDATE_GOLDEN=1` writes (or rewrites) the files; review the diff before committing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';

/** Whether this run (re)writes golden files: `UPDATE_GOLDEN=1`. */
export function isUpdatingGolden(): boolean {
  return process.env.UPDATE_GOLDEN === '1';
}

/**
 * Compares `actual` with the golden file `file` (an absolute path). With `UPDATE_GOLDEN=1` it writes the file
 * instead; otherwise a missing file throws, with or without `CI`.
 */
export function expectGolden(file: string, actual: string): void {
  if (isUpdatingGolden()) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${relative(process.cwd(), file)} is missing: run the test with UPDATE_GOLDEN=1 and review the new file`);
  }
  expect(actual, `differs from ${relative(process.cwd(), file)} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

/** `expectGolden` for files under one folder: `goldenIn(dir)('cli/ok.out', text)`. */
export function goldenIn(dir: string): (name: string, actual: string) => void {
  return (name, actual) => expectGolden(join(dir, name), actual);
}
