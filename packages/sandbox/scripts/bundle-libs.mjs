/**
 * Bundles the libraries that scripts may `require()` (the set Postman ships) into one
 * self-contained file each, `dist-libs/<name>.js`, that QuickJS evaluates lazily on the first
 * `require(name)`. Each file is a single expression-free IIFE that assigns `__sortieLib`.
 *
 * Run: `node packages/sandbox/scripts/bundle-libs.mjs [name…]` after changing this file or a library version (the
 * bundles are committed: `pnpm build` copies them, it does not rebuild them); names
 * limit the run to those libraries.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
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
/** Libraries that use Node's global `process` get a small QuickJS-safe one (see process-shim.mjs). */
const NEEDS_PROCESS = new Set(['path', 'assert', 'stream']);
const processShim = join(here, 'process-shim.mjs');
/** Node modules keep their functions' names (`Buffer.name`, `EventEmitter.name`, assert's `operator`). */
const KEEP_NAMES = new Set(['buffer', 'path', 'assert', 'events', 'string_decoder', 'punycode', 'stream']);

/** Library name as scripts require it → the CommonJS expression that produces its exports. */
const LIBRARIES = {
  chai: "require('chai')",
  lodash: "require('lodash')",
  'crypto-js': "require('crypto-js')",
  // Postman's sandbox exports a function that returns a v4 UUID, with `v4` on it (postman-sandbox
  // vendor/uuid.js): `require('uuid')()` works there. The npm package's functions are on it too.
  uuid: `(function (lib) {
    var uuid = function uuid() { return lib.v4.apply(null, arguments); };
    Object.keys(lib).forEach(function (name) { uuid[name] = lib[name]; });
    return uuid;
  })(require('uuid'))`,
  moment: "require('moment')",
  ajv: "require('ajv')",
  tv4: "require('tv4')",
  'csv-parse/sync': "require('csv-parse/sync')",
  cheerio: "require('cheerio')",
  xml2js: "require('xml2js')",
  // Node modules, from their established browser ports. `buffer` is also the lazy global `Buffer`.
  buffer: "require('buffer/')",
  // Node's path on POSIX (`win32` is null); toNamespacedPath is the identity there.
  path: `(function (path) {
    path.toNamespacedPath = function toNamespacedPath(p) { return p; };
    return path;
  })(require('path-browserify'))`,
  assert: "require('assert/')",
  // Its accessor would let one script change the default for the next: a constant instead (see PATCHES).
  events: `(function (EventEmitter) {
    Object.defineProperty(EventEmitter, 'defaultMaxListeners', { value: EventEmitter.defaultMaxListeners, enumerable: true });
    return EventEmitter;
  })(require('events/'))`,
  string_decoder: "require('string_decoder/')",
  // The CommonJS build (the package's "module" entry has a different shape: a default export).
  punycode: "require('punycode/punycode.js')",
  // Node's stream module (the Stream class with Readable, Writable…). `promises` becomes a data
  // property so it is frozen with the rest; setDefaultHighWaterMark (process-wide state) is left out.
  stream: `(function (Stream) {
    Object.defineProperty(Stream, 'promises', { value: Stream.promises, enumerable: true });
    delete Stream.setDefaultHighWaterMark;
    return Stream;
  })(require('readable-stream/lib/stream.js'))`,
};

/**
 * Node built-ins a bundle imports that are Node modules of the sandbox too: the bundle takes them
 * from the guest's own `require` when it loads (one EventEmitter, one Buffer, one set of timers)
 * instead of carrying a copy. `safe-buffer` is `buffer` under another name. A `null` module is
 * empty: sax (inside xml2js) probes `require('stream')` in a try block for its SAXStream, which
 * xml2js does not use, and keeps finding nothing rather than loading streams with every parse. A
 * function gives the module's source from the path of the npm package it replaces.
 */
const FROM_GUEST = {
  xml2js: { events: 'events', timers: 'timers', stream: null },
  string_decoder: { 'safe-buffer': 'buffer' },
  stream: { events: 'events', buffer: 'buffer', string_decoder: 'string_decoder' },
  // The npm util with the guest's inspect: util 0.12's (Node 6's) shows a Set as `{}` and a Date
  // without its milliseconds, so assert reported "Values identical but not reference-equal".
  assert: {
    util: (npmPath) =>
      `module.exports = Object.assign({}, require(${JSON.stringify(npmPath)}), { inspect: globalThis.require('util').inspect });`,
  },
};

/**
 * Packages whose browser build does not fit QuickJS, mapped to a build that does. abort-controller's
 * browser build only re-exports `self.AbortController`, which QuickJS lacks (readable-stream falls back
 * to the package when there is no global one).
 */
const REPLACED_PACKAGES = { 'abort-controller': 'abort-controller/dist/abort-controller.js' };

/**
 * Source edits: package file (path suffix) → [text, replacement] pairs; the build fails when a text
 * is not found (the package changed).
 */
