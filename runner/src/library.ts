/**
 * The library entry of the built package, dist/index.cjs (`require('sortie')`; dist/index.mjs, what
 * `import … from 'sortie'` loads, re-exports it): the CommonJS copy of src/index.ts's module and the
 * chunks it imports, loaded as the CLI loads its own (code-cache.ts), without a code cache. The
 * package ships each module once, in that form (build.mjs).
 */
import { createChunkLoader } from './code-cache.js';

/** The name build.mjs gives the copy of the library entry in dist/cjs. */
export const LIBRARY_CHUNK = 'index';

/** The exports of src/index.ts, from the build in `distDir`. */
export function loadLibrary(distDir: string): Record<string, unknown> {
  const chunks = createChunkLoader(distDir, {}, { cache: false });
  if (chunks === undefined) throw new Error(`sortie: ${distDir} has no cjs/manifest.json; the package is incomplete, install it again`);
  return chunks.loader.load(LIBRARY_CHUNK);
}
