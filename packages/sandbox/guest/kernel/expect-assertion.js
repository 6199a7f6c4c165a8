/**
 * The fast `pm.expect(value)…a(type)` chain. Measured in this sandbox (warm, CPU per script run):
 * `pm.expect(item.id).to.be.a('number')` through chai costs ~70 µs in QuickJS (a Proxy and a new
 * Assertion per chain word), more than the rest of a typical post-script together (~35 µs).
 * `pm.expect(value, message)` returns a lite assertion with chai's flags in __flags: the chain words
 * and `not` return it, and `a` / `an` called on a value that is not an object (`typeof` is then what
 * chai's type-detect reports) returns when the type matches and the assertion is not negated.
 * Anything else — a failing or negated check, a non-string type, an object, any other word
 * (`.equal`, `.property`, a typo), `an` used as a chain word — first turns the assertion into the
 * chai-backed one (chai loads then) and chai answers exactly as it would have from the start,
 * failure messages included (as response-assertion.js does for `pm.response.to`).
 *
 * @see https://www.chaijs.com/api/bdd/#method_a
 */
let expectAssertionPrototype;
/** Turns a lite expect assertion into the chai-backed one (same object, same flags); chai loads here. */
function becomeChaiExpectAssertion(assertion) {
  if (getPrototype(assertion) !== liteExpectPrototype) return;
  const chai = loadChai();
  if (expectAssertionPrototype === undefined) expectAssertionPrototype = buildResponseAssertionPrototype(chai, false);
  const flags = assertion.__flags;
  // What chai's Assertion constructor sets besides object and message.
  flags.ssfi = chai.Assertion;
  flags.lockSsfi = undefined;
  flags.eql = chai.config.deepEqual || chai.util.eql;
  setPrototype(assertion, expectAssertionPrototype);
}
/** The lite assertion a lookup started from: the assertion itself or the `a` / `an` function chained off it. */
function liteExpectOwner(receiver) {
  let current = receiver;
  while (current !== null && getPrototype(current) !== liteExpectPrototype) current = getPrototype(current);
  return current;
}
const liteExpectPrototype = (function buildLiteExpectPrototype() {
  const prototype = liteChainPrototype((receiver, property) => {
    const owner = liteExpectOwner(receiver);
    if (owner !== null) becomeChaiExpectAssertion(owner);
    // Off an `a` / `an` function, chai looks the name up through its Proxy around that function (its typo hints included).
    if (owner !== receiver) return loadChai().util.proxify(receiver)[property];
    return Reflect.get(expectAssertionPrototype, property, receiver);
  });
  for (const name of ['a', 'an']) {
    defineOwn(prototype, name, {
      get() {
        const assertion = liteExpectOwner(this);
        function chainableMethodWrapper(type, message) {
          const flags = assertion.__flags;
          if (getPrototype(assertion) === liteExpectPrototype) {
            if (message) flags.message = message;
            const actual = typeof flags.object;
            if (flags.negate !== true && actual !== 'object' && typeof type === 'string' && type.toLowerCase() === actual) return assertion;
            becomeChaiExpectAssertion(assertion);
          }
          return assertion[name].apply(assertion, arguments);
        }
        // Like chai's chainable methods: `an` is also a chain word (`.an.instanceof(…)`), so the function carries the assertion.
        const chained = createObject(assertion);
        chained.call = Function.prototype.call;
        chained.apply = Function.prototype.apply;
        setPrototype(chainableMethodWrapper, chained);
        // chai's addLengthGuard: `.an.length` is an error (Function#length would shadow chai's `length`).
        defineOwn(chainableMethodWrapper, 'length', {
          get() {
            throw Error(
              'Invalid Chai property: ' +
                name +
                '.length. Due to a compatibility issue, "length" cannot directly follow "' +
                name +
                '". Use "' +
                name +
                '.lengthOf" instead.',
            );
          },
          configurable: true,
        });
        return chainableMethodWrapper;
      },
    });
  }
  return freeze(prototype);
})();
/** `pm.expect`: chai's `expect`, with the lite assertion above in front. */
const liteExpect = (function buildLiteExpect() {
  function expect(value, message) {
    const assertion = createObject(liteExpectPrototype);
    const flags = createObject(null);
    flags.object = value;
    flags.message = message;
    assertion.__flags = flags;
    return assertion;
  }
  defineOwn(expect, 'fail', {
    get() {
      return loadChai().expect.fail;
    },
    enumerable: true,
  });
  return freeze(expect);
})();
