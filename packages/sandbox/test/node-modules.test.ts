/**
 * The Node modules scripts may require besides the bundled libraries — querystring, util, buffer
 * (url: url.test.ts; path, assert, events, string_decoder, punycode, timers, stream:
 * node-modules-extra.test.ts) — checked against Node's own on the same inputs; the loading of all
 * Node modules on first use; and their protection against changes that would leak into later runs.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import querystring from 'node:querystring';
import { format, inspect } from 'node:util';
import { ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, DEFAULT_LIBRARIES_DIR, type Sandbox } from '../src/index.js';
import { fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

async function evaluate(expression: string): Promise<unknown> {
  const outcome = await sandbox.run(`console.log(JSON.stringify(${expression}));`, fakeContext());
  expect(outcome.error?.message).toBeUndefined();
  return JSON.parse(outcome.logs[0]?.message ?? 'null');
}

describe("require('querystring')", () => {
  it('parses and stringifies like Node', async () => {
    const texts = ['a=1&a=2&b=x+y', 'k=%E2%82%AC&empty=&flag', 'bad=%E2%82&c=%zz', 'x:1;y:2'];
    const objects = [{ a: [1, 2], b: 'x y', c: true, d: null, e: Number.NaN, f: "!'()*~" }, { 'é&=': 'v/w?' }];
    const guest = await evaluate(`(() => {
      const qs = require('querystring');
      return [
        ${JSON.stringify(texts.slice(0, 3))}.map((t) => Object.assign({}, qs.parse(t))),
        Object.assign({}, qs.parse(${JSON.stringify(texts[3])}, ';', ':')),
        Object.assign({}, qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 })),
        [{ a: [1, 2], b: 'x y', c: true, d: null, e: NaN, f: "!'()*~" }, ${JSON.stringify(objects[1])}].map((o) => qs.stringify(o)),
        qs.stringify({ a: 1, b: 2 }, ';', ':'),
        [qs.escape('a b&c'), qs.unescape('a%20b%26c'), qs.decode === qs.parse, qs.encode === qs.stringify],
      ];
    })()`);
    expect(guest).toEqual([
      texts.slice(0, 3).map((t) => ({ ...querystring.parse(t) })),
      { ...querystring.parse(texts[3] as string, ';', ':') },
      { ...querystring.parse('a=1&b=2&c=3', undefined, undefined, { maxKeys: 2 }) },
      objects.map((o) => querystring.stringify(o as querystring.ParsedUrlQueryInput)),
      querystring.stringify({ a: 1, b: 2 }, ';', ':'),
      [querystring.escape('a b&c'), querystring.unescape('a%20b%26c'), true, true],
    ]);
  });
});

describe("require('util')", () => {
  it('formats like Node for the common specifiers', async () => {
    const guest = await evaluate(`(() => {
      const { format } = require('util');
      return [
        format('%s is %d years and %i days, %f%%', 'Ann', 42.5, '7.9', '1.5'),
        format('%j %s', { a: [1, 'x'] }, -0),
        format('%s', 'only', 'extra', 3, { k: 'v' }),
        format('no specifiers'),
        format(1, 'two', [3]),
        format('%s %s', 'missing'),
      ];
    })()`);
    expect(guest).toEqual([
      format('%s is %d years and %i days, %f%%', 'Ann', 42.5, '7.9', '1.5'),
      format('%j %s', { a: [1, 'x'] }, -0),
      format('%s', 'only', 'extra', 3, { k: 'v' }),
      format('no specifiers'),
      format(1, 'two', [3]),
      format('%s %s', 'missing'),
    ]);
  });

  it('inspects values on one line in Node’s notation', async () => {
    const guest = await evaluate(`(() => {
      const { inspect } = require('util');
      class Point { constructor() { this.x = 1; } }
      const circular = { name: 'c' }; circular.self = circular;
      return [
        inspect({ a: [1, { b: { c: { d: 1 } } }], 'x-y': "it's", n: null, u: undefined }),
        inspect(new Map([['k', 1]])), inspect(new Set([1, 'a'])), inspect(new Point()), inspect([]), inspect({}),
        inspect('str'), inspect(10n), inspect(-0), inspect(Symbol('s')), inspect(function named() {}), inspect(() => 1),
        inspect(new Date(0)), inspect(/x/g), inspect(new Uint8Array([1, 2])), inspect({ a: { b: { c: {} } } }, { depth: 0 }),
        inspect(circular), inspect(Object.create(null)),
      ];
    })()`);
    class Point {
      x = 1;
    }
    expect(guest).toEqual([
      inspect({ a: [1, { b: { c: { d: 1 } } }], 'x-y': "it's", n: null, u: undefined }),
      inspect(new Map([['k', 1]])),
      inspect(new Set([1, 'a'])),
      inspect(new Point()),
      inspect([]),
      inspect({}),
      inspect('str'),
      inspect(10n),
      inspect(-0),
      inspect(Symbol('s')),
      inspect(function named() {}),
      inspect(() => 1),
      inspect(new Date(0)),
      inspect(/x/g),
      inspect(new Uint8Array([1, 2])),
      inspect({ a: { b: { c: {} } } }, { depth: 0 }),
      "{ name: 'c', self: [Circular *1] }",
      inspect(Object.create(null)),
    ]);
  });

  it('provides inherits, promisify, types and the legacy checks', async () => {
    const outcome = await sandbox.run(
      `const util = require('util');
       function Animal() {} Animal.prototype.speak = function () { return 'sound'; };
       function Dog() {} util.inherits(Dog, Animal);
       const read = util.promisify((value, callback) => setTimeout(() => callback(null, value * 2), 1));
       console.log(new Dog().speak(), Dog.super_ === Animal, await read(21));
       console.log(util.types.isDate(new Date()), util.types.isRegExp('x'), util.isArray([]), util.isString(1), util.isPrimitive(null));`,
      fakeContext(),
    );
    expect(outcome.error?.message).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual(['sound true 42', 'true false true false true']);
  });
});

describe('Buffer', () => {
  it('converts between utf8, hex and base64 like Node', async () => {
    const guest = await evaluate(`(() => [
      Buffer.from('héllo €').toString('base64'),
      Buffer.from('héllo €').toString('hex'),
      Buffer.from('aMOpbGxvIOKCrA==', 'base64').toString('utf8'),
      Buffer.from('68c3a96c6c6f', 'hex').toString(),
      Buffer.byteLength('héllo €'), Buffer.byteLength('aGk=', 'base64'),
      Buffer.concat([Buffer.from('ab'), Buffer.from([0x63])]).toString(),
      Buffer.isBuffer(Buffer.alloc(2)), Buffer.from('abc').equals(Buffer.from('abc')),
      Array.from(Buffer.from('hi')), Buffer.from('hi').toJSON(),
      require('util').inspect(Buffer.from('hi')),
      require('buffer').Buffer === Buffer, require('node:buffer').Buffer === Buffer,
    ])()`);
    expect(guest).toEqual([
      Buffer.from('héllo €').toString('base64'),
      Buffer.from('héllo €').toString('hex'),
      'héllo €',
      'héllo',
      Buffer.byteLength('héllo €'),
      Buffer.byteLength('aGk=', 'base64'),
      'abc',
      true,
      true,
      [104, 105],
      Buffer.from('hi').toJSON(),
      inspect(Buffer.from('hi')),
      true,
      true,
    ]);
  });

  it('works with crypto-js signatures as Postman scripts combine them', async () => {
    expect(
      await evaluate(`(() => {
        const CryptoJS = require('crypto-js');
        const hex = CryptoJS.HmacSHA256('what do ya want for nothing?', 'Jefe').toString();
        return Buffer.from(hex, 'hex').toString('base64');
      })()`),
    ).toBe('W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=');
  });
});

describe('Node module loading and protection', () => {
  it('lists the available modules and still refuses the others', async () => {
    for (const name of ['fs', 'child_process', 'node:fs', 'node:http', 'timers/promises']) {
      const outcome = await sandbox.run(`require('${name}');`, fakeContext());
      expect(outcome.error?.message).toContain(
        `Cannot find module '${name}' (available: ajv, assert, atob, btoa, buffer, chai, cheerio, crypto-js, csv-parse/lib/sync, csv-parse/sync, ` +
          'events, ' +
          'lodash, moment, path, punycode, querystring, stream, string_decoder, timers, tv4, url, util, uuid, xml2js)',
      );
    }
  });

  it('gives every Node module with and without the node: prefix', async () => {
    const names = ['assert', 'buffer', 'events', 'path', 'punycode', 'querystring', 'stream', 'string_decoder', 'timers', 'url', 'util'];
    expect(
      await evaluate(`${JSON.stringify(names)}.map((name) => [typeof require(name), require('node:' + name) === require(name)])`),
    ).toEqual(names.map((name) => [['assert', 'events', 'stream'].includes(name) ? 'function' : 'object', true]));
    const outcome = await sandbox.run(`require('node:lodash');`, fakeContext());
    expect(outcome.error?.message).toContain("Cannot find module 'node:lodash'");
  });

  it('reads the bundle of a Node module only on its first require, and xml2js needs only events besides its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-libs-'));
    for (const file of ['xml2js.js', 'events.js']) copyFileSync(join(DEFAULT_LIBRARIES_DIR, file), join(dir, file));
    const isolated = await createSandbox({ librariesDir: dir });
    try {
      const parsed = await isolated.run(
        `require('xml2js').parseString('<a><b>1</b></a>', (error, value) => console.log(JSON.stringify(value)));
         console.log(await require('timers').promises.setTimeout(1, 'timers are built in'));`,
        fakeContext(),
      );
      expect(parsed.error).toBeUndefined();
      expect(parsed.logs.map((l) => l.message)).toEqual(['{"a":{"b":["1"]}}', 'timers are built in']);
      for (const name of ['path', 'assert', 'string_decoder', 'punycode', 'stream']) {
        const outcome = await isolated.run(`require('${name}');`, fakeContext());
        expect(outcome.error?.message).toContain(`the bundle of "${name}" is missing`);
      }
    } finally {
      isolated.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the Buffer bundle only when a script first uses Buffer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-libs-'));
    copyFileSync(join(DEFAULT_LIBRARIES_DIR, 'chai.js'), join(dir, 'chai.js'));
    const isolated = await createSandbox({ librariesDir: dir });
    try {
      const plain = await isolated.run(
        `pm.test('status', () => pm.expect(1).to.equal(1)); console.log(new URL('http://h/?a=1').searchParams.get('a'), new TextEncoder().encode('é').length);`,
        fakeContext(),
      );
      expect(plain.error).toBeUndefined();
      expect(plain.logs.map((l) => l.message)).toEqual(['1 2']);
      const withBuffer = await isolated.run(`Buffer.from('x');`, fakeContext());
      expect(withBuffer.error?.message).toContain('the bundle of "buffer" is missing');
    } finally {
      isolated.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bundle the installation lacks is the run's error (SORTIE_NOT_INSTALLED) even when the script catches it, and the next run starts clean", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-libs-'));
    const isolated = await createSandbox({ librariesDir: dir });
    try {
      // pm.test catches what pm.expect throws (chai's bundle missing), a script may catch require's own throw.
      const caught = await isolated.run(
        `pm.test('status', () => pm.expect(1).to.equal(1));
         try { require('lodash'); } catch (error) { console.log('caught: ' + error.message); }`,
        fakeContext(),
      );
      expect(caught.error?.code).toBe(ErrorCode.NOT_INSTALLED);
      expect(caught.error?.title).toBe('Incomplete installation');
      expect(caught.error?.message).toBe(`the sortie package lacks ${join(dir, 'chai.js')}: the bundle of "chai" is missing`);
      expect(caught.error?.hint).toContain('install sortie again');
      expect(caught.assertions.map((a) => [a.name, a.passed])).toEqual([['status', false]]);
      expect(caught.logs.map((l) => l.message)).toEqual([
        `caught: the sortie package lacks ${join(dir, 'lodash.js')}: the bundle of "lodash" is missing`,
      ]);
      const uncaught = await isolated.run(`require('moment');`, fakeContext());
      expect(uncaught.error?.code).toBe(ErrorCode.NOT_INSTALLED);
      expect(uncaught.error?.message).toContain('the bundle of "moment" is missing');
      // A later run that needs no bundle is not marked.
      const plain = await isolated.run(`console.log(require('querystring').stringify({ a: 1 }));`, fakeContext());
      expect(plain.error).toBeUndefined();
      expect(plain.logs.map((l) => l.message)).toEqual(['a=1']);
    } finally {
      isolated.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the modules and their classes unchanged for the next run while scripts still override on their own objects', async () => {
    const first = await sandbox.run(
      `URL.prototype.toString = () => 'evil';
       URLSearchParams.prototype.get = () => 'evil';
       Buffer.prototype.toString = () => 'evil';
       TextEncoder.prototype.encode = () => 'evil';
       require('util').format = () => 'evil';
       require('querystring').stringify = null;
       require('url').URL.canParse = () => 'evil';
       try { Object.defineProperty(URL.prototype, 'href', { get: () => 'evil' }); } catch (e) { console.log(e instanceof TypeError); }
       const own = new URL('http://h/'); own.toString = () => 'mine';
       class Tagged extends URL { toString() { return 'tagged'; } }
       console.log(String(own), String(new Tagged('http://h/')), String(new URL('http://h/x')));
       URL = function Fake() {};`,
      fakeContext(),
    );
    expect(first.error?.message).toBeUndefined();
    expect(first.logs.map((l) => l.message)).toEqual(['true', 'mine tagged http://h/x']);
    expect(
      await evaluate(`[String(new URL('http://h/y')), new URLSearchParams('a=1').get('a'), Buffer.from('ok').toString(),
        Array.from(new TextEncoder().encode('a')), require('util').format('%d', 1), require('querystring').stringify({ a: 1 }),
        URL.canParse('x'), URL.name]`),
    ).toEqual(['http://h/y', '1', 'ok', [97], '1', 'a=1', false, 'URL']);
  });

  it('keeps path, assert, events, string_decoder, punycode, timers and stream unchanged for the next run', async () => {
    const first = await sandbox.run(
      `'use strict';
       const attempts = [
         () => { require('path').join = () => 'evil'; },
         () => { require('path').posix.sep = '\\\\'; },
         () => { require('assert').strictEqual = () => {}; },
         () => { require('assert').AssertionError.prototype.toString = () => 'evil'; },
         () => { require('events').prototype.emit = () => 'evil'; },
         () => { require('events').defaultMaxListeners = 1; },
         () => { require('string_decoder').StringDecoder.prototype.write = () => 'evil'; },
         () => { require('punycode').toASCII = () => 'evil'; },
         () => { require('punycode').ucs2.decode = () => 'evil'; },
         () => { require('timers').setTimeout = () => 'evil'; },
         () => { require('timers').promises.setTimeout = () => 'evil'; },
         () => { require('stream').Readable.prototype.pipe = () => 'evil'; },
         () => { require('stream').Writable = function Fake() {}; },
         () => { require('stream').promises.pipeline = () => 'evil'; },
       ];
       console.log(attempts.map((attempt) => { try { attempt(); return 'changed'; } catch (e) { return e.constructor.name; } }).join(' '));`,
      fakeContext(),
    );
    expect(first.error?.message).toBeUndefined();
    // Assigning over a prototype's method is ignored (it stays assignable on instances), as for the intrinsics.
    expect(first.logs[0]?.message).toBe(
      'TypeError TypeError TypeError changed changed TypeError changed TypeError TypeError TypeError TypeError changed TypeError TypeError',
    );
    expect(
      await evaluate(`(() => {
        const e = new (require('events'))();
        e.on('x', () => {});
        return [require('path').join('a', 'b'), require('path').sep, typeof require('assert').strictEqual(1, 1), String(new (require('assert').AssertionError)({ message: 'm' })),
          e.emit('x'), require('events').defaultMaxListeners, new (require('string_decoder').StringDecoder)().write(Buffer.from('ok')),
          require('punycode').toASCII('ñ.com'), require('punycode').ucs2.decode('a'), require('timers').setTimeout === setTimeout,
          typeof require('timers').promises.setTimeout(1).then, typeof require('stream').Readable.prototype.pipe, require('stream').Writable.name, typeof require('stream').promises.pipeline];
      })()`),
    ).toEqual([
      'a/b',
      '/',
      'undefined',
      'AssertionError [ERR_ASSERTION]: m',
      true,
      10,
      'ok',
      'xn--ida.com',
      [97],
      true,
      'function',
      'function',
      'Writable',
      'function',
    ]);
  });

  it('lets scripts subclass the Node classes and override their methods on their own objects', async () => {
    const outcome = await sandbox.run(
      `'use strict';
       const EventEmitter = require('events');
       const { Transform, Writable } = require('stream');
       const util = require('util');
       function Legacy() { EventEmitter.call(this); }
       util.inherits(Legacy, EventEmitter);
       Legacy.prototype.emit = function (name) { return 'own emit ' + name; };
       class Modern extends EventEmitter { emit(name) { return 'class emit ' + name; } }
       const plain = new EventEmitter();
       plain.emit = () => 'instance emit';
       function Upper() { Transform.call(this); }
       util.inherits(Upper, Transform);
       Upper.prototype._transform = function (chunk, encoding, callback) { callback(null, String(chunk).toUpperCase()); };
       const collected = [];
       const sink = new Writable();
       sink._write = (chunk, encoding, callback) => { collected.push(String(chunk)); callback(); };
       await new Promise((resolve) => { sink.on('finish', resolve); const upper = new Upper(); upper.pipe(sink); upper.end('shout'); });
       console.log(new Legacy().emit('a'), '|', new Modern().emit('b'), '|', plain.emit('c'), '|', collected.join(), '|', new EventEmitter().emit('d'));`,
      fakeContext(),
    );
    expect(outcome.error?.message).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual(['own emit a | class emit b | instance emit | SHOUT | false']);
  });
});
