import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

async function logsOf(script: string): Promise<string[]> {
  const outcome = await sandbox.run(script, fakeContext());
  expect(outcome.error?.message).toBeUndefined();
  return outcome.logs.map((l) => l.message);
}

describe('frozen intrinsics', () => {
  it('still lets code override inherited toString, valueOf, constructor and error names on its own objects', async () => {
    const logs = await logsOf(
      `function Money(cents) { this.cents = cents; }
       Money.prototype.toString = function () { return (this.cents / 100).toFixed(2) + ' EUR'; };
       Money.prototype.valueOf = function () { return this.cents; };
       Money.prototype.constructor = Money;
       const e = new Error('boom'); e.name = 'PaymentError';
       function LegacyError(message) { this.message = message; }
       LegacyError.prototype = Object.create(Error.prototype);
       LegacyError.prototype.name = 'LegacyError';
       const counts = {}; counts.toString = 2; counts.hasOwnProperty = 1;
       console.log(String(new Money(1250)), new Money(5) + 1, new Money(1).constructor === Money);
       console.log(String(e), String(new LegacyError('old')), counts.toString + counts.hasOwnProperty, ({}).toString());`,
    );
    expect(logs).toEqual(['12.50 EUR 6 true', 'PaymentError: boom LegacyError: old 3 [object Object]']);
  });

  it('ignores changes to built-in prototypes, even within the run that makes them', async () => {
    const logs = await logsOf(
      `Array.prototype.last = function () { return this[this.length - 1]; };
       Object.prototype.toString = () => 'evil';
       String.prototype.trim = () => 'evil';
       let threw = false;
       try { Object.defineProperty(Array.prototype, 'first', { value: 1 }); } catch (e) { threw = e instanceof TypeError; }
       console.log(typeof [].last, ({}).toString(), ' a '.trim(), threw);`,
    );
    expect(logs).toEqual(['undefined [object Object] a true']);
  });

  it('keeps the other intrinsics (typed arrays, error classes, generators, Map statics…) unchanged for the next run', async () => {
    await logsOf(
      `Uint8Array.prototype.evil = 1; Object.getPrototypeOf(Uint8Array.prototype).evil = 1; ArrayBuffer.prototype.evil = 1;
       TypeError.prototype.name = 'Evil'; WeakSet.prototype.evil = 1; BigInt.prototype.evil = 1; DataView.prototype.evil = 1;
       Object.getPrototypeOf(function* () {}).evil = 1; Object.getPrototypeOf(async () => {}).evil = 1;
       Map.groupBy = () => 'evil'; Error.captureStackTrace = () => 'evil'; Proxy.evil = 1; WeakRef.prototype.evil = 1;
       FinalizationRegistry.prototype.evil = 1; Function.evil = 1; Iterator.from = () => 'evil';`,
    );
    const logs = await logsOf(
      `const seen = [new Uint8Array(1).evil, new Int8Array(1).evil, new ArrayBuffer(1).evil, new WeakSet().evil, (1n).evil,
         new DataView(new ArrayBuffer(1)).evil, (function* () {}).evil, (async () => {}).evil, Proxy.evil,
         new WeakRef({}).evil, FinalizationRegistry.prototype.evil, Function.evil];
       console.log(seen.filter((v) => v !== undefined).length, new TypeError('t').name, Map.groupBy([1], () => 'k').get('k').length,
         typeof Error.captureStackTrace, typeof Iterator.from([1]).next);`,
    );
    expect(logs).toEqual(['0 TypeError 1 undefined function']);
  });

  it('still lets code subclass the other intrinsics and override their methods on its own objects', async () => {
    const logs = await logsOf(
      `class NotFound extends TypeError { constructor(m) { super(m); this.name = 'NotFound'; } }
       class Bytes extends Uint8Array {}
       Bytes.prototype.slice = function () { return 'own slice'; };
       const b = new Bytes(2); b.toString = () => 'own toString';
       console.log(String(new NotFound('x')), b.slice(), String(b), Buffer.from('hi').slice(0, 1).toString(), new Uint8Array([1, 2]).slice(1)[0]);`,
    );
    expect(logs).toEqual(['NotFound: x own slice own toString h 2']);
  });

  it('restores replaced, added and symbol-keyed globals and the global prototype for the next run', async () => {
    await logsOf(
      `Map = null; JSON = { parse: () => 'evil' }; globalThis.helper = 1; globalThis[Symbol.for('leak')] = 'secret';
       Object.setPrototypeOf(globalThis, { injected: true });`,
    );
    const logs = await logsOf(
      `console.log(typeof Map, JSON.parse('2'), typeof helper, String(globalThis[Symbol.for('leak')]), typeof injected);`,
    );
    expect(logs).toEqual(['function 2 undefined undefined undefined']);
  });

  it.each([
    ['an implicit global', `added = 1;`],
    ['a var of an indirect eval', `(0, eval)('var added = 1');`],
    ['a function of an indirect eval', `(0, eval)('function added() {}');`],
    ['__defineGetter__', `globalThis.__defineGetter__('added', () => 1);`],
    ['a symbol key', `globalThis[Symbol.for('added')] = 1; globalThis.added = 1;`],
    ['Object.defineProperty (not enumerable)', `Object.defineProperty(globalThis, 'added', { value: 1 });`],
    ['Object.defineProperties (not enumerable)', `Object.defineProperties(globalThis, { added: { get: () => 1 } });`],
    ['Reflect.defineProperty (not enumerable)', `Reflect.defineProperty(globalThis, 'added', { value: 1 });`],
    ['Object.assign', `Object.assign(globalThis, { added: 1 });`],
  ])('removes a global added with %s before the next run', async (_how, script) => {
    expect(await logsOf(`${script} console.log(typeof added);`)).not.toEqual(['undefined']);
    expect(await logsOf(`console.log(typeof added, Object.getOwnPropertyNames(globalThis).includes('added'));`)).toEqual([
      'undefined false',
    ]);
  });

  it('removes a setter-only global added with __defineSetter__ before the next run', async () => {
    const has = `console.log(Object.getOwnPropertyNames(globalThis).includes('added'));`;
    expect(await logsOf(`globalThis.__defineSetter__('added', () => {}); ${has}`)).toEqual(['true']);
    expect(await logsOf(has)).toEqual(['false']);
  });

  it('never calls a getter a script put on the global object while looking for added globals', async () => {
    for (const define of [
      `globalThis.__defineGetter__('trap', () => { throw new Error('the getter ran'); });`,
      `Object.defineProperty(globalThis, 'trap', { get() { throw new Error('the getter ran'); }, enumerable: true, configurable: true });`,
    ]) {
      expect(await logsOf(`${define} console.log('defined');`)).toEqual(['defined']);
      expect(await logsOf(`console.log(typeof trap);`)).toEqual(['undefined']);
    }
  });

  it('keeps the wrapped legacy accessor functions faithful to the originals', async () => {
    const logs = await logsOf(
      `const o = {}; o.__defineGetter__('a', () => 1); o.__defineSetter__('b', function (v) { this.seen = v; }); o.b = 2;
       console.log(o.a, o.seen, Object.keys(o).join(','), o.__lookupGetter__('a')(), ({}).__defineGetter__.name, ({}).__defineGetter__.length,
         ({}).__defineSetter__.name, ({}).__defineSetter__.length, o.__defineGetter__('c', () => 3));
       let threw = false; try { ({}).__defineGetter__('x', 1); } catch (e) { threw = e instanceof TypeError; }
       console.log(threw);`,
    );
    expect(logs).toEqual(['1 2 a,b,seen 1 __defineGetter__ 2 __defineSetter__ 2 undefined', 'true']);
  });

  it('keeps the wrapped define functions faithful to the originals', async () => {
    const logs = await logsOf(
      `const o = {}; const r = Object.defineProperty(o, 'a', { value: 1, enumerable: true });
       Object.defineProperties(o, { b: { value: 2, enumerable: true } });
       console.log(r === o, JSON.stringify(o), Reflect.defineProperty(Object.freeze({}), 'x', { value: 1 }),
         Object.defineProperty.name, Object.defineProperty.length, Object.defineProperties.length, Reflect.defineProperty.name);
       let threw = false; try { Object.defineProperty(1, 'x', {}); } catch (e) { threw = e instanceof TypeError; }
       console.log(threw);`,
    );
    expect(logs).toEqual(['true {"a":1,"b":2} false defineProperty 3 2 defineProperty', 'true']);
  });

  it('starts a fresh context after a script made the global object non-extensible', async () => {
    await logsOf(`globalThis.kept = 1; Object.preventExtensions(globalThis);`);
    const logs = await logsOf(`leak = 2; console.log(typeof kept, leak, Object.isExtensible(globalThis));`);
    expect(logs).toEqual(['undefined 2 true']);
    expect(await logsOf(`pm.test('chai still loads', () => pm.expect(typeof leak).to.equal('undefined')); console.log('ok');`)).toEqual([
      'ok',
    ]);
  });
});
