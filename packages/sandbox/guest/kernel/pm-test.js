let chaiInstance;
function loadChai() {
  if (chaiInstance === undefined) {
    const chai = requireModule('chai');
    chai.use(installPostmanAssertions);
    chaiInstance = chai;
  }
  return chaiInstance;
}
function isPlainValue(value) {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
function describeFailure(entry, error) {
  entry.passed = false;
  if (error instanceof Error) {
    entry.message = (error.name && error.name !== 'AssertionError' ? error.name + ': ' : '') + error.message;
    if (error.name === 'AssertionError') {
      const assertion = /** @type {Error & { expected?: unknown, actual?: unknown }} */ (error);
      if (isPlainValue(assertion.expected)) entry.expected = assertion.expected;
      if (isPlainValue(assertion.actual)) entry.actual = assertion.actual;
    }
  } else entry.message = 'threw ' + describeValue(error);
}
/** Ends a test: failed when `error` is set (or `failed`, for a rejection or a throw of a falsy value). */
function settleTest(entry, error, failed) {
  if (failed || error) describeFailure(entry, error);
  entry.done = true;
}
function testName(name) {
  const text = String(name);
  return text.length > MAX_TEST_NAME ? text.slice(0, MAX_TEST_NAME) + '…' : text;
}
function createTest() {
  function test(name, fn) {
    if (run === null) return undefined;
    // Without a function, a test passes (postman-sandbox's pm.test: it is reported, not skipped).
    if (typeof fn !== 'function') {
      run.tests.push({ name: testName(name), passed: true, done: true });
      return run.pm;
    }
    const entry = { name: testName(name), passed: true, done: false };
    run.tests.push(entry);
    // The settling functions are made only for a test that ends later (a callback or a promise): most end here.
    try {
      if (fn.length > 0) {
        fn((error) => settleTest(entry, error));
      } else {
        const result = fn();
        if (result && typeof result.then === 'function')
          promiseThen.call(
            Promise.resolve(result),
            () => settleTest(entry, undefined),
            (error) => settleTest(entry, error, true),
          );
        else entry.done = true;
      }
    } catch (error) {
      settleTest(entry, error, true);
    }
    // pm, as postman-sandbox returns it: pm.test(…).test(…) chains.
    return run.pm;
  }
  // Reported as skipped, its function not run (postman-sandbox's pm.test.skip).
  test.skip = (name) => {
    if (run === null) return undefined;
    run.tests.push({ name: testName(name), passed: true, done: true, skipped: true });
    return run.pm;
  };
  return test;
}
function settleLegacyTests(run, tests) {
  if (!tests || typeof tests !== 'object') return;
  for (const name of Object.keys(tests)) {
    const entry = { name: testName(name), passed: Boolean(tests[name]), done: true };
    if (!entry.passed) entry.message = 'test "' + entry.name + '" was false';
    run.tests.push(entry);
  }
}
function readJsonPath(value, path) {
  const parts = String(path)
    .replace(/\[(\w+)\]/g, '.$1')
    .split('.')
    .filter((p) => p !== '');
  let current = value;
  for (const part of parts) {
    if (current === null || current === undefined || !Object.hasOwn(Object(current), part)) return { found: false };
    current = current[part];
  }
  return { found: true, value: current };
}
/**
 * The Postman response checks by name. They run on a chai Assertion or on a lite response assertion
 * (response-assertion.js): both keep chai's flags in __flags and have an assert method.
 */
const postmanMethods = {};
const postmanProperties = {};
const flagOf = (assertion, name) => (assertion.__flags === undefined ? undefined : assertion.__flags[name]);
const deepEqual = (a, b) => loadChai().util.eql(a, b);
function responseOf(assertion) {
  const obj = flagOf(assertion, 'object');
  if (!(obj instanceof Response)) throw new TypeError('expected a response (pm.response or a pm.sendRequest result)');
  return obj;
}
const STATUS_CLASSES = {
  info: [100, 199, 'an informational (1xx)'],
  success: [200, 299, 'a success (2xx)'],
  redirection: [300, 399, 'a redirection (3xx)'],
  clientError: [400, 499, 'a client error (4xx)'],
  serverError: [500, 599, 'a server error (5xx)'],
  error: [400, 599, 'an error (4xx or 5xx)'],
  ok: [200, 200, 'ok (200)'],
  accepted: [202, 202, 'accepted (202)'],
  // chai-postman's names, both spellings of 401 included (postman-runtime 7.39: `withoutContent`, `unauthorised`).
  withoutContent: [204, 204, 'without content (204)'],
  badRequest: [400, 400, 'bad request (400)'],
  unauthorized: [401, 401, 'unauthorized (401)'],
  unauthorised: [401, 401, 'unauthorised (401)'],
  forbidden: [403, 403, 'forbidden (403)'],
  notFound: [404, 404, 'not found (404)'],
  notAcceptable: [406, 406, 'not acceptable (406)'],
  rateLimited: [429, 429, 'rate limited (429)'],
};
for (const name of Object.keys(STATUS_CLASSES)) {
  const [low, high, label] = STATUS_CLASSES[name];
  postmanProperties[name] = function () {
    const r = responseOf(this);
    this.assert(
      r.code >= low && r.code <= high,
      'expected response code to be ' + label + ' but found #{act}',
      'expected response code to not be ' + label + ' but found #{act}',
      label,
      r.code,
    );
  };
}
postmanMethods.status = function (expected) {
  const r = responseOf(this);
  if (typeof expected === 'number') {
    this.assert(
      r.code === expected,
      'expected response to have status code #{exp} but got #{act}',
      'expected response to not have status code #{act}',
      expected,
      r.code,
    );
  } else {
    this.assert(
      r.status === expected,
      'expected response to have status reason #{exp} but got #{act}',
      'expected response to not have status reason #{act}',
      expected,
      r.status,
    );
  }
};
postmanMethods.statusCode = function (expected) {
  const r = responseOf(this);
  this.assert(
    r.code === Number(expected),
    'expected response to have status code #{exp} but got #{act}',
    'expected response to not have status code #{act}',
    Number(expected),
    r.code,
  );
};
postmanMethods.statusReason = function (expected) {
  const r = responseOf(this);
  this.assert(
    r.status === String(expected),
    'expected response to have status reason #{exp} but got #{act}',
    'expected response to not have status reason #{act}',
    String(expected),
    r.status,
  );
};
postmanMethods.statusCodeClass = function (expected) {
  const r = responseOf(this);
  this.assert(
    Math.floor(r.code / 100) === expected,
    'expected response code to be #{exp}XX but found #{act}',
    'expected response code to not be #{exp}XX',
    expected,
    r.code,
  );
};
/** The request or response an assertion is about, and which of the two (chai-postman's header checks take both). */
function messageOf(assertion) {
  const obj = flagOf(assertion, 'object');
  if (obj instanceof Response) return { message: obj, kind: 'response' };
  if (isPostmanRequest(obj)) return { message: obj, kind: 'request' };
  throw new TypeError('expected a request or a response (pm.request, pm.response or a pm.sendRequest result)');
}
postmanMethods.header = function (name, value) {
  const { message, kind } = messageOf(this);
  const key = String(name);
  const has = message.headers.has(key);
  // chai-postman's messages (postman-sandbox 4).
  this.assert(
    has,
    'expected ' + kind + " to have header with key '" + key + "'",
    'expected ' + kind + " to not have header with key '" + key + "'",
  );
  if (arguments.length < 2) return;
  const actual = message.headers.get(key);
  this.assert(
    actual === value,
    "expected '" + key + "' " + kind + ' header to be #{exp} but got #{act}',
    "expected '" + key + "' " + kind + ' header to not be #{act}',
    value,
    actual,
  );
};
postmanProperties.postmanRequest = function () {
  this.assert(
    isPostmanRequest(flagOf(this, 'object')),
    'expecting a postman request object but got #{this}',
    'not expecting a postman request object',
  );
};
postmanProperties.postmanResponse = function () {
  this.assert(
    flagOf(this, 'object') instanceof Response,
    'expecting a postman response object but got #{this}',
    'not expecting a postman response object',
  );
};
postmanProperties.postmanRequestOrResponse = function () {
  const obj = flagOf(this, 'object');
  this.assert(
    obj instanceof Response || isPostmanRequest(obj),
    'expecting a postman request or response object but got #{this}',
    'not expecting a postman request or response object',
  );
};
postmanMethods.body = function (expected) {
  const text = responseOf(this).text();
  if (arguments.length === 0) {
    this.assert(text.length > 0, 'expected response to have content in body', 'expected response to not have content in body');
  } else if (expected instanceof RegExp) {
    this.assert(
      expected.test(text),
      'expected response body text to match #{exp}',
      'expected response body text to not match #{exp}',
      expected,
      text,
    );
  } else if (typeof expected === 'string') {
    this.assert(
      text === expected,
      'expected response body to equal #{exp} but got #{act}',
      'expected response body to not equal #{exp}',
      expected,
      text,
    );
  } else {
    let json;
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = undefined;
    }
    this.assert(
      deepEqual(json, expected),
      'expected response body json to equal #{exp} but got #{act}',
      'expected response body json to not equal #{exp}',
      expected,
      json,
      true,
    );
  }
};
postmanMethods.jsonBody = function (path, value) {
  const r = responseOf(this);
  let json;
  let parsed = true;
  try {
    json = r.json();
  } catch (e) {
    parsed = false;
  }
  if (arguments.length === 0 || !parsed) {
    this.assert(
      parsed,
      'expected response body to be a valid json but got error ' + (parsed ? '' : 'while parsing'),
      'expected response body not to be a valid json',
    );
    if (arguments.length === 0) return;
  }
  if (typeof path !== 'string') {
    this.assert(
      deepEqual(json, path),
      'expected response body json to equal #{exp} but got #{act}',
      'expected response body json to not equal #{exp}',
      path,
      json,
      true,
    );
    return;
  }
  const found = readJsonPath(json, path);
  if (arguments.length < 2) {
    this.assert(
      found.found,
      'expected #{this} to have property at path "' + path + '"',
      'expected #{this} to not have property at path "' + path + '"',
    );
    return;
  }
  this.assert(
    found.found && deepEqual(found.value, value),
    'expected response body json at "' + path + '" to contain #{exp} but got #{act}',
    'expected response body json at "' + path + '" to not contain #{exp}',
    value,
    found.value,
  );
};
/** Any value, as in chai-postman: a response (or request) is checked by its JSON body, anything else as it is. */
postmanMethods.jsonSchema = function (schema, options) {
  const obj = flagOf(this, 'object');
  const json = obj instanceof Response ? obj.json() : obj;
  const Ajv = requireModule('ajv');
  const ajv = new Ajv(Object.assign({ allErrors: true, strict: false, logger: false }, options || {}));
  const validate = ajv.compile(schema);
  const valid = validate(json);
  this.assert(
    valid,
    'expected data to satisfy schema but found following errors: \n' + (valid ? '' : ajv.errorsText(validate.errors)),
    'expected data to not satisfy schema',
    schema,
    json,
  );
};
postmanProperties.json = function () {
  const r = responseOf(this);
  let parsed = true;
  try {
    r.json();
  } catch (e) {
    parsed = false;
  }
  this.assert(parsed, 'expected response body to be a valid json', 'expected response body not to be a valid json');
};
postmanProperties.withBody = function () {
  const text = responseOf(this).text();
  this.assert(text.length > 0, 'expected response to have content in body', 'expected response to not have content in body');
};
/**
 * chai-postman's chainable `responseTime` and `responseSize`: the word alone makes the number the
 * subject (`pm.response.to.have.responseTime.below(200)`); called, `responseTime(max)` checks the
 * time is at most `max` ms and `responseSize(bytes)` that the size is exactly that. They are chai
 * chainable methods, so the lite assertion hands them to chai (response-assertion.js).
 */
