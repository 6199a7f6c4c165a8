import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BundleEntry } from './read-bundle.js';

/**
 * Writes checked bundle entries under `dir` (which must be new or empty). Only entries that
 * `readBundle` accepted reach here, so every path and link target stays inside `dir`.
 */
export async function writeBundle(entries: readonly BundleEntry[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Folders first, then files, links last: a link never redirects a later write.
  const order = { directory: 0, file: 1, symlink: 2 } as const;
  for (const entry of [...entries].sort((a, b) => order[a.type] - order[b.type])) {
    const target = join(dir, entry.path);
    if (entry.type === 'directory') {
      await mkdir(target, { recursive: true });
    } else if (entry.type === 'file') {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, entry.data, { flag: 'wx', mode: 0o600 });
    } else {
      await mkdir(dirname(target), { recursive: true });
      await symlink(entry.target, target);
    }
  }
}
