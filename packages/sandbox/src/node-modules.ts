/**
 * The Node-style modules Postman's sandbox offers that are cheap to provide — `url`, `querystring`,
 * `util`, `timers` — written as guest source in this package and evaluated on their first `require`
 * (or first use of the lazy globals `URL`, `URLSearchParams`, `TextEncoder`, `TextDecoder`), exactly
 * like the bundled libraries. `buffer`, `path`, `assert`, `events`, `string_decoder`, `punycode` and
 * `stream` are bundled browser ports of Node's modules (see libraries.ts).
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-require/
 */
import { NODE_QUERYSTRING_SOURCE } from './node-querystring.js';
import { NODE_TIMERS_SOURCE } from './node-timers.js';
import { NODE_URL_SOURCE } from './node-url.js';
import { NODE_UTIL_SOURCE } from './node-util.js';
import { TEXT_ENCODING_SOURCE } from './text-encoding.js';
import { WEB_URL_SOURCE } from './web-url.js';

/** Wraps module source as an expression yielding `exports` (strict, private scope). */
function toModuleExpression(body: string, exports: string): string {
  return `(function () {\n'use strict';\n${body}\nreturn ${exports};\n})()`;
}

/** Module name → guest expression producing its exports. */
export const NODE_MODULE_SOURCES: Readonly<Record<string, string>> = {
  url: toModuleExpression(
    `${WEB_URL_SOURCE}\n${NODE_URL_SOURCE}`,
    '{ URL, URLSearchParams, Url, parse: parseUrlLegacy, format: formatUrl, resolve: resolveUrl }',
  ),
  querystring: toModuleExpression(
    NODE_QUERYSTRING_SOURCE,
    '{ parse, decode: parse, stringify, encode: stringify, escape: qsEscape, unescape: qsUnescape }',
  ),
  util: toModuleExpression(
    `${TEXT_ENCODING_SOURCE}\n${NODE_UTIL_SOURCE}`,
    `Object.assign({ format, inspect, inherits, promisify, deprecate: (fn) => fn, types, TextEncoder, TextDecoder }, legacyChecks)`,
  ),
  timers: toModuleExpression(NODE_TIMERS_SOURCE, 'timers'),
};
