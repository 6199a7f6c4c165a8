// Bundles the `sortie` package: the CLI into runner/dist/sortie.cjs (one file read at cold start; heavy
// modules in lazy chunks, which sortie.mjs, the same entry as an ES module, splits off) and the library entry into runner/dist/index.mjs (sharing those chunks).
// With --types, also the library's declarations, bundled into runner/dist/index.d.ts (build-types.mjs).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build, transform } from 'esbuild';

const outdir = new URL('./dist', import.meta.url).pathname;
await rm(outdir, { recursive: true, force: true });

const pkg = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));
// The oldest Node.js the CLI starts on (src/node-version.ts): engines.node, as ">=x.y.z".
const minNode = /^>=\s*(\d+\.\d+\.\d+)$/.exec(pkg.engines?.node ?? '')?.[1];
if (minNode === undefined)
  throw new Error(`runner/build.mjs: package.json's engines.node must be ">=x.y.z", not ${JSON.stringify(pkg.engines?.node)}`);

// Three of undici's module-level requires are made lazy (the build fails if undici no longer has the
// lines, so an upgrade cannot silently load them eagerly again; runner/test/bundle-undici.test.ts
// checks what a run loads and that the header limit still follows Node's flag):
// - its Client loads its HTTP/2 half (client-h2.js, which loads node:http2 and its internals) when
//   the module is evaluated, in every run; only a TLS connection that negotiates h2 (ALPN, with
//   `http2: true`) uses it. Loaded on that first use instead: node:http2 was ~4 % of the CPU profile
//   of `sortie run` with one request (see BENCHMARKS.md, 2026-12-03 coldstart).
// - 33 of its modules load node:assert (~4.4 ms of CPU at start, with its error and colour modules:
//   BENCHMARKS.md, issue 18, session 11) and only ever call `assert(value)`, which does nothing for a
//   truthy value. Each gets a function that loads node:assert only for a falsy value, and throws
//   node's own AssertionError then. A module that uses a property (`assert.strictEqual`) fails the build.
// - node:http (10 modules, ~3 ms of a start, BENCHMARKS.md, issue 18, session 11): undici's Client
//   reads `http.maxHeaderSize` when its module loads and its util.js compares a stream's class with
//   `http.IncomingMessage`. The header size can differ from Node's default (16 KiB) only when the
//   process was started with --max-http-header-size (command line or NODE_OPTIONS), and only then is
//   node:http asked; a stream can be an IncomingMessage only when node:http was loaded by someone,
//   so it is asked only for a class of that name.
// (Tried and dropped: compiling llhttp in the background from the module's load; no gain measured.)
const EAGER_MAX_HEADER_SIZE = `const getDefaultNodeMaxHeaderSize = http &&
  http.maxHeaderSize &&
  Number.isInteger(http.maxHeaderSize) &&
  http.maxHeaderSize > 0
  ? () => http.maxHeaderSize
  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') }`;