const postmanChainables = {
  responseTime: {
    chain() {
      this.__flags.object = responseOf(this).responseTime;
    },
    method(max) {
      const time = flagOf(this, 'object');
      this.assert(
        time <= max,
        'expected response time to be at most #{exp} ms but was #{act} ms',
        'expected response time to be above #{exp} ms',
        max,
        time,
      );
    },
  },
  responseSize: {
    chain() {
      this.__flags.object = responseOf(this).responseSize;
    },
    method(bytes) {
      const size = flagOf(this, 'object');
      this.assert(
        size === bytes,
        'expected response size to be #{exp} bytes but was #{act} bytes',
        'expected response size to not be #{exp} bytes',
        bytes,
        size,
      );
    },
  },
};
/** Registers the Postman checks with chai (for expect(pm.response) and chai's chains); ok keeps chai's meaning on other values. */
function installPostmanAssertions(chai, utils) {
  const Assertion = chai.Assertion;
  for (const name of Object.keys(postmanMethods)) Assertion.addMethod(name, postmanMethods[name]);
  for (const name of Object.keys(postmanChainables)) {
    Assertion.addChainableMethod(name, postmanChainables[name].method, postmanChainables[name].chain);
  }
  for (const name of Object.keys(postmanProperties)) {
    if (name !== 'ok') Assertion.addProperty(name, postmanProperties[name]);
  }
  Assertion.overwriteProperty(
    'ok',
    (original) =>
      function () {
        if (utils.flag(this, 'object') instanceof Response) postmanProperties.ok.call(this);
        else original.call(this);
      },
  );
}
