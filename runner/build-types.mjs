// The library's declarations in one file, runner/dist/index.d.ts. tsc writes the declarations of
// the workspace sources (runner/tsconfig.types.json, into dist-types/), then rollup-plugin-dts
// bundles what src/index.ts exports: the workspace packages' types are inlined (their code is
// bundled, they are not published), what stays an import is a declared dependency's or Node's.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const here = (path) => new URL(path, import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
await rm(here('./dist-types'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', here('./tsconfig.types.json')], { stdio: 'inherit' });

// `@sortie/<name>[/<subpath>]` → the declaration of the source file its package.json exports.
const workspace = /^@sortie\/([a-z-]+)(\/.+)?$/;
const declarationOf = (id) => {
  const match = workspace.exec(id);
  if (match === null) return null;
  const [, name, subpath = ''] = match;
  const { exports } = JSON.parse(readFileSync(here(`../packages/${name}/package.json`), 'utf8'));
  const source = exports[`.${subpath}`];
  if (typeof source !== 'string') throw new Error(`declarations: ${id} is not exported by packages/${name}`);
  return here(`./dist-types/packages/${name}/${source.replace(/^\.\//, '').replace(/\.ts$/, '.d.ts')}`);
};
// Other packages' types stay imports; after tree-shaking only Node's and Zod's may be left (the
// scenario types are inferred from the Zod schemas), so `zod` is a dependency of the package: its
// code is bundled, its types are read by a consumer's tsc.
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !workspace.test(id);
const allowedImports = (id) => id.startsWith('node:') || id === 'zod';
const bundle = await rollup({
  external,
  input: here('./dist-types/runner/src/index.d.ts'),
  plugins: [
    {
      name: 'sortie-workspace',
      resolveId: declarationOf,
    },
    dts(),
  ],
  onwarn: (warning) => {
    throw new Error(`declarations: ${warning.message}`);
  },
});
const { output } = await bundle.write({ file: here('./dist/index.d.ts'), format: 'es' });
const leftover = output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.imports : [])).filter((id) => !allowedImports(id));
if (leftover.length > 0) throw new Error(`declarations: dist/index.d.ts imports ${leftover.join(', ')} (not a dependency of the package)`);
await bundle.close();
// The same declarations for `require('sortie')` (package.json's `require` condition): a .d.ts of a
// `"type": "module"` package declares an ES module, which a CommonJS consumer's tsc (node16,
// nodenext) refuses to require.
await copyFile(here('./dist/index.d.ts'), here('./dist/index.d.cts'));
await rm(here('./dist-types'), { recursive: true, force: true });