const LAZY_MAX_HEADER_SIZE = `// Changed by runner/build.mjs (lazyUndiciModules): node:http only when its default can have changed.
const NODE_DEFAULT_MAX_HEADER_SIZE = 16384
const getDefaultNodeMaxHeaderSize = () => {
  const set = (process.env.NODE_OPTIONS ?? '').includes('max-http-header-size') || process.execArgv.some((arg) => arg.includes('max-http-header-size'))
  if (!set) return NODE_DEFAULT_MAX_HEADER_SIZE
  const http = require('node:http')
  if (Number.isInteger(http.maxHeaderSize) && http.maxHeaderSize > 0) return http.maxHeaderSize
  throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid')
}`;
const LAZY_INCOMING_MESSAGE = `// Changed by runner/build.mjs (lazyUndiciModules): node:http is asked only for a class named IncomingMessage.
const isIncomingMessage = (constructor) => typeof constructor === 'function' && constructor.name === 'IncomingMessage' && constructor === require('node:http').IncomingMessage
`;
const lazyUndiciModules = {
  name: 'lazy-undici-modules',
  setup(build) {
    const changed = (path, source, from, to) => {
      if (!source.includes(from)) {
        throw new Error(`${path}: expected "${from}"; undici changed, update lazyUndiciModules in runner/build.mjs`);
      }
      return source.replace(from, to);
    };
    build.onLoad({ filter: /[\\/]undici[\\/]lib[\\/].*\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      if (/[\\/]lib[\\/]dispatcher[\\/]client\.js$/.test(args.path)) {
        source = changed(
          args.path,
          source,
          "const connectH2 = require('./client-h2.js')",
          "const connectH2 = (client, socket) => require('./client-h2.js')(client, socket)",
        );
      }
      if (/[\\/]lib[\\/]dispatcher[\\/]client\.js$/.test(args.path)) {
        source = changed(args.path, source, "const http = require('node:http')\n", '');
        source = changed(args.path, source, EAGER_MAX_HEADER_SIZE, LAZY_MAX_HEADER_SIZE);
      }
      if (/[\\/]lib[\\/]core[\\/]util\.js$/.test(args.path)) {
        source = changed(args.path, source, "const { IncomingMessage } = require('node:http')\n", LAZY_INCOMING_MESSAGE);
        source = changed(
          args.path,
          source,
          'Object.getPrototypeOf(stream).constructor === IncomingMessage',
          'isIncomingMessage(Object.getPrototypeOf(stream).constructor)',
        );
      }
      const eagerAssert = "const assert = require('node:assert')";
      if (source.includes(eagerAssert)) {
        const used = source.match(/\bassert\s*\.\s*[A-Za-z_$]+/);
        if (used !== null)
          throw new Error(`${args.path}: uses ${used[0]}; lazyUndiciModules in runner/build.mjs only makes assert(value) lazy`);
        source = changed(
          args.path,
          source,
          eagerAssert,
          "const assert = (value, message) => { if (!value) require('node:assert')(value, message) }",
        );
      }
      return { contents: source, loader: 'js' };
    });
  },
};
const bundled = await build({
  metafile: true,
  entryPoints: {
    sortie: new URL('./src/main.ts', import.meta.url).pathname,
    index: new URL('./src/index.ts', import.meta.url).pathname,
  },
  outdir,
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
    // A native add-on (the SQLite driver and the server's history): found by its package at run time, so a dependency of the CLI.
    'better-sqlite3',
    // The curl parser loads tree-sitter's native add-on (prebuilt binaries) relative to its package.
    'curlconverter',
  ],
  plugins: [lazyUndiciModules],
  define: { __SORTIE_VERSION__: JSON.stringify(pkg.version), __SORTIE_MIN_NODE__: JSON.stringify(minNode) },
  banner: {
    js: "import { createRequire as __sortieCreateRequire } from 'node:module'; const require = __sortieCreateRequire(import.meta.url);",
  },
});

// Files the bundle reads at run time, next to it: QuickJS's WebAssembly module (loaded by the
// emscripten glue relative to the chunk that holds it) and the sandbox's bundled script libraries.
const sandboxRequire = createRequire(new URL('../packages/sandbox/package.json', import.meta.url));
const variant = dirname(
  createRequire(sandboxRequire.resolve('quickjs-emscripten')).resolve('@jitl/quickjs-wasmfile-release-sync/package.json'),
);
await mkdir(join(outdir, 'chunks'), { recursive: true });
await cp(join(variant, 'dist', 'emscripten-module.wasm'), join(outdir, 'chunks', 'emscripten-module.wasm'));
// The libraries go to dist/dist-libs: where @sortie/sandbox looks by default, `../dist-libs/` from the
// chunk that holds it (DEFAULT_LIBRARIES_DIR), so the library entry (index.mjs, which passes no folder)
// finds them as the CLI does. The build fails if that code left the chunks folder.
await cp(new URL('../packages/sandbox/dist-libs', import.meta.url).pathname, join(outdir, 'dist-libs'), { recursive: true });
{
  const librariesDir = 'new URL("../dist-libs/", import.meta.url)';
  const holders = Object.keys(bundled.metafile.outputs).filter(
    (path) => path.endsWith('.mjs') && readFileSync(path, 'utf8').includes(librariesDir),
  );
  if (holders.length !== 1 || !holders[0].includes('/chunks/')) {
    throw new Error(`runner/build.mjs: expected ${librariesDir} in one chunk of dist/chunks, found it in ${holders.join(', ') || 'none'}`);
  }
}

