/**
 * The library entry of the built package, dist/index.cjs (`require('sortie')`; dist/index.mjs, what
 * `import … from 'sortie'` loads, re-exports it): the CommonJS copy of src/index.ts's module and the
 * chunks it imports, loaded as the CLI loads its own (code-cache.ts), without a code cache. The
 * package ships each module once, in that form (build.mjs).
 */
import { join } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { createChunkLoader } from './code-cache.js';

/** The name build.mjs gives the copy of the library entry in dist/cjs. */
export const LIBRARY_CHUNK = 'index';

/** The exports of src/index.ts, from the build in `distDir`. */
export function loadLibrary(distDir: string): Record<string, unknown> {
  const chunks = createChunkLoader(distDir, {}, { cache: false });
  if (chunks === undefined) throw libraryNotFound(join(distDir, 'cjs', 'manifest.json'));
  return chunks.loader.load(LIBRARY_CHUNK);
}

/**
 * The error for a library entry that does not find its files: the package was bundled into a
 * program (the entry then looks next to the bundle, where they are not) or is incomplete. The
 * package loads its own files at run time (its modules, QuickJS's .wasm, the sandbox's libraries):
 * a bundler leaves it out, to be loaded from node_modules (README, "Bundling a program that uses it").
 */
export function libraryNotFound(file: string, cause?: unknown): SortieError {
  return new SortieError(
    ErrorCode.NOT_INSTALLED,
    'Incomplete installation',
    `the sortie package lacks ${file}: a bundler put sortie's library into the bundle, or the package is incomplete`,
    {
      ...(cause === undefined ? {} : { cause }),
      hint: "leave sortie out of the bundle (esbuild: --external:sortie; webpack: externals { sortie: 'commonjs sortie' }; rollup: external ['sortie']) and keep it installed in node_modules; otherwise install sortie again",
    },
  );
}
