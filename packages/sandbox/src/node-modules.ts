/**
 * The Node-style modules Postman's sandbox offers that are cheap to provide — `url`, `querystring`,
 * `util`, `timers` — written as guest JavaScript in this package (guest/url, guest/util,
 * guest/querystring, guest/timers) and evaluated on their first `require`
 * (or first use of the lazy globals `URL`, `URLSearchParams`, `TextEncoder`, `TextDecoder`), exactly
 * like the bundled libraries. `buffer`, `path`, `assert`, `events`, `string_decoder`, `punycode` and
 * `stream` are bundled browser ports of Node's modules (see libraries.ts).
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-require/
 */
import { QUERYSTRING_GUEST_SOURCE, TIMERS_GUEST_SOURCE, URL_GUEST_SOURCE, UTIL_GUEST_SOURCE } from './generated/guest-sources.js';

/** Wraps module source as an expression yielding `exports` (strict, private scope). */
function toModuleExpression(body: string, exports: string): string {
  return `(function () {\n'use strict';\n${body}\nreturn ${exports};\n})()`;
}

/** Module name → guest expression producing its exports. */
export const NODE_MODULE_SOURCES: Readonly<Record<string, string>> = {
  url: toModuleExpression(URL_GUEST_SOURCE, '{ URL, URLSearchParams, Url, parse: parseUrlLegacy, format: formatUrl, resolve: resolveUrl }'),
  querystring: toModuleExpression(
    QUERYSTRING_GUEST_SOURCE,
    '{ parse, decode: parse, stringify, encode: stringify, escape: qsEscape, unescape: qsUnescape }',
  ),
  util: toModuleExpression(
    UTIL_GUEST_SOURCE,
    `Object.assign({ format, inspect, inherits, promisify, deprecate: (fn) => fn, types, TextEncoder, TextDecoder }, legacyChecks)`,
  ),
  timers: toModuleExpression(TIMERS_GUEST_SOURCE, 'timers'),
};
