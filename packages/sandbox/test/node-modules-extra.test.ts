/**
 * The Node modules path, assert, events, string_decoder, punycode, timers and stream inside the
 * sandbox: the same script body runs in the sandbox and in Node (with Node's own modules) and the
 * results must match; punycode is checked against RFC 3492's vectors and Node's IDNA functions
 * (Node's own punycode module is deprecated).
 */
import { createRequire } from 'node:module';
import { domainToASCII, domainToUnicode } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

const nodeRequire = createRequire(import.meta.url);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

/** Runs `body` (an async function body returning a JSON value) in the sandbox. */
async function inSandbox(body: string): Promise<unknown> {
  const outcome = await sandbox.run(
    `const result = await (async () => {\n${body}\n})();\nconsole.log(JSON.stringify(result));`,
    fakeContext(),
  );
  expect(outcome.error?.message).toBeUndefined();
  return JSON.parse(outcome.logs.at(-1)?.message ?? 'null');
}

/** Runs `body` in Node with Node's own modules. */
async function inNode(body: string): Promise<unknown> {
  return JSON.parse(JSON.stringify(await new AsyncFunction('require', body)(nodeRequire)));
}

/** Expects `body` to give the same result in the sandbox as in Node, and returns it. */
async function expectSameAsNode(body: string): Promise<unknown> {
  const expected = await inNode(body);
  expect(await inSandbox(body)).toEqual(expected);
  return expected;
}

describe("require('path')", () => {
  it('joins, normalizes, splits and formats paths like Node (POSIX)', async () => {
    const result = await expectSameAsNode(`
      const path = require('path');
      const paths = ['/a/b/c.txt', 'a//b/../c/./d.tar.gz', '/', '', '.', '..', '/a/b/', 'file', '.hidden', 'a/b.', '/x/y/.env.local', '//double'];
      return {
        join: [path.join('/a', 'b', '../c', './d'), path.join('a', '', 'b/'), path.join(), path.join('..', 'x', '../../y')],
        resolve: [path.resolve('/a/b', './c'), path.resolve('/a', '/b', 'c/..', 'd'), path.resolve('/x/y', '..', 'z/')],
        normalize: paths.map((p) => path.normalize(p)),
        relative: [path.relative('/data/orandea/test/aaa', '/data/orandea/impl/bbb'), path.relative('/a/b', '/a/b'), path.relative('/a', '/a/b/c')],
        dirname: paths.map((p) => path.dirname(p)),
        basename: paths.map((p) => path.basename(p)).concat([path.basename('/a/b.html', '.html'), path.basename('/a/b.html', 'b.html')]),
        extname: paths.map((p) => path.extname(p)),
        isAbsolute: paths.map((p) => path.isAbsolute(p)),
        parse: paths.map((p) => path.parse(p)),
        format: [path.format({ root: '/', dir: '/home/user', base: 'file.txt' }), path.format({ name: 'file', ext: '.txt' }), path.format({ root: '/', name: 'x', ext: '.y' })],
        constants: [path.sep, path.delimiter, path.posix === path, path.posix.join('a', 'b'), path.toNamespacedPath('/a/b')],
      };
    `);
    expect((result as { join: string[] }).join[0]).toBe('/a/c/d');
  });

  it("resolves relative paths against '/', the sandbox's working directory", async () => {
    expect(
      await inSandbox(`const path = require('node:path'); return [path.resolve('a/b'), path.resolve(), path.resolve('..', 'x')];`),
    ).toEqual(['/a/b', '/', '/x']);
  });
});

