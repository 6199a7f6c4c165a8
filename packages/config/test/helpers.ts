/** Shared paths and the golden-file comparison of the config tests. */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectGolden as compareGolden } from '@sortie/testkit';

export const testDir = dirname(fileURLToPath(import.meta.url));
export const filesDir = join(testDir, 'files');
export const goldenDir = join(testDir, 'golden');

/** A fixture's path relative to the working directory, the way a user types it. */
export function userPath(...segments: string[]): string {
  return relative(process.cwd(), join(filesDir, ...segments));
}

/**
 * Compares `actual` with golden/<name> (the shared golden rule of @sortie/testkit: a missing file fails, UPDATE_GOLDEN=1
 * rewrites it); the fixture directory prefix is replaced by `files/` so the golden text does not depend on the
 * working directory.
 */
export function expectGolden(name: string, actual: string): void {
  const prefix = relative(process.cwd(), filesDir);
  compareGolden(join(goldenDir, name), `${actual.split(prefix).join('files')}\n`);
}