const cliChunk = Object.entries(bundled.metafile.outputs).find(
  ([path, output]) => path.includes('/chunks/') && output.entryPoint?.endsWith('src/cli.ts'),
);
if (cliChunk === undefined) throw new Error('runner/build.mjs: no chunk for src/cli.ts in the bundle');
const cli = cliChunk[0].replace(/^.*\/chunks\//, '').replace(/\.mjs$/, '');

// The executable (package.json's `bin`): main.ts again, as one CommonJS file. Node starts a CommonJS
// entry without its ES module loader, which an .mjs entry initialises first (its built-in modules:
// ~200 page faults of a one-request run, BENCHMARKS.md, issue 18, session 11); on Node 20 the CLI
// then loads the CommonJS copies below, so a run never starts that loader unless a package needs
// `import()`. Its one import of the CLI's chunk (main.ts's `import('./cli.js')`, the path taken where
// Node has its own compile cache) goes to the ES chunk; `import.meta.url` is the file's own URL.
// sortie.mjs (the ES entry above) stays: it is what splits the chunks, and runs the same way.
await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: join(outdir, 'sortie.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.url': '__sortieEntryUrl', __SORTIE_MIN_NODE__: JSON.stringify(minNode) },
  // Strict, as the ES module is ("use strict" must come before the banner's statement to count).
  banner: { js: '"use strict"; var __sortieEntryUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [
    {
      name: 'cli-chunk',
      setup(build) {
        build.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: `./chunks/${cli}.mjs`, external: true }));
      },
    },
  ],
});

