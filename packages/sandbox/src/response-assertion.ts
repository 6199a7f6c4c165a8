/**
 * The fast `pm.response.to…` chain. A chai `expect(response)` chain costs ~50 µs in QuickJS (every
 * word builds a new Assertion wrapped in a Proxy); Postman scripts use `pm.response.to.have.status(…)`
 * and friends on nearly every request, so `pm.response.to` and `pm.response.not` return a real chai
 * Assertion (same flags as `expect(response)`) over a prototype where the chain words return the
 * assertion itself and the Postman checks run directly. Everything else — `.property(…)`,
 * `.deep.equal(…)`, plugins — is inherited from chai's Assertion.prototype and behaves as in chai;
 * an unknown property throws chai's own "Invalid Chai property" error, as chai's Proxy does.
 *
 * @see https://www.chaijs.com/guide/helpers/
 */

/** Guest source: `createResponseAssertion(response, negate)`; needs `loadChai()` and the Postman checks of pm-test.ts. */
export const RESPONSE_ASSERTION_SOURCE = `
const CHAIN_WORDS = ['to', 'be', 'been', 'is', 'that', 'which', 'and', 'has', 'have', 'with', 'at', 'of', 'same', 'but', 'does',
  'still', 'also'];
let responseAssertionPrototype;
function buildResponseAssertionPrototype(chai) {
  const chaiPrototype = chai.Assertion.prototype;
  const has = Reflect.has;
  const get = Reflect.get;
  // Lookups that miss the fast prototype land here: like chai's Proxy, an unknown name is an error (thrown by chai itself).
  const guard = new Proxy(chaiPrototype, {
    get(target, property, receiver) {
      if (typeof property === 'string' && chai.config.useProxy && chai.config.proxyExcludedKeys.indexOf(property) === -1
        && !has(target, property)) {
        void chai.expect(undefined)[property];
      }
      return get(target, property, receiver);
    },
  });
  const prototype = Object.create(guard);
  const self = { get() { return this; }, configurable: false, enumerable: false };
  for (const word of CHAIN_WORDS) Object.defineProperty(prototype, word, self);
  Object.defineProperty(prototype, 'not', {
    get() { chai.util.flag(this, 'negate', true); return this; },
  });
  for (const name of ['assert', '_obj', '__methods']) {
    const d = Object.getOwnPropertyDescriptor(chaiPrototype, name);
    if (d !== undefined) Object.defineProperty(prototype, name, d);
  }
  for (const name of Object.keys(postmanMethods)) {
    const check = postmanMethods[name];
    Object.defineProperty(prototype, name, { value: function () { check.apply(this, arguments); return this; } });
  }
  for (const name of Object.keys(postmanProperties)) {
    const check = postmanProperties[name];
    Object.defineProperty(prototype, name, { get() { check.call(this); return this; } });
  }
  return Object.freeze(prototype);
}
function createResponseAssertion(response, negate) {
  const chai = loadChai();
  if (responseAssertionPrototype === undefined) responseAssertionPrototype = buildResponseAssertionPrototype(chai);
  const assertion = Object.create(responseAssertionPrototype);
  // The flags chai's Assertion constructor sets for expect(response).
  const flags = Object.create(null);
  flags.ssfi = chai.Assertion;
  flags.lockSsfi = undefined;
  flags.object = response;
  flags.message = undefined;
  flags.eql = chai.config.deepEqual || chai.util.eql;
  if (negate) flags.negate = true;
  assertion.__flags = flags;
  return assertion;
}
`;
