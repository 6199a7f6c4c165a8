/**
 * The `pm` object (info, variables, request, response, cookies, test, expect, sendRequest,
 * visualizer, execution, require) and the legacy `postman` object. The pieces are built once per
 * context and frozen; per run, `pm` is a fresh object over a shared prototype whose getters read
 * the current run, so a run costs almost nothing until a script touches something.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-api-reference/
 */
const sharedScopes = createVariableScopes();
/** pm.environment.name: the name of the active environment, when the engine has one. */
Object.defineProperty(sharedScopes.environment, 'name', {
  get: () => (run === null ? undefined : run.ctx.environmentName),
  enumerable: false,
});
for (const name of Object.keys(sharedScopes)) Object.freeze(sharedScopes[name]);
function setNextRequest(name) {
  if (run === null) return;
  run.hasNext = true;
  run.nextRequest = name === null || name === undefined ? null : String(name);
}
const pmPrototype = Object.freeze({
  variables: sharedScopes.variables,
  environment: sharedScopes.environment,
  globals: sharedScopes.globals,
  collectionVariables: sharedScopes.collectionVariables,
  iterationData: sharedScopes.iterationData,
  test: Object.freeze(createTest()),
  sendRequest: createSendRequest(),
  require: scriptRequire,
  visualizer: Object.freeze({
    set: (template, data) => {
      if (run !== null) run.visualizer = { template: String(template), data };
    },
    clear: () => {
      if (run !== null) run.visualizer = undefined;
    },
  }),
  execution: Object.freeze({
    skipRequest: () => {
      if (run !== null && run.eventName === 'prerequest') run.skipRequest = true;
    },
    setNextRequest,
    // postman-sandbox's ExecutionLocation: the item's path (collection, folders, request) with a
    // read-only `current`, the name of the item whose script runs.
    get location() {
      if (run === null) return [];
      const location = run.ctx.location.slice();
      defineOwn(location, 'current', { value: run.ctx.requestName, enumerable: false });
      return location;
    },
  }),
  get info() {
    if (run === null) return undefined;
    if (run.info === undefined) {
      const ctx = run.ctx;
      run.info = Object.freeze({
        eventName: ctx.eventName,
        iteration: ctx.iteration,
        iterationCount: ctx.iterationCount,
        requestName: ctx.requestName,
        requestId: ctx.requestId,
      });
    }
    return run.info;
  },
  get request() {
    if (run === null) return undefined;
    if (run.request === undefined) run.request = createRequest(run.ctx.request || { method: 'GET', url: '', headers: [] });
    return run.request;
  },
  get response() {
    if (run === null || run.responseHead === undefined) return undefined;
    if (run.response === undefined) run.response = responseOfRun(run.responseHead);
    return run.response;
  },
  get cookies() {
    if (run === null) return undefined;
    if (run.cookies === undefined) run.cookies = createCookies(run.ctx.cookies || {});
    return run.cookies;
  },
  get expect() {
    return liteExpect;
  },
  get args() {
    return run === null ? undefined : run.ctx.args;
  },
});
/** pm.response from what exec received: the headers and a large body are fetched only when read. */
function responseOfRun(head) {
  const body = head.body;
  return new Response(
    head.code,
    head.status,
    head.responseTime,
    head.responseSize,
    () => parseJson(host.responseHeaders()),
    body === undefined ? () => host.responseText() : () => body,
  );
}
function createPm() {
  return Object.create(pmPrototype);
}
/**
 * What the legacy setters store, as postman-sandbox's: a truthy value with a toString becomes text
 * (`1` → "1", an object → "[object Object]"); a falsy one (0, false, '', null, undefined) stays as it is.
 */
function legacyValue(value) {
  if (!value) return value;
  return typeof value.toString === 'function' ? value.toString() : value;
}
const postmanLegacy = Object.freeze({
  setNextRequest,
  getEnvironmentVariable: (name) => sharedScopes.environment.get(name),
  setEnvironmentVariable: (name, value) => sharedScopes.environment.set(name, legacyValue(value)),
  clearEnvironmentVariable: (name) => sharedScopes.environment.unset(name),
  getGlobalVariable: (name) => sharedScopes.globals.get(name),
  setGlobalVariable: (name, value) => sharedScopes.globals.set(name, legacyValue(value)),
  clearGlobalVariable: (name) => sharedScopes.globals.unset(name),
  getVariable: (name) => sharedScopes.variables.get(name),
  clearEnvironmentVariables: () => sharedScopes.environment.clear(),
  clearGlobalVariables: () => sharedScopes.globals.clear(),
  /** The value of a response header (any case), in a test script; undefined otherwise. */
  getResponseHeader: (name) => {
    const response = pmPrototype.response;
    return response === undefined || typeof name !== 'string' ? undefined : response.headers.get(name);
  },
  /** A cookie of `responseCookies` by name (any case), as postman-sandbox looks it up. */
  getResponseCookie: (name) => {
    if (typeof name !== 'string') return undefined;
    const wanted = name.toLowerCase();
    return legacyResponseCookies().find((cookie) => cookie.name.toLowerCase() === wanted);
  },
});
/**
 * Legacy `responseCookies`: the cookies the request's URL has after the response, as Postman lists
 * them: the response's own Set-Cookie cookies with their attributes, then the jar's other cookies
 * for the URL (name and value).
 */