// CommonJS copies of the chunks for the CLI's V8 code cache on Node 20 (src/code-cache.ts): the same
// modules, converted one by one, so the chunk graph and what loads lazily stay as they are. Static
// and relative dynamic imports become `require("./chunk.mjs")`, which the loader maps to the copy;
// `import.meta.url` stays the ES chunk's address (files next to it, such as QuickJS's .wasm); a
// dynamic import of a package or built-in module stays a real `import()` (ESM-only packages),
// through the loader's `__sortieDynamicImport`. The library entry (index.mjs) keeps the ES chunks.
{
  // esbuild escapes non-ASCII characters in the code it prints, not in the comments it keeps (class
  // members' doc comments): one such character made V8 hold the whole copy as two bytes a character.
  // They are escaped in comments too, when the minified code stays the same (only comments changed);
  // otherwise the copy keeps them (correct, only larger in memory).
  const asciiOnly = async (code) => {
    if (!/[^\u0000-\u007f]/.test(code)) return code;
    const escaped = code.replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const minified = async (text) => (await transform(text, { minify: true, legalComments: 'none', logLevel: 'error' })).code;
    return (await minified(code)) === (await minified(escaped)) ? escaped : code;
  };
  const chunksDir = join(outdir, 'chunks');
  const cjsDir = join(outdir, 'cjs');
  await mkdir(cjsDir, { recursive: true });
  const names = (await readdir(chunksDir)).filter((name) => name.endsWith('.mjs')).sort();
  // The build's identity names the cache folder: V8 checks a cache against its script's length only,
  // so every byte the loader compiles (the copies, and the loader itself in sortie.mjs and sortie.cjs) is hashed.
  const identity = createHash('sha256').update(await readFile(join(outdir, 'sortie.mjs')));
  // The library entry (dist/index.mjs) gets a copy too, `index.cjs`, its imports of `./chunks/x.mjs`
  // made `./x.mjs` as the chunks' own are (chunk names carry a hash: none is `index`).
  const sources = new Map(names.map((name) => [name, join(chunksDir, name)]));
  sources.set('index.mjs', join(outdir, 'index.mjs'));
  for (const [name, path] of sources) {
    const source = (await readFile(path, 'utf8')).replaceAll('"./chunks/', '"./');
    const marked = source.replace(/\bimport\("(?!\.)([^"]+)"\)/g, '__sortieDynamicImport("$1")');
    const { code } = await transform(marked, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minifySyntax: true,
      legalComments: 'none',
      define: { 'import.meta.url': '__sortieImportMetaUrl' },
      supported: { 'dynamic-import': false },
      logLevel: 'error',
      sourcefile: `chunks/${name.replace(/\.mjs$/, '.js')}`,
    });
    if (/\bimport\.meta\b/.test(code)) throw new Error(`chunks/${name}: import.meta left after converting to CommonJS`);
    // The loader passes no `module` or `exports`: code of an ES module that tests for them (bullmq's
    // `typeof module == "object"`, UMD wrappers) finds them undefined, as in the ES chunk. esbuild's one
    // export assignment (and its dead annotation) is given the loader's own name.
    const exported = code.match(/^module\.exports = __toCommonJS\(/gm)?.length ?? 0;
    if (exported !== 1) throw new Error(`chunks/${name}: expected one "module.exports = __toCommonJS(", found ${exported}`);
    const body = code
      .replace(/^module\.exports = __toCommonJS\(/m, '__sortieModule.exports = __toCommonJS(')
      .replace(/^0 && \(module\.exports = \{/m, '0 && (__sortieModule.exports = {');
    // Written as the function expression the loader compiles, so that it compiles the file's text as
    // read (a wrapper added at run time was one more copy of the text); strict, as ES modules are. No
    // line break in the head: line numbers are the copy's.
    const cjs = `(function (__sortieModule, require, __sortieImportMetaUrl, __sortieDynamicImport) {"use strict";${await asciiOnly(body)}\n})`;
    await writeFile(join(cjsDir, name.replace(/\.mjs$/, '.cjs')), cjs);
    identity.update(`\0${name}\0${cjs}`);
  }
  identity.update(`\0sortie.cjs\0${await readFile(join(outdir, 'sortie.cjs'))}`);
  const buildId = identity.digest('hex').slice(0, 16);
  await writeFile(join(cjsDir, 'manifest.json'), `${JSON.stringify({ build: buildId, cli })}\n`);
}

// The package ships each module once, as its CommonJS copy: the ES chunks, their entries (sortie.mjs,
// index.mjs) and the copies were 8.3 MB packed together, the copies alone are about half of that.
// The library entry loads the copies as the CLI does (src/library.ts, without a code cache):
// dist/index.cjs for `require('sortie')` (on every Node >= 20.18), and dist/index.mjs for `import`,
// which re-exports its names (Node finds no names in a CommonJS module that assigns module.exports
// at run time, so they are listed here, from the ES entry's exports).
{
  const libraryExports =
    bundled.metafile.outputs[Object.keys(bundled.metafile.outputs).find((path) => path.endsWith('dist/index.mjs'))]?.exports;
  if (libraryExports === undefined || libraryExports.length === 0)
    throw new Error('runner/build.mjs: no exports for dist/index.mjs in the bundle');
  await build({
    stdin: {
      // An import (a require() of the module would bundle all of @sortie/core, unshaken), then the
      // CommonJS module's exports: esbuild's notice about `module` in an ES module is expected.
      // `__dirname` is the folder of the bundle when a program's bundler took this file in, and is
      // not defined in an ES module bundle: loadLibrary then says to leave sortie out of the bundle.
      contents:
        "import { loadLibrary } from './src/library.ts';\nmodule.exports = loadLibrary(typeof __dirname === 'string' ? __dirname : '.');\n",
      resolveDir: new URL('.', import.meta.url).pathname,
      sourcefile: 'index.cjs',
      loader: 'js',
    },
    outfile: join(outdir, 'index.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: '"use strict";' },
    logOverride: { 'commonjs-variable-in-esm': 'silent' },
  });
  const names = [...libraryExports].sort();
  await writeFile(
    join(outdir, 'index.mjs'),
    [
      "import { existsSync } from 'node:fs';",
      "import { createRequire } from 'node:module';",
      '// A bundler that took this file into a program leaves the require to run from the bundle, where',
      '// index.cjs is not: said as loadLibrary says it (README, "Bundling a program that uses it").',
      "const entry = new URL('./index.cjs', import.meta.url);",
      'if (!existsSync(entry)) {',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated file's own template literal
      "  const error = new Error(`the sortie package lacks ${entry.pathname}: a bundler put sortie's library into the bundle, or the package is incomplete`);",
      "  throw Object.assign(error, { name: 'SortieError', code: 'SORTIE_NOT_INSTALLED', title: 'Incomplete installation', hint: `leave sortie out of the bundle (esbuild: --external:sortie; webpack: externals { sortie: 'commonjs sortie' }; rollup: external ['sortie']) and keep it installed in node_modules; otherwise install sortie again` });",
      '}',
      "const library = createRequire(import.meta.url)('./index.cjs');",
      `export const { ${names.join(', ')} } = library;`,
      '',
    ].join('\n'),
  );
  await rm(join(outdir, 'sortie.mjs'));
  for (const name of await readdir(join(outdir, 'chunks'))) {
    if (name.endsWith('.mjs')) await rm(join(outdir, 'chunks', name));
  }
}

if (process.argv.includes('--types')) await import('./build-types.mjs');
