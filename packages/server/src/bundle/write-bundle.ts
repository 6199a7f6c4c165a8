import { symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeDirectory } from '@sortie/core';
import type { BundleEntry } from './read-bundle.js';

/**
 * Writes checked bundle entries under `dir` (which must be new or empty). Only entries that
 * `readBundle` accepted reach here, so every path and link target stays inside `dir`.
 */
export async function writeBundle(entries: readonly BundleEntry[], dir: string): Promise<void> {
  await makeDirectory(dir);
  // Folders first, then files, links last: a link never redirects a later write.
  const order = { directory: 0, file: 1, symlink: 2 } as const;
  for (const entry of [...entries].sort((a, b) => order[a.type] - order[b.type])) {
    const target = join(dir, entry.path);
    if (entry.type === 'directory') {
      await makeDirectory(target);
    } else if (entry.type === 'file') {
      await makeDirectory(dirname(target));
      await writeFile(target, entry.data, { flag: 'wx', mode: 0o600 });
    } else {
      await makeDirectory(dirname(target));
      await symlink(entry.target, target);
    }
  }
}