function legacyResponseCookies() {
  const response = pmPrototype.response;
  const cookies = response === undefined ? [] : response.cookies.all();
  const jar = run.ctx.cookies || {};
  for (const name of Object.keys(jar)) {
    if (!cookies.some((cookie) => cookie.name === name)) cookies.push({ name, value: jar[name] });
  }
  return cookies;
}
/** Legacy `responseHeaders`: each header under its name as written, the last of a repeated one (postman-sandbox's). */
function legacyResponseHeaders() {
  const out = {};
  for (const header of pmPrototype.response.headers.all()) {
    if (!header.disabled)
      Object.defineProperty(out, header.key, { value: header.value, writable: true, enumerable: true, configurable: true });
  }
  return out;
}
/** Legacy `request`: the request as a plain object (read-only view, like Postman's). */
function legacyRequest() {
  const request = run.ctx.request || { method: 'GET', url: '', headers: [] };
  const headers = {};
  for (const [name, value] of request.headers) headers[name] = value;
  return {
    url: request.url,
    method: request.method,
    headers,
    data: request.body === undefined ? {} : request.body,
    name: run.ctx.requestName,
    id: run.ctx.requestId,
  };
}
/**
 * Legacy `responseBody.has(text or RegExp)`: Sugar.js's `String.prototype.has`, which Postman's
 * sandbox loads (`tests['Body has x'] = responseBody.has('x')`). Defined before the prototypes are frozen.
 */
Object.defineProperty(String.prototype, 'has', {
  value: function has(find) {
    return find instanceof RegExp ? String(this).search(find) !== -1 : String(this).includes(String(find));
  },
  writable: true,
  configurable: true,
  enumerable: false,
});
/** Legacy `xml2Json(text)`: xml2js with postman-sandbox's options (no arrays for single children, trimmed text). */
function xml2Json(text) {
  let result = {};
  requireModule('xml2js').parseString(text, { explicitArray: false, async: false, trim: true, mergeAttrs: false }, (error, value) => {
    if (error) throw error;
    result = value;
  });
  return result;
}
const sharedConsole = Object.freeze(createConsole());
/**
 * Globals whose value belongs to the current run, Postman's legacy library globals and the web /
 * Node globals loaded on first use (URL, URLSearchParams, TextEncoder, TextDecoder, Buffer):
 * accessors defined once, so none of them costs anything until a script reads it.
 */
const RUN_GLOBALS = {
  pm: () => run.pm,
  postman: () => postmanLegacy,
  console: () => sharedConsole,
  tests: () => run.legacyTests,
  iteration: () => run.ctx.iteration,
  args: () => run.ctx.args,
  responseBody: () => (run.responseHead !== undefined ? pmPrototype.response.text() : undefined),
  responseCode: () => {
    const r = pmPrototype.response;
    return r === undefined ? undefined : { code: r.code, name: r.status, detail: r.status };
  },
  responseTime: () => (run.responseHead !== undefined ? pmPrototype.response.responseTime : undefined),
  responseHeaders: () => (run.responseHead !== undefined ? legacyResponseHeaders() : undefined),
  responseCookies: () => legacyResponseCookies(),
  environment: () => sharedScopes.environment.toObject(),
  globals: () => sharedScopes.globals.toObject(),
  data: () => sharedScopes.iterationData.toObject(),
  request: () => legacyRequest(),
  xml2Json: () => xml2Json,
  URL: () => requireModule('url').URL,
  URLSearchParams: () => requireModule('url').URLSearchParams,
  TextEncoder: () => requireModule('util').TextEncoder,
  TextDecoder: () => requireModule('util').TextDecoder,
  Buffer: () => requireModule('buffer').Buffer,
  _: () => scriptRequire('lodash'),
  CryptoJS: () => scriptRequire('crypto-js'),
  tv4: () => scriptRequire('tv4'),
  cheerio: () => scriptRequire('cheerio'),
};
