/**
 * Bundles the libraries that scripts may `require()` (the set Postman ships) into one
 * self-contained file each, `dist-libs/<name>.js`, that QuickJS evaluates lazily on the first
 * `require(name)`. Each file is a single expression-free IIFE that assigns `__sortieLib`.
 *
 * Run: `node packages/sandbox/scripts/bundle-libs.mjs [name…]` (the root `pnpm build` runs it too); names
 * limit the run to those libraries.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
const outDir = join(packageDir, 'dist-libs');
const require = createRequire(join(packageDir, 'package.json'));
const { build } = await import(require.resolve('esbuild'));

/** Libraries that use Node's global `Buffer` get the `buffer` package injected as that global. */
const NEEDS_BUFFER = new Set(['csv-parse/sync', 'xml2js', 'cheerio']);
const bufferShim = join(here, 'buffer-shim.mjs');

/** Library name as scripts require it → the CommonJS expression that produces its exports. */
const LIBRARIES = {
  chai: "require('chai')",
  lodash: "require('lodash')",
  'crypto-js': "require('crypto-js')",
  uuid: "require('uuid')",
  moment: "require('moment')",
  ajv: "require('ajv')",
  tv4: "require('tv4')",
  'csv-parse/sync': "require('csv-parse/sync')",
  cheerio: "require('cheerio')",
  xml2js: "require('xml2js')",
  // Node's `buffer` module (and the lazy global `Buffer`), from the `buffer` package.
  buffer: "require('buffer/')",
};

/**
 * The few Node built-ins a library imports, replaced by small QuickJS-safe versions (xml2js needs
 * an EventEmitter and setImmediate). Everything else Node-only stays unresolved and fails the build.
 */
const NODE_SHIMS = {
  events: `function EventEmitter() { this._events = {}; }
EventEmitter.prototype.on = EventEmitter.prototype.addListener = function (name, fn) {
  (this._events[name] = this._events[name] || []).push(fn); return this; };
EventEmitter.prototype.once = function (name, fn) {
  const self = this; function once() { self.removeListener(name, once); fn.apply(self, arguments); }
  return this.on(name, once); };
EventEmitter.prototype.removeListener = EventEmitter.prototype.off = function (name, fn) {
  const list = this._events[name]; if (list) this._events[name] = list.filter((f) => f !== fn); return this; };
EventEmitter.prototype.removeAllListeners = function (name) {
  if (name === undefined) this._events = {}; else delete this._events[name]; return this; };
EventEmitter.prototype.emit = function (name) {
  const list = this._events[name]; const args = Array.prototype.slice.call(arguments, 1);
  if (!list || list.length === 0) { if (name === 'error') throw args[0]; return false; }
  list.slice().forEach((fn) => fn.apply(this, args)); return true; };
EventEmitter.EventEmitter = EventEmitter;
module.exports = EventEmitter;`,
  timers: `module.exports = { setImmediate: function (fn) { const args = Array.prototype.slice.call(arguments, 1);
  return setTimeout(function () { fn.apply(null, args); }, 0); }, clearImmediate: function (id) { clearTimeout(id); } };`,
};

/** esbuild plugin resolving NODE_SHIMS. */
const nodeShims = {
  name: 'sortie-node-shims',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(${Object.keys(NODE_SHIMS).join('|')})$`) }, (args) => ({
      path: args.path.replace(/^node:/, ''),
      namespace: 'sortie-shim',
    }));
    b.onLoad({ filter: /.*/, namespace: 'sortie-shim' }, (args) => ({ contents: NODE_SHIMS[args.path], loader: 'js' }));
  },
};

await mkdir(outDir, { recursive: true });
let total = 0;
const failed = [];
const only = process.argv.slice(2);
for (const [name, expression] of Object.entries(LIBRARIES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = join(outDir, `${name.replace(/\//g, '-')}.js`);
  try {
    const result = await build({
      stdin: { contents: `module.exports = ${expression};`, resolveDir: packageDir, loader: 'js' },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: '__sortieLib',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [nodeShims],
      inject: NEEDS_BUFFER.has(name) ? [bufferShim] : [],
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    });
    const code = result.outputFiles[0].text;
    await writeFile(file, code);
    total += (await stat(file)).size;
    process.stdout.write(`${name}: ${(code.length / 1024).toFixed(1)} KiB\n`);
  } catch (error) {
    failed.push(name);
    process.stderr.write(`${name}: not bundled (${error.message.split('\n')[0]})\n`);
  }
}
process.stdout.write(`total: ${(total / 1024).toFixed(1)} KiB${failed.length ? `, missing: ${failed.join(', ')}` : ''}\n`);
if (failed.length > 0) process.exitCode = 1;
