/**
 * The fast `pm.response.to…` chain. A chai `expect(response)` chain costs ~50 µs in QuickJS (every
 * word builds a new Assertion wrapped in a Proxy); Postman scripts use `pm.response.to.have.status(…)`
 * and friends on nearly every request, so `pm.response.to` and `pm.response.not` return a real chai
 * Assertion (same flags as `expect(response)`) over a prototype where the chain words return the
 * assertion itself and the Postman checks run directly. Everything else — `.property(…)`,
 * `.deep.equal(…)`, plugins — is inherited from chai's Assertion.prototype and behaves as in chai;
 * an unknown property throws chai's own "Invalid Chai property" error, as chai's Proxy does.
 *
 * Loading chai costs ~25 ms in a fresh context, and a passing `pm.response.to.have.status(200)`
 * needs none of it: `pm.response.to` first returns a lite assertion with the chain words, `not`
 * and the Postman checks, whose `assert` returns when the check passes. When a check fails, or
 * the chain asks for anything else (`.property(…)`, `.deep`, a typo), the assertion becomes the
 * chai-backed one above — chai is loaded then — and answers exactly as it would have from the start,
 * failure messages included. Like chai's Proxy, `then`, `catch`, `inspect`, `toJSON` and
 * symbols are looked up without that (pm.test reads `then` off what a test returns).
 *
 * @see https://www.chaijs.com/guide/helpers/
 */
const CHAIN_WORDS = [
  'to',
  'be',
  'been',
  'is',
  'that',
  'which',
  'and',
  'has',
  'have',
  'with',
  'at',
  'of',
  'same',
  'but',
  'does',
  'still',
  'also',
];
let responseAssertionPrototype;
function buildResponseAssertionPrototype(chai, withPostmanChecks) {
  const chaiPrototype = chai.Assertion.prototype;
  const has = Reflect.has;
  const get = Reflect.get;
  // Lookups that miss the fast prototype land here: like chai's Proxy, an unknown name is an error (thrown by chai itself).
  const guard = new Proxy(chaiPrototype, {
    get(target, property, receiver) {
      if (
        typeof property === 'string' &&
        chai.config.useProxy &&
        chai.config.proxyExcludedKeys.indexOf(property) === -1 &&
        !has(target, property)
      ) {
        void chai.expect(undefined)[property];
      }
      return get(target, property, receiver);
    },
  });
  const prototype = Object.create(guard);
  const self = {
    get() {
      return this;
    },
    configurable: false,
    enumerable: false,
  };
  for (const word of CHAIN_WORDS) Object.defineProperty(prototype, word, self);
  Object.defineProperty(prototype, 'not', {
    get() {
      chai.util.flag(this, 'negate', true);
      return this;
    },
  });
  for (const name of ['assert', '_obj', '__methods']) {
    const d = Object.getOwnPropertyDescriptor(chaiPrototype, name);
    if (d !== undefined) Object.defineProperty(prototype, name, d);
  }
  // A value that is not a response keeps chai's own Postman plugin methods (and chai's `ok`).
  if (!withPostmanChecks) return Object.freeze(prototype);
  for (const name of Object.keys(postmanMethods)) {
    const check = postmanMethods[name];
    Object.defineProperty(prototype, name, {
      value: function () {
        check.apply(this, arguments);
        return this;
      },
    });
  }
  for (const name of Object.keys(postmanProperties)) {
    const check = postmanProperties[name];
    Object.defineProperty(prototype, name, {
      get() {
        check.call(this);
        return this;
      },
    });
  }
  return Object.freeze(prototype);
}
/** Turns a lite response assertion into the chai-backed one (same object, same flags); chai loads here. */
function becomeChaiAssertion(assertion) {
  if (getPrototype(assertion) !== litePrototype) return;
  const chai = loadChai();
  if (responseAssertionPrototype === undefined) responseAssertionPrototype = buildResponseAssertionPrototype(chai, true);
  const flags = assertion.__flags;
  flags.ssfi = chai.Assertion;
  flags.lockSsfi = undefined;
  flags.message = undefined;
  flags.eql = chai.config.deepEqual || chai.util.eql;
  setPrototype(assertion, responseAssertionPrototype);
}
/** Names chai's Proxy answers without checking them (chai.config.proxyExcludedKeys). */
const LITE_PLAIN_KEYS = ['then', 'catch', 'inspect', 'toJSON'];
/**
 * The shared part of a lite (chai-less) assertion prototype: chain words return the assertion, `not` sets the flag,
 * and every other name goes to `upgrade(receiver, property)` (which turns the assertion into chai's and answers).
 */
function liteChainPrototype(upgrade) {
  const fallback = new Proxy(createObject(null), {
    get(target, property, receiver) {
      if (typeof property !== 'string' || LITE_PLAIN_KEYS.indexOf(property) !== -1) return undefined;
      return upgrade(receiver, property);
    },
  });
  const prototype = createObject(fallback);
  const self = {
    get() {
      return this;
    },
    configurable: false,
    enumerable: false,
  };
  for (const word of CHAIN_WORDS) defineOwn(prototype, word, self);
  defineOwn(prototype, 'not', {
    get() {
      this.__flags.negate = true;
      return this;
    },
  });
  return prototype;
}
const litePrototype = (function buildLitePrototype() {
  const prototype = liteChainPrototype((receiver, property) => {
    becomeChaiAssertion(receiver);
    return Reflect.get(responseAssertionPrototype, property, receiver);
  });
  defineOwn(prototype, 'assert', {
    value: function assert(expression) {
      if (this.__flags.negate ? !expression : expression) return;
      becomeChaiAssertion(this);
      this.assert.apply(this, arguments);
    },
  });
  for (const name of Object.keys(postmanMethods)) {
    const check = postmanMethods[name];
    defineOwn(prototype, name, {
      value: function () {
        check.apply(this, arguments);
        return this;
      },
    });
  }
  for (const name of Object.keys(postmanProperties)) {
    const check = postmanProperties[name];
    defineOwn(prototype, name, {
      get() {
        check.call(this);
        return this;
      },
    });
  }
  return freeze(prototype);
})();
function createResponseAssertion(response, negate) {
  const assertion = createObject(litePrototype);
  const flags = createObject(null);
  flags.object = response;
  if (negate) flags.negate = true;
  assertion.__flags = flags;
  return assertion;
}
