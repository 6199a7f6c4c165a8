import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type ScriptRequest } from '../src/index.js';
import { FakeVariables, fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

function request(): ScriptRequest {
  return {
    method: 'POST',
    url: 'https://api.test:8443/v1/items?limit=10&debug',
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Old', 'yes'],
    ],
    body: '{"a":1}',
  };
}

describe('pm.request', () => {
  it('exposes method, url parts, headers and body', async () => {
    const outcome = await sandbox.run(
      `const r = pm.request;
       pm.test('method', () => pm.expect(r.method).to.equal('POST'));
       pm.test('url', () => pm.expect(r.url.toString()).to.equal('https://api.test:8443/v1/items?limit=10&debug'));
       pm.test('url parts', () => {
         pm.expect(r.url.getHost()).to.equal('api.test');
         pm.expect(r.url.port).to.equal('8443');
         pm.expect(r.url.getPath()).to.equal('/v1/items');
         pm.expect(r.url.query.get('limit')).to.equal('10');
       });
       pm.test('string concat', () => pm.expect('' + r.url).to.contain('/v1/items'));
       pm.test('header lookup ignores case', () => pm.expect(r.headers.get('content-type')).to.equal('application/json'));
       pm.test('body', () => pm.expect(JSON.parse(r.body.raw)).to.eql({ a: 1 }));`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.assertions).toHaveLength(6);
  });

  it('returns the mutations of a pre-request script as the request to send', async () => {
    const outcome = await sandbox.run(
      `pm.request.headers.add({ key: 'X-Trace', value: 'abc' });
       pm.request.headers.upsert({ key: 'content-type', value: 'text/plain' });
       pm.request.headers.remove('X-Old');
       pm.request.url.query.upsert({ key: 'limit', value: '50' });
       pm.request.method = 'PUT';
       pm.request.body.update('plain text');`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.request).toEqual({
      method: 'PUT',
      url: 'https://api.test:8443/v1/items?limit=50&debug',
      headers: [
        ['Content-Type', 'text/plain'],
        ['X-Trace', 'abc'],
      ],
      body: 'plain text',
    });
  });

  it('accepts a new url string and a new body object', async () => {
    const outcome = await sandbox.run(
      `pm.request.url = 'http://other.test/path?x=1';
       pm.request.body = { mode: 'raw', raw: JSON.stringify({ b: 2 }) };
       pm.request.addHeader('Authorization: Bearer t');`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.request?.url).toBe('http://other.test/path?x=1');
    expect(outcome.request?.body).toBe('{"b":2}');
    expect(outcome.request?.headers).toContainEqual(['Authorization', 'Bearer t']);
  });

  it('adds and removes query parameters and walks the headers through the Request methods, as postman-collection does', async () => {
    const outcome = await sandbox.run(
      `pm.request.addQueryParams('page=2&sort=name');
       pm.request.addQueryParams([{ key: 'q', value: 'a b' }]);
       pm.request.removeQueryParams('debug');
       pm.request.removeQueryParams([{ key: 'sort' }]);
       const seen = [];
       pm.request.forEachHeader((header, req) => seen.push(header.key + '=' + header.value + (req === pm.request)));
       pm.test('each header', () => pm.expect(seen).to.eql(['Content-Type=application/jsontrue', 'X-Old=yestrue']));`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.assertions).toHaveLength(1);
    expect(outcome.request?.url).toBe('https://api.test:8443/v1/items?limit=10&page=2&q=a b');
  });

  it('hands back the request unchanged when a pre-request script does not touch it', async () => {
    const outcome = await sandbox.run(`const x = 1;`, fakeContext({ eventName: 'prerequest', request: request() }));
    expect(outcome.request).toEqual(request());
  });

  it('does not return a request from a test script', async () => {
    const outcome = await sandbox.run(`pm.request.method = 'DELETE';`, fakeContext({ request: request() }));
    expect(outcome.request).toBeUndefined();
  });

  it('reads query parameters given as "key=value" strings, as Postman does', async () => {
    const outcome = await sandbox.run(
      `pm.request.url.query.add('page=2');
       pm.request.url.addQueryParams(['a=1', { key: 'b', value: '2' }, 'flag']);
       pm.request.url.addQueryParams('c=3&d=');
       pm.request.url.query.upsert('limit=20');`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.request?.url).toBe('https://api.test:8443/v1/items?limit=20&debug&page=2&a=1&b=2&flag&c=3&d=');
  });

  // What Newman 6.2.2 printed for a request with these headers (postman-collection's PropertyList):
  // has/get/one/toObject/each see a disabled header, toObject(true) and toString leave it out, it is not sent.
  it('reads disabled headers as postman-collection does, and does not send them', async () => {
    const outcome = await sandbox.run(
      `const h = pm.request.headers;
       h.add({ key: 'X-Off', value: '2', disabled: true });
       h.add({ key: 'X-Dup', value: 'b', disabled: true });
       const keys = [];
       h.each((x) => keys.push(x.key + (x.disabled ? '(off)' : '')));
       pm.test('has', () => pm.expect([h.has('X-Off'), h.has('x-off', '2'), h.has('X-None')]).to.eql([true, true, false]));
       pm.test('get', () => pm.expect([h.get('X-Off'), h.get('X-Dup'), h.one('X-Off').disabled]).to.eql(['2', 'b', true]));
       pm.test('toObject', () => pm.expect(h.toObject()).to.eql({ 'content-type': 'application/json', 'x-dup': ['a', 'b'], 'x-off': '2' }));
       pm.test('toObject(true)', () => pm.expect(h.toObject(true)).to.eql({ 'content-type': 'application/json', 'x-dup': 'a' }));
       pm.test('each', () => pm.expect(keys).to.eql(['Content-Type', 'X-Dup', 'X-Off(off)', 'X-Dup(off)']));
       pm.test('count', () => pm.expect(h.count()).to.equal(4));
       h.upsert({ key: 'X-Off', value: '3' });
       pm.test('upsert keeps it disabled', () => pm.expect(h.one('X-Off')).to.include({ value: '3', disabled: true }));
       h.upsert({ key: 'X-Dup', value: 'c', disabled: false });`,
      fakeContext({
        eventName: 'prerequest',
        request: {
          method: 'GET',
          url: 'http://api.test/',
          headers: [
            ['Content-Type', 'application/json'],
            ['X-Dup', 'a'],
          ],
        },
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.assertions).toHaveLength(7);
    expect(outcome.request?.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['X-Dup', 'a'],
      ['X-Dup', 'c'],
    ]);
  });

  it('sends a body updated to urlencoded as a form, its variables resolved', async () => {
    const outcome = await sandbox.run(
      `pm.request.body.update({ mode: 'urlencoded', urlencoded: [
         { key: 'user', value: '{{who}}' },
         { key: 'q', value: 'a b&c=d' },
         { key: 'off', value: 'x', disabled: true },
       ] });
       pm.request.body.urlencoded.add({ key: 'n', value: 1 });
       pm.test('mode', () => pm.expect(pm.request.body.mode).to.equal('urlencoded'));
       pm.variables.set('who', 'ann smith');`,
      fakeContext({
        eventName: 'prerequest',
        request: { method: 'POST', url: 'http://api.test/form', headers: [['X-Old', 'yes']], body: 'x' },
        variables: new FakeVariables(),
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.request).toEqual({
      method: 'POST',
      url: 'http://api.test/form',
      headers: [
        ['X-Old', 'yes'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body: 'user=ann%20smith&q=a%20b%26c%3Dd&n=1',
    });
  });

  it('keeps a Content-Type header the script set over the urlencoded default', async () => {
    const outcome = await sandbox.run(
      `pm.request.body = { mode: 'urlencoded', urlencoded: [{ key: 'a', value: '1' }] };`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.request?.headers).toEqual(request().headers);
    expect(outcome.request?.body).toBe('a=1');
  });

  it('refuses a body mode it cannot send instead of sending no body', async () => {
    const outcome = await sandbox.run(
      `pm.request.body.update({ mode: 'file', file: { src: 'a.bin' } });`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.error?.message).toMatch(/body mode "file" is not supported/);
  });

  it('turns a body into a GraphQL one, its variables given as JSON text sent as an object', async () => {
    const outcome = await sandbox.run(
      `pm.request.body.update({ mode: 'graphql', graphql: { query: '{ a }', variables: '{"id": 1}' } });
       pm.test('mode', () => pm.expect(pm.request.body.mode).to.equal('graphql'));`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.request?.graphql).toEqual({ query: '{ a }', variables: { id: 1 } });
    expect(outcome.request?.body).toBeUndefined();
  });
});

describe('pm.request.body of a form', () => {
  function formRequest(form: ScriptRequest['form']): ScriptRequest {
    return { method: 'POST', url: 'http://api.test/form', headers: [['X-Old', 'yes']], ...(form === undefined ? {} : { form }) };
  }
  const urlencoded = formRequest({
    mode: 'urlencoded',
    fields: [
      { key: 'a', value: 'x y&z' },
      { key: 'sig', value: '{{sig}}' },
      { key: 'a', value: '3' },
    ],
  });

  it('reads a urlencoded body as Newman does (mode, get, has, each, toObject, all, toString)', async () => {
    const outcome = await sandbox.run(
      `const b = pm.request.body;
       pm.test('mode', () => pm.expect(b.mode).to.equal('urlencoded'));
       pm.test('get reads the last of a key', () => pm.expect(b.urlencoded.get('a')).to.equal('3'));
       pm.test('has', () => pm.expect([b.urlencoded.has('sig'), b.urlencoded.has('A')]).to.eql([true, false]));
       const keys = []; b.urlencoded.each((p) => keys.push(p.key + '=' + p.value));
       pm.test('each', () => pm.expect(keys).to.eql(['a=x y&z', 'sig={{sig}}', 'a=3']));
       pm.test('toObject', () => pm.expect(b.urlencoded.toObject()).to.eql({ a: ['x y&z', '3'], sig: '{{sig}}' }));
       pm.test('all', () => pm.expect(b.urlencoded.all().length).to.equal(3));
       pm.test('toString', () => pm.expect(b.toString()).to.equal('a=x y%26z&sig={{sig}}&a=3'));
       pm.test('isEmpty', () => pm.expect(b.isEmpty()).to.equal(false));
       pm.test('raw', () => pm.expect(b.raw).to.equal(undefined));`,
      fakeContext({ eventName: 'prerequest', request: urlencoded }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.assertions).toHaveLength(9);
    // Read only: the fields go back as they came.
    expect(outcome.request).toEqual(urlencoded);
  });

  it('sends back the fields a script upserted, added and removed, as written', async () => {
    const outcome = await sandbox.run(
      `const f = pm.request.body.urlencoded;
       f.upsert({ key: 'sig', value: 'abc' });
       f.add({ key: 'n', value: 1 });
       f.add({ key: 'off', value: 'x', disabled: true });
       f.remove('a');`,
      fakeContext({ eventName: 'prerequest', request: urlencoded }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.request?.body).toBeUndefined();
    expect(outcome.request?.form).toEqual({
      mode: 'urlencoded',
      fields: [
        { key: 'sig', value: 'abc' },
        { key: 'n', value: '1' },
      ],
    });
  });

  it('reads and changes a formdata body, text and file fields', async () => {
    const form = formRequest({
      mode: 'formdata',
      fields: [
        { key: 'name', value: 'ann', type: 'text' },
        { key: 'doc', type: 'file', src: 'files/a.txt', contentType: 'text/plain' },
      ],
    });
    const outcome = await sandbox.run(
      `const b = pm.request.body;
       pm.test('mode', () => pm.expect(b.mode).to.equal('formdata'));
       pm.test('get', () => pm.expect(b.formdata.get('name')).to.equal('ann'));
       pm.test('file field', () => pm.expect(b.formdata.find((p) => p.key === 'doc')).to.include({ type: 'file', src: 'files/a.txt' }));
       pm.test('toString is empty as in Newman', () => pm.expect(b.toString()).to.equal(''));
       pm.test('toJSON', () => pm.expect(JSON.parse(JSON.stringify(b)).mode).to.equal('formdata'));
       b.formdata.upsert({ key: 'name', value: 'bob' });
       b.formdata.add({ key: 'extra', value: 'x' });`,
      fakeContext({ eventName: 'prerequest', request: form }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.assertions).toHaveLength(5);
    expect(outcome.request?.form).toEqual({
      mode: 'formdata',
      fields: [
        { key: 'name', value: 'bob', type: 'text' },
        { key: 'doc', type: 'file', src: 'files/a.txt', contentType: 'text/plain' },
        { key: 'extra', value: 'x' },
      ],
    });
  });

  it('a file field without src is a script error naming the field, not a request for a file named ""', async () => {
    const form = formRequest({ mode: 'formdata', fields: [{ key: 'a', value: '1', type: 'text' }] });
    const outcome = await sandbox.run(
      `pm.request.body.formdata.add({ key: 'f', type: 'file' });`,
      fakeContext({ eventName: 'prerequest', request: form }),
    );
    expect(outcome.error?.message).toMatch(/form-data file field "f" names no file \(src\)/);
  });

  it('sends a form replaced by raw text as text', async () => {
    const outcome = await sandbox.run(`pm.request.body = 'plain';`, fakeContext({ eventName: 'prerequest', request: urlencoded }));
    expect(outcome.request?.form).toBeUndefined();
    expect(outcome.request?.body).toBe('plain');
  });
});
