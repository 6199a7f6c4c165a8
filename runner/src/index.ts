/**
 * The `sortie` package as a library: `import { loadPlan, run } from 'sortie'`. The same functions the
 * `sortie` command runs (see docs/api.md); bundled into dist/index.mjs with its types in dist/index.d.ts.
 */
export * from '@sortie/api';
