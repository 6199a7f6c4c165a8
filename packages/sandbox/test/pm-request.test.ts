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
      `pm.request.body.update({ mode: 'formdata', formdata: [{ key: 'a', value: '1' }] });`,
      fakeContext({ eventName: 'prerequest', request: request() }),
    );
    expect(outcome.error?.message).toMatch(/body mode "formdata" is not supported/);
  });
});
