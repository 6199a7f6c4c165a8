// Bundles the CLI into runner/dist/sortie.mjs (one file read at cold start; heavy modules in lazy chunks).
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: { sortie: new URL('./src/main.ts', import.meta.url).pathname },
  outdir: new URL('./dist', import.meta.url).pathname,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Optional native add-ons that drivers require() only when configured for them (Kerberos, client-side
  // encryption, compression, pg-native): never bundled, loaded from node_modules if a user installs them.
  external: [
    'kerberos',
    'mongodb-client-encryption',
    '@mongodb-js/zstd',
    'snappy',
    'socks',
    'gcp-metadata',
    '@aws-sdk/credential-providers',
    'pg-native',
    'cloudflare:sockets',
  ],
  define: { __SORTIE_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __sortieCreateRequire } from 'node:module'; const require = __sortieCreateRequire(import.meta.url);",
  },
});
