/** Sortie's version: replaced at build time by esbuild's `define` (runner/build.mjs); the fallback is for running from source. */
declare const __SORTIE_VERSION__: string | undefined;
export const VERSION: string = typeof __SORTIE_VERSION__ === 'string' ? __SORTIE_VERSION__ : '0.0.0-dev';
