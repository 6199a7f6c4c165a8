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
  return outcome.logs.map((log) => log.message);
}

// Newman 6.2.2 shares the libraries between the scripts of a run, changes included: after a script set
// `require('lodash').map = () => 1`, the next script's `_.map` returned 1. Here the change lasts for
// the script that made it only.
describe('require: a script cannot change a bundled library for the next', () => {
  const mutate = `const _l = require('lodash');
    _l.map = () => 1; _l.extraProp = 5; delete _l.filter;
    _l.mixin({ double: (x) => x * 2 });
    require('crypto-js').MD5 = () => 'x';
    pm.require('uuid').v4 = () => 'same';
    require('moment').utc = () => 'broken';
    Object.defineProperty(CryptoJS, 'SHA1', { value: () => 'y', configurable: true });
    console.log(_l.map([1], (x) => x), _.double(2), _.extraProp, typeof _.filter, CryptoJS.MD5('a'), require('uuid').v4(), require('moment').utc(), CryptoJS.SHA1('a'));`;
  const check = `console.log(JSON.stringify(require('lodash').map([1, 2], (x) => x * 2)), typeof _.filter, _.extraProp, typeof _.double,
    require('crypto-js').MD5('').toString(), String(CryptoJS.SHA1('')).slice(0, 6), require('uuid').v4() === 'same', require('moment').utc(0).format('YYYY'));`;
  const intact = '[2,4] function undefined undefined d41d8cd98f00b204e9800998ecf8427e da39a3 false 1970';

  it('keeps a change for the script that made it and undoes it for the next', async () => {
    expect(await logsOf(mutate)).toEqual(['1 4 5 undefined x same broken y']);
    expect(await logsOf(check)).toEqual([intact]);
    // tv4 keeps its last result on itself, for the script that validated.
    expect(await logsOf(`tv4.validate(1, { type: 'string' }); console.log(tv4.error !== null, tv4.valid);`)).toEqual(['true false']);
    expect(await logsOf(`console.log(tv4.error);`)).toEqual(['null']);
  });

  it('refuses to freeze a library; a property defined non-configurable gets the next script a fresh context', async () => {
    const frozen = await sandbox.run(`Object.freeze(require('lodash'));`, fakeContext());
    expect(frozen.error?.message).toContain('TypeError');
    expect(
      await logsOf(
        `Object.defineProperty(require('lodash'), 'map', { value: () => 1, configurable: false }); console.log(_.map([1], (x) => x));`,
      ),
    ).toEqual(['1']);
    expect(await logsOf(check)).toEqual([intact]);
  });
});

describe('require', () => {
  it('loads crypto-js and computes a known HMAC-SHA256', async () => {
    // RFC 4231 test case 2.
    expect(
      await logsOf(`const CryptoJS = require('crypto-js');
      console.log(CryptoJS.HmacSHA256('what do ya want for nothing?', 'Jefe').toString(CryptoJS.enc.Hex));
      console.log(CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse('hi')));
      console.log(CryptoJS.MD5('').toString());`),
    ).toEqual(['5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'aGk=', 'd41d8cd98f00b204e9800998ecf8427e']);
  });

  it('loads lodash, moment, uuid and chai', async () => {
    const [chunks, date, uuid, chai] = await logsOf(`
      console.log(JSON.stringify(require('lodash').chunk([1, 2, 3], 2)));
      console.log(require('moment').utc('2024-02-29T10:00:00Z').add(1, 'day').format('YYYY-MM-DD'));
      console.log(require('uuid').v4());
      console.log(typeof require('chai').expect);`);
    expect(chunks).toBe('[[1,2],[3]]');
    expect(date).toBe('2024-03-01');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(chai).toBe('function');
  });

  it("makes require('uuid') callable, as Postman's sandbox does (uuid() is a v4), with uuid's own functions on it", async () => {
    const [called, v4, validated, version] = await logsOf(`
      const uuid = require('uuid');
      console.log(uuid());
      console.log(uuid.v4());
      console.log(uuid.validate(uuid()));
      console.log(uuid.version(uuid.v1()));`);
    const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(called).toMatch(V4);
    expect(v4).toMatch(V4);
    expect(validated).toBe('true');
    expect(version).toBe('1');
  });

  it('loads ajv, tv4, csv-parse/sync, cheerio and xml2js', async () => {
    expect(
      await logsOf(`
      const Ajv = require('ajv');
      console.log(new Ajv().validate({ type: 'integer' }, 3));
      console.log(require('tv4').validate({ a: 1 }, { properties: { a: { type: 'string' } } }));
      console.log(JSON.stringify(require('csv-parse/sync').parse('a,b\\n1,2', { columns: true })));
      console.log(require('cheerio').load('<ul><li class="x">one</li></ul>')('.x').text());
      require('xml2js').parseString('<root><item id="1">v</item></root>', (error, result) => console.log(JSON.stringify(result)));`),
    ).toEqual(['true', 'false', '[{"a":"1","b":"2"}]', 'one', '{"root":{"item":[{"_":"v","$":{"id":"1"}}]}}']);
  });

  it("loads csv-parse/lib/sync, the name Postman's sandbox documents: its export is the parse function", async () => {
    expect(
      await logsOf(`
      const parse = require('csv-parse/lib/sync');
      console.log(JSON.stringify(parse('a,b\\n1,2\\n\\n3,4', { columns: true, skip_empty_lines: true })));
      console.log(JSON.stringify(parse('x;y', { delimiter: ';' })), parse === require('csv-parse/lib/sync'));`),
    ).toEqual(['[{"a":"1","b":"2"},{"a":"3","b":"4"}]', '[["x","y"]] true']);
  });

  it('provides atob and btoa as globals and as modules', async () => {
    expect(await logsOf(`console.log(btoa('user:pass'), atob('dXNlcjpwYXNz'), require('btoa')('a'), require('atob')('YQ=='));`)).toEqual([
      'dXNlcjpwYXNz user:pass YQ== a',
    ]);
  });

  it('returns the same module instance on every require', async () => {
    expect(await logsOf(`console.log(require('lodash') === require('lodash'));`)).toEqual(['true']);
  });

  it('refuses node modules and paths', async () => {
    for (const name of ['fs', 'child_process', './local.js', 'http']) {
      const outcome = await sandbox.run(`require('${name}');`, fakeContext());
      expect(outcome.error?.code).toBe('SORTIE_SCRIPT');
      expect(outcome.error?.message).toContain(`Cannot find module '${name}'`);
    }
  });
});