describe("require('assert')", () => {
  const failing = [
    'assert.equal(1, 2)',
    'assert.strictEqual(1, 2)',
    "assert.strictEqual('hello world', 'hello there')",
    'assert.notStrictEqual(1, 1)',
    "assert.notEqual(1, '1')",
    "assert.ok(null, 'must be set')",
    'assert.throws(() => {})',
    "assert.throws(() => { throw new TypeError('x'); }, RangeError)",
    "assert.throws(() => { throw new Error('boom'); }, /bang/)",
    "assert.throws(() => { throw new TypeError('x'); }, (e) => e instanceof RangeError)",
    "assert.doesNotThrow(() => { throw new Error('boom'); })",
    "assert.match('abc', /x/)",
    "assert.doesNotMatch('abc', /b/)",
    "assert.fail('failed here')",
    "assert.ifError(new Error('e'))",
    "assert.strict.equal(1, '1')",
  ];
  const passing = [
    'assert(1)',
    "assert.equal(1, '1')",
    'assert.strictEqual(NaN, NaN)',
    "assert.deepEqual({ a: [1, 2] }, { a: ['1', '2'] })",
    'assert.deepStrictEqual(new Map([[1, { x: [1] }]]), new Map([[1, { x: [1] }]]))',
    'assert.deepStrictEqual(new Set([{ a: 1 }]), new Set([{ a: 1 }]))',
    "assert.throws(() => { throw new TypeError('bad'); }, TypeError)",
    "assert.throws(() => { throw new Error('boom'); }, { message: 'boom' })",
    "assert.throws(() => { throw new Error('boom'); }, /boom/)",
    'assert.doesNotThrow(() => 1)',
    'assert.notDeepStrictEqual({ a: 1 }, { a: 2 })',
  ];
  // Deep comparisons whose outcome must match Node's (their diff layout differs, see below).
  const deep = [
    'assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })',
    "assert.deepStrictEqual([1, 2], ['1', '2'])",
    'assert.deepStrictEqual({ a: undefined }, {})',
    'assert.deepStrictEqual(new Set([1]), new Set([2]))',
    'assert.deepStrictEqual(new Date(0), new Date(1))',
    'assert.deepStrictEqual(Object.create(null), {})',
    "assert.deepEqual({ a: 1 }, { a: '2' })",
    'assert.notDeepStrictEqual({ a: 1 }, { a: 1 })',
  ];

  it('fails with the AssertionError Node throws: same name, code, operator and message', async () => {
    await expectSameAsNode(`
      const assert = require('assert');
      return ${JSON.stringify(failing)}.map((source) => {
        try {
          eval(source);
          return 'passed';
        } catch (e) {
          return [e instanceof assert.AssertionError, e.name, e.code, e.operator, e.message, e.actual === undefined ? null : String(e.actual)];
        }
      });
    `);
  });

  it('passes and fails deep comparisons as Node does', async () => {
    const outcomes = (await expectSameAsNode(`
      const assert = require('assert');
      return ${JSON.stringify([...passing, ...deep])}.map((source) => {
        try {
          eval(source);
          return 'passed';
        } catch (e) {
          return [e.name, e.code, e.operator, e.message.split('\\n')[0].replace(/:.*/, ':')];
        }
      });
    `)) as unknown[];
    expect(outcomes.slice(0, passing.length).every((o) => o === 'passed')).toBe(true);
    expect(outcomes.slice(passing.length).every((o) => o !== 'passed')).toBe(true);
  });

  it('shows the differing values of a failed deep comparison in Node’s notation', async () => {
    expect(
      await inSandbox(`
        const assert = require('assert');
        try { assert.deepStrictEqual(new Set([1]), new Set([2])); } catch (e) { return e.message; }`),
    ).toBe('Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ Set(1) { 1 }\n- Set(1) { 2 }\n           ^');
  });

  it('handles promises with rejects and doesNotReject', async () => {
    await expectSameAsNode(`
      const assert = require('assert');
      const out = [];
      await assert.rejects(Promise.reject(new RangeError('r')), RangeError);
      await assert.doesNotReject(Promise.resolve(1));
      for (const attempt of [() => assert.rejects(Promise.resolve(1)), () => assert.rejects(async () => { throw new TypeError('t'); }, RangeError),
        () => assert.doesNotReject(Promise.reject(new Error('no')))]) {
        try { await attempt(); out.push('passed'); } catch (e) { out.push([e.name, e.operator, e.message]); }
      }
      return out;
    `);
  });

  it('fails a pm.test with the assertion’s message, as in Postman’s docs', async () => {
    const outcome = await sandbox.run(
      `pm.test('equal', () => { const assert = require('assert'); assert.strictEqual(1, 1); });
       pm.test('not equal', () => { const assert = require('assert'); assert.strictEqual(pm.response.code, 201); });
       pm.test('deep', function () { require('assert').deepStrictEqual(pm.response.json(), { id: 2 }); });`,
      fakeContext({ response: fakeResponse({ id: 1 }) }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.map((a) => [a.name, a.passed, a.message, a.expected, a.actual])).toEqual([
      ['equal', true, undefined, undefined, undefined],
      ['not equal', false, 'Expected values to be strictly equal:\n\n200 !== 201\n', 201, 200],
      [
        'deep',
        false,
        'Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ { id: 1 }\n- { id: 2 }\n        ^',
        undefined,
        undefined,
      ],
    ]);
  });
});

describe("require('events')", () => {
  it('adds, runs and removes listeners like Node', async () => {
    await expectSameAsNode(`
      const EventEmitter = require('events');
      const log = [];
      const e = new EventEmitter();
      const a = (x) => log.push('a' + x);
      const b = (x) => log.push('b' + x);
      e.on('ev', a);
      e.once('ev', b);
      e.prependListener('ev', (x) => log.push('first' + x));
      log.push(e.listenerCount('ev'), EventEmitter.listenerCount(e, 'ev'), e.eventNames());
      log.push(e.emit('ev', 1), e.emit('ev', 2), e.emit('none'));
      e.off('ev', a);
      log.push(e.listenerCount('ev'), e.listeners('ev').length, e.rawListeners('ev').length);
      e.on('newListener', (name) => log.push('new ' + name));
      e.on('x', a);
      e.removeAllListeners('ev');
      log.push(e.eventNames(), e.getMaxListeners(), EventEmitter.defaultMaxListeners, EventEmitter.EventEmitter === EventEmitter);
      try { e.emit('error', new Error('no handler')); } catch (error) { log.push('thrown: ' + error.message); }
      e.on('error', (error) => log.push('handled: ' + error.message));
      e.emit('error', new Error('with handler'));
      class Job extends EventEmitter {}
      const job = new Job();
      setTimeout(() => job.emit('done', 42), 1);
      log.push(await EventEmitter.once(job, 'done'), job instanceof EventEmitter);
      return log;
    `);
  });
});

describe("require('string_decoder')", () => {
  it('decodes multi-byte sequences split across writes, base64 and hex like Node', async () => {
    await expectSameAsNode(`
      const { StringDecoder } = require('string_decoder');
      const text = 'a€b😀cé';
      const bytes = Buffer.from(text);
      const out = [];
      for (const size of [1, 2, 3, 5]) {
        const d = new StringDecoder('utf8');
        const parts = [];
        for (let i = 0; i < bytes.length; i += size) parts.push(d.write(bytes.subarray(i, i + size)));
        parts.push(d.end());
        out.push(parts);
      }
      const cut = new StringDecoder('utf-8');
      out.push([cut.write(Buffer.from([0xf0, 0x9f])), cut.end(), cut.write(Buffer.from('ok')), cut.end(Buffer.from([0xe2]))]);
      for (const encoding of ['base64', 'hex', 'utf16le', 'latin1']) {
        const d = new StringDecoder(encoding);
        out.push([d.encoding, d.write(bytes.subarray(0, 1)), d.write(bytes.subarray(1, 5)), d.write(bytes.subarray(5)), d.end()]);
        out.push([d.write(bytes.subarray(0, 1)), d.end(), d.write(bytes.subarray(0, 4)), d.end(bytes.subarray(4, 7))]);
      }
      try { new StringDecoder('nope'); } catch (e) { out.push(e instanceof TypeError, e.code, e.message); }
      return out;
    `);
  });
});

describe("require('punycode')", () => {
  // RFC 3492 §7.1 samples (A Arabic, B Chinese, L, Q and R Japanese) and the classic "München".
  const vectors: [string, string][] = [
    ['\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F', 'egbpdaj6bu4bxfgehfvwxn'],
    ['\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587', 'ihqwcrb4cv8a8dqg056pqjye'],
    ['3\u5E74B\u7D44\u91D1\u516B\u5148\u751F', '3B-ww4c5e180e575a65lsy2b'],
    ['\u30D1\u30D5\u30A3\u30FC\u0064\u0065\u30EB\u30F3\u30D0', 'de-jg4avhby1noc0d'],
    ['\u305D\u306E\u30B9\u30D4\u30FC\u30C9\u3067', 'd9juau41awczczp'],
    ['München', 'Mnchen-3ya'],
    ['mañana', 'maana-pta'],
  ];

  it('encodes and decodes the RFC 3492 samples', async () => {
    expect(
      await inSandbox(`
        const punycode = require('punycode');
        const vectors = ${JSON.stringify(vectors)};
        return vectors.map(([text, code]) => [punycode.encode(text), punycode.decode(code)]);`),
    ).toEqual(vectors.map(([text, code]) => [code, text]));
  });

  it('converts domain names like Node’s IDNA for lower-case names, and keeps ASCII ones', async () => {
    const domains = ['münchen.de', 'bücher.example', 'ñ.com', 'example.com', '例え.テスト'];
    const result = (await inSandbox(`
      const punycode = require('node:punycode');
      const domains = ${JSON.stringify(domains)};
      return [domains.map((d) => punycode.toASCII(d)), domains.map((d) => punycode.toUnicode(punycode.toASCII(d))),
        punycode.toUnicode('xn--mnchen-3ya'), punycode.ucs2.decode('😀a'), punycode.ucs2.encode([0x1f600, 97]), punycode.version];`)) as unknown[];
    expect(result).toEqual([
      domains.map((d) => domainToASCII(d)),
      domains.map((d) => domainToUnicode(domainToASCII(d))),
      'münchen',
      [0x1f600, 97],
      '😀a',
      '2.3.1',
    ]);
  });
});

describe("require('timers')", () => {
  it('is the sandbox’s own timers, with promises like Node’s', async () => {
    await expectSameAsNode(`
      const timers = require('timers');
      const log = [];
      // The timeout is set inside the immediate: a timeout and an immediate set in the same turn fire
      // in either order in Node itself when the machine is busy (the loop may reach its timer phase late).
      const fired = new Promise((resolve) => timers.setImmediate(() => {
        log.push('immediate');
        timers.setTimeout((x) => { log.push('timeout ' + x); resolve(); }, 5, 'a');
      }));
      const cleared = timers.setTimeout(() => log.push('never'), 1);
      timers.clearTimeout(cleared);
      await fired;
      log.push(await timers.promises.setTimeout(10, 'value'));
      log.push(await timers.promises.setImmediate('now'));
      let ticks = 0;
      for await (const v of timers.promises.setInterval(2, 'tick')) {
        log.push(v);
        if (++ticks === 3) break;
      }
      await timers.promises.scheduler.wait(1);
      let n = 0;
      await new Promise((resolve) => { const id = timers.setInterval(() => { if (++n === 2) { timers.clearInterval(id); resolve(); } }, 1); });
      log.push(n, typeof timers.clearImmediate, Object.keys(timers.promises).sort());
      return log;
    `);
    expect(await inSandbox(`const t = require('timers'); return [t.setTimeout === setTimeout, require('node:timers') === t];`)).toEqual([
      true,
      true,
    ]);
  });

  it('counts against the script time limit', async () => {
    const limited = await createSandbox({ timeLimitMs: 300 });
    try {
      const interval = await limited.run(`require('timers').setInterval(() => {}, 10);`, fakeContext({ scriptName: 'ticking' }));
      expect(interval.error?.title).toBe('Script time limit exceeded');
      expect(interval.error?.message).toContain('Script "ticking" exceeded the time limit of 300 ms');
      const awaited = await limited.run(`await require('timers').promises.setTimeout(5000); console.log('late');`, fakeContext());
      expect(awaited.error?.title).toBe('Script time limit exceeded');
      expect(awaited.logs).toEqual([]);
      const iterated = await limited.run(`for await (const _ of require('timers').promises.setInterval(1)) {}`, fakeContext());
      expect(iterated.error?.title).toBe('Script time limit exceeded');
      const next = await limited.run(`console.log(await require('timers').promises.setTimeout(1, 'ok'));`, fakeContext());
      expect(next.error).toBeUndefined();
      expect(next.logs.map((l) => l.message)).toEqual(['ok']);
    } finally {
      limited.dispose();
    }
  });
});

describe("require('stream')", () => {
  it('pipes a Readable through a Transform into a Writable like Node, with its events in Node’s order', async () => {
    await expectSameAsNode(`
      const { Readable, Transform, Writable } = require('stream');
      const chunks = [];
      const events = [];
      const source = Readable.from(['alpha', 'beta', 'gamma']);
      const upper = new Transform({
        transform(chunk, encoding, callback) { events.push('transform ' + chunk); callback(null, String(chunk).toUpperCase()); },
      });
      const sink = new Writable({ write(chunk, encoding, callback) { events.push('write ' + chunk); chunks.push(chunk.toString()); callback(); } });
      source.on('end', () => events.push('source end'));
      source.on('close', () => events.push('source close'));
      upper.on('end', () => events.push('transform end'));
      upper.on('finish', () => events.push('transform finish'));
      sink.on('close', () => events.push('sink close'));
      await new Promise((resolve, reject) => {
        sink.on('finish', () => { events.push('finish'); resolve(); });
        sink.on('error', reject);
        source.pipe(upper).pipe(sink);
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { chunks, events, ended: [source.readableEnded, sink.writableFinished, sink.destroyed] };
    `);
  });

  it('runs pipelines, object mode, async iteration and errors like Node', async () => {
    await expectSameAsNode(`
      const stream = require('stream');
      const { Readable, Writable, PassThrough, Duplex, pipeline } = stream;
      const out = [];
      const collected = [];
      await stream.promises.pipeline(
        Readable.from([1, 2, 3]),
        async function* (source) { for await (const n of source) yield n * 10; },
        new Writable({ objectMode: true, write(n, _, cb) { collected.push(n); cb(); } }),
      );
      out.push(collected);
      const pass = new PassThrough();
      pass.end(Buffer.from('buffered'));
      const read = [];
      for await (const chunk of pass) read.push(chunk.toString());
      out.push(read);
      const manual = new Readable({ read() {} });
      manual.push('x');
      manual.push('y');
      manual.push(null);
      manual.setEncoding('utf8');
      let text = '';
      for await (const chunk of manual) text += chunk;
      out.push(text);
      const failure = await new Promise((resolve) => pipeline(
        new Readable({ read() { this.destroy(new Error('source failed')); } }),
        new PassThrough(),
        (error) => resolve(error && error.message),
      ));
      out.push(failure);
      out.push(new Duplex() instanceof stream.Readable, new PassThrough() instanceof stream.Writable, stream.Stream === stream, typeof stream.finished);
      out.push(await Readable.from(['a', 'b']).map((s) => s + '!').toArray());
      return out;
    `);
  });

  it('fails the script when a stream error has no listener, as an uncaught error would in Node', async () => {
    const outcome = await sandbox.run(
      `const { Readable } = require('stream');\nnew Readable({ read() { this.destroy(new Error('nobody listens')); } }).resume();`,
      fakeContext(),
    );
    expect(outcome.error?.message).toContain('Error: nobody listens');
  });
});
