/** Replaced at build time by esbuild's `define`; the fallback is for running from source. */
declare const __SORTIE_VERSION__: string | undefined;
export const VERSION: string = typeof __SORTIE_VERSION__ === 'string' ? __SORTIE_VERSION__ : '0.0.0-dev';