const PATCHES = {
  // Lets LIBRARIES.events replace the accessor (defined non-configurable) with a constant.
  'events/events.js': [
    [
      "Object.defineProperty(EventEmitter, 'defaultMaxListeners', {",
      "Object.defineProperty(EventEmitter, 'defaultMaxListeners', { configurable: true,",
    ],
  ],
  // Node's decoder is reset by end() (and may be reused); an unknown encoding is a TypeError with a code.
  'string_decoder/lib/string_decoder.js': [
    [
      "throw new Error('Unknown encoding: ' + enc);",
      "{ var error = new TypeError('Unknown encoding: ' + enc); error.code = 'ERR_UNKNOWN_ENCODING'; throw error; }",
    ],
    ["if (this.lastNeed) return r + '\\ufffd';", "if (this.lastNeed) { this.lastNeed = 0; return r + '\\ufffd'; }"],
    ['    var end = this.lastTotal - this.lastNeed;\n', '    var end = this.lastTotal - this.lastNeed;\n    this.lastNeed = 0;\n'],
    [
      "if (this.lastNeed) return r + this.lastChar.toString('base64', 0, 3 - this.lastNeed);",
      "if (this.lastNeed) { var rest = this.lastChar.toString('base64', 0, 3 - this.lastNeed); this.lastNeed = 0; return r + rest; }",
    ],
  ],
  // assert.throws / rejects with an error class, a RegExp or a validation function that the error
  // does not pass: Node 20 throws an AssertionError saying so; npm assert (Node 10's) rethrew the error.
  'assert/build/assert.js': [
    [
      `  return expected.call({}, actual) === true;
}`,
      `  validationResult = expected.call({}, actual);
  return validationResult === true;
}
var validationResult;
function unexpectedError(actual, expected, message, fn) {
  var generatedMessage = !message;
  if (generatedMessage) {
    if (isRegExp(expected)) {
      message = 'The input did not match the regular expression ' + inspect(expected) + '. Input:\\n\\n' + inspect(String(actual)) + '\\n';
    } else if (Error.isPrototypeOf(expected)) {
      message = 'The error is expected to be an instance of "' + expected.name + '". Received ';
      if (actual instanceof Error) {
        var name = (actual.constructor && actual.constructor.name) || actual.name;
        message += expected.name === name ? 'an error with identical name but a different prototype.' : '"' + name + '"';
        if (actual.message) message += '\\n\\nError message:\\n\\n' + actual.message;
      } else {
        message += '"' + inspect(actual, { depth: -1 }) + '"';
      }
    } else {
      message = 'The ' + (expected.name ? '"' + expected.name + '" ' : '') + 'validation function is expected to return "true". Received ' + inspect(validationResult);
      if (actual instanceof Error) message += '\\n\\nCaught error:\\n\\n' + actual;
    }
  }
  var error = new AssertionError({ actual: actual, expected: expected, message: message, operator: fn.name, stackStartFn: fn });
  error.generatedMessage = generatedMessage;
  return error;
}`,
    ],
    [
      `  if (error && !expectedException(actual, error, message, stackStartFn)) {
    throw actual;`,
      `  if (error && !expectedException(actual, error, message, stackStartFn)) {
    throw unexpectedError(actual, error, message, stackStartFn);`,
    ],
  ],
};

/** esbuild plugin: the library's FROM_GUEST modules, `process` from the shim, REPLACED_PACKAGES, PATCHES. */
function sandboxModules(name) {
  const guest = FROM_GUEST[name] ?? {};
  return {
    name: 'sortie-sandbox-modules',
    setup(b) {
      if (Object.keys(guest).length > 0) {
        b.onResolve({ filter: new RegExp(`^(node:)?(${Object.keys(guest).join('|')})/?$`) }, (args) => ({
          path: args.path.replace(/^node:|\/$/g, ''),
          namespace: 'sortie-guest',
          pluginData: { importer: args.importer, request: args.path },
        }));
        b.onLoad({ filter: /.*/, namespace: 'sortie-guest' }, (args) => {
          const module = guest[args.path];
          if (typeof module === 'function') {
            const npmPath = createRequire(args.pluginData.importer).resolve(args.pluginData.request.replace(/\/?$/, '/'));
            return { contents: module(npmPath), loader: 'js', resolveDir: dirname(npmPath) };
          }
          return { contents: module === null ? 'module.exports = {};' : `module.exports = globalThis.require('${module}');`, loader: 'js' };
        });
      }
      b.onResolve({ filter: /^process\/?$/ }, () => ({ path: processShim }));
      b.onLoad({ filter: new RegExp(`/(${Object.keys(PATCHES).join('|')})$`) }, async (args) => {
        let source = await readFile(args.path, 'utf8');
        for (const [text, replacement] of PATCHES[Object.keys(PATCHES).find((suffix) => args.path.endsWith(`/${suffix}`))]) {
          if (!source.includes(text)) throw new Error(`${args.path} changed: cannot patch it`);
          source = source.replace(text, () => replacement);
        }
        return { contents: source, loader: 'js' };
      });
      b.onResolve({ filter: new RegExp(`^(${Object.keys(REPLACED_PACKAGES).join('|')})$`) }, (args) => ({
        path: createRequire(args.importer).resolve(REPLACED_PACKAGES[args.path]),
      }));
    },
  };
}

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
      keepNames: KEEP_NAMES.has(name),
      plugins: [sandboxModules(name)],
      inject: [...(NEEDS_BUFFER.has(name) ? [bufferShim] : []), ...(NEEDS_PROCESS.has(name) ? [processShim] : [])],
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    });
    const code = result.outputFiles[0].text;
    await writeFile(file, code);
    total += (await stat(file)).size;
    process.stdout.write(`${name}: ${(code.length / 1024).toFixed(1)} KiB\n`);
  } catch (error) {
    failed.push(name);
    process.stderr.write(`${name}: not bundled (${error.message})\n`);
  }
}
process.stdout.write(`total: ${(total / 1024).toFixed(1)} KiB${failed.length ? `, missing: ${failed.join(', ')}` : ''}\n`);
if (failed.length > 0) process.exitCode = 1;
