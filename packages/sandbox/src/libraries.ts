/**
 * The libraries scripts may `require()` — the set Postman bundles, and Node modules from their
 * browser ports. Each is bundled at build time (scripts/bundle-libs.mjs) into
 * `dist-libs/<file>.js`, read from disk once per process and evaluated in a context on its first
 * `require`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCode, SortieError } from '@sortie/core';
import { NODE_MODULE_SOURCES } from './node-modules.js';

/** Node modules bundled from their browser ports; the others are guest source (node-modules.ts). */
const BUNDLED_NODE_MODULES: readonly string[] = ['buffer', 'path', 'assert', 'events', 'string_decoder', 'punycode', 'stream'];

/** Module name → bundle file name (without `.js`). */
export const BUNDLED_LIBRARIES: Readonly<Record<string, string>> = {
  ajv: 'ajv',
  chai: 'chai',
  cheerio: 'cheerio',
  'crypto-js': 'crypto-js',
  'csv-parse/sync': 'csv-parse-sync',
  lodash: 'lodash',
  moment: 'moment',
  tv4: 'tv4',
  uuid: 'uuid',
  xml2js: 'xml2js',
  ...Object.fromEntries(BUNDLED_NODE_MODULES.map((name) => [name, name])),
};

/**
 * Other names of bundled libraries. `csv-parse/lib/sync` is what Postman's sandbox bundles and documents
 * (csv-parse 4): its export is the parse function itself, where `csv-parse/sync` (csv-parse 5) exports
 * `{ parse }`; the alias is that function, with `parse` on it too.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/overview/
 */
const LIBRARY_ALIASES: Readonly<Record<string, { of: string; wrap: (exports: string) => string }>> = {
  'csv-parse/lib/sync': {
    of: 'csv-parse/sync',
    wrap: (exports) =>
      `(function () {\nvar lib = ${exports};\nvar parse = function parse(input, options) { return lib.parse(input, options); };\nparse.parse = lib.parse;\nreturn parse;\n})()`,
  },
};

/** The names of {@link LIBRARY_ALIASES}, for the list of modules a script may require. */
export const ALIASED_LIBRARIES: readonly string[] = Object.keys(LIBRARY_ALIASES);

/** Modules implemented inside the guest itself (`url`, `querystring`, `util` and `timers` are loaded on first use). */
export const BUILTIN_MODULES: readonly string[] = ['atob', 'btoa', ...Object.keys(NODE_MODULE_SOURCES)];

/**
 * Node modules (also required as `node:<name>`) whose exports and classes are frozen once loaded,
 * as shared intrinsics are.
 */
export const HARDENED_MODULES: readonly string[] = [...BUNDLED_NODE_MODULES, ...Object.keys(NODE_MODULE_SOURCES)];

/** Default folder of the bundles: `packages/sandbox/dist-libs` (the bundled CLI passes its own as `librariesDir`). */
export const DEFAULT_LIBRARIES_DIR = fileURLToPath(new URL('../dist-libs/', import.meta.url));

const sources = new Map<string, string>();

/**
 * Reads the bundle of `name` (cached per process), wrapped as an expression yielding the
 * module's exports, or the source of a Node module written in this package. Returns undefined for
 * any other name.
 */
export function readLibrarySource(name: string, librariesDir: string = DEFAULT_LIBRARIES_DIR): string | undefined {
  if (Object.hasOwn(NODE_MODULE_SOURCES, name)) return NODE_MODULE_SOURCES[name];
  if (Object.hasOwn(LIBRARY_ALIASES, name)) {
    const alias = LIBRARY_ALIASES[name]!;
    const source = readLibrarySource(alias.of, librariesDir);
    return source === undefined ? undefined : alias.wrap(source);
  }
  const file = BUNDLED_LIBRARIES[name];
  if (file === undefined || !Object.hasOwn(BUNDLED_LIBRARIES, name)) return undefined;
  const path = `${librariesDir.replace(/\/?$/, '/')}${file}.js`;
  let source = sources.get(path);
  if (source === undefined) {
    try {
      source = `(function () {\n${readFileSync(path, 'utf8')}\nreturn __sortieLib;\n})()`;
    } catch (cause) {
      // The message is what the script sees (require() throws it there): it says what to do.
      throw new SortieError(
        ErrorCode.NOT_INSTALLED,
        'Incomplete installation',
        `the sortie package lacks ${path}: the bundle of "${name}" is missing`,
        {
          hint: 'install sortie again (npm i sortie in a project, npm i -g sortie for the command); in a clone of the repository, run `node packages/sandbox/scripts/bundle-libs.mjs` (the bundles are committed in packages/sandbox/dist-libs)',
          cause,
        },
      );
    }
    sources.set(path, source);
  }
  return source;
}
