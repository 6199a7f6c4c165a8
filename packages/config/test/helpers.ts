/** Shared paths and the golden-file comparison of the config tests. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const testDir = dirname(fileURLToPath(import.meta.url));
export const filesDir = join(testDir, 'files');
export const goldenDir = join(testDir, 'golden');

/** A fixture's path relative to the working directory, the way a user types it. */
export function userPath(...segments: string[]): string {
  return relative(process.cwd(), join(filesDir, ...segments));
}

/**
 * Compares `actual` with golden/<name>; the fixture directory prefix is replaced by `files/` so the
 * golden text does not depend on the working directory. UPDATE_GOLDEN=1 rewrites the file.
 */
export function expectGolden(name: string, actual: string): void {
  const prefix = relative(process.cwd(), filesDir);
  const normalised = `${actual.split(prefix).join('files')}\n`;
  const file = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, normalised);
  }
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run the tests with UPDATE_GOLDEN=1 and review it`);
  expect(normalised).toBe(readFileSync(file, 'utf8'));
}
