/**
 * Postman's legacy script globals, one test each, as postman-sandbox defines them
 * (lib/sandbox/postman-legacy-interface.js: LEGACY_GLOBS and the `postman` object). Scripts written
 * for Newman use them unchanged: `tests["…"] = responseBody.has("…")`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type ScriptContext } from '../src/index.js';
import { FakeVariables, fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

/** A test-script context with a JSON response, a cookie, a request and variables in each scope. */
function legacyContext(overrides: Partial<ScriptContext> = {}): ScriptContext {
  return fakeContext({
    variables: new FakeVariables({ environment: { host: 'api.test' }, global: { g: '1' }, data: { row: 'r1' }, local: { l: 'x' } }),
    iteration: 2,
    cookies: { theme: 'dark' },
    request: { method: 'POST', url: 'http://api.test/orders', headers: [['Accept', 'application/json']], body: '{"n":1}' },
    response: fakeResponse(
      { id: 7, status: 'created' },
      {
        status: 201,
        statusText: 'Created',
        headers: [
          ['Content-Type', 'application/json'],
          ['Set-Cookie', 'session=abc; Path=/; HttpOnly'],
        ],
      },
    ),
    ...overrides,
  });
}

/** Runs `source` and returns its console lines; fails on a script error. */
async function logsOf(source: string, ctx: ScriptContext = legacyContext()): Promise<string[]> {
  const outcome = await sandbox.run(source, ctx);
  expect(outcome.error?.message).toBeUndefined();
  return outcome.logs.map((line) => line.message);
}

describe('legacy Postman globals', () => {
  it('tests: each key is an assertion, passed when its value is truthy', async () => {
    const outcome = await sandbox.run(`tests['created'] = responseCode.code === 201; tests['wrong'] = 0;`, legacyContext());
    expect(outcome.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['created', true],
      ['wrong', false],
    ]);
  });

  it('responseBody: the body as text, with has(text or RegExp)', async () => {
    const lines = await logsOf(
      `console.log(typeof responseBody, responseBody);
       console.log(responseBody.has('created'), responseBody.has('"id":7'), responseBody.has('deleted'), responseBody.has(/"id":\\d+/), 'a.c'.has('.'), 'abc'.has('.'));`,
    );
    expect(lines).toEqual(['string {"id":7,"status":"created"}', 'true true false true true false']);
  });

  it('responseBody.has in the legacy "body matches string" snippet', async () => {
    const outcome = await sandbox.run(`tests["Body matches string"] = responseBody.has("created");`, legacyContext());
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions).toMatchObject([{ name: 'Body matches string', passed: true }]);
  });

  it('responseCode: code, name and detail', async () => {
    expect(await logsOf(`console.log(JSON.stringify(responseCode));`)).toEqual(['{"code":201,"name":"Created","detail":"Created"}']);
  });

  it('responseHeaders: the headers as an object', async () => {
    expect(await logsOf(`console.log(responseHeaders['Content-Type'], Object.keys(responseHeaders).length);`)).toEqual([
      'application/json 2',
    ]);
  });

  it('responseTime: the response time in ms', async () => {
    expect(await logsOf(`console.log(responseTime);`)).toEqual(['12']);
  });

  it('responseCookies: the Set-Cookie cookies, then the jar cookies of the URL', async () => {
    expect(await logsOf(`console.log(JSON.stringify(responseCookies.map((c) => [c.name, c.value])));`)).toEqual([
      '[["session","abc"],["theme","dark"]]',
    ]);
  });

  it('postman.getResponseHeader: a header value in any case', async () => {
    expect(await logsOf(`console.log(postman.getResponseHeader('content-type'), postman.getResponseHeader('X-None'));`)).toEqual([
      'application/json undefined',
    ]);
  });

  it('postman.getResponseCookie: a cookie by name in any case', async () => {
    expect(await logsOf(`const c = postman.getResponseCookie('SESSION'); console.log(c.value, c.httpOnly);`)).toEqual(['abc true']);
  });

  it('postman.setEnvironmentVariable / getEnvironmentVariable / clearEnvironmentVariable', async () => {
    const ctx = legacyContext();
    const lines = await logsOf(
      `postman.setEnvironmentVariable('token', 't1');
       console.log(postman.getEnvironmentVariable('token'), postman.getEnvironmentVariable('host'));
       postman.clearEnvironmentVariable('host');
       console.log(postman.getEnvironmentVariable('host'));`,
      ctx,
    );
    expect(lines).toEqual(['t1 api.test', 'undefined']);
    expect(ctx.variables.toObject('environment')).toEqual({ token: 't1' });
  });

  it('postman.clearEnvironmentVariables', async () => {
    const ctx = legacyContext();
    await logsOf(`postman.clearEnvironmentVariables();`, ctx);
    expect(ctx.variables.toObject('environment')).toEqual({});
  });

  it('postman.setGlobalVariable / getGlobalVariable / clearGlobalVariable', async () => {
    const ctx = legacyContext();
    const lines = await logsOf(
      `postman.setGlobalVariable('k', 'v'); console.log(postman.getGlobalVariable('k'), postman.getGlobalVariable('g'));
       postman.clearGlobalVariable('g'); console.log(postman.getGlobalVariable('g'));`,
      ctx,
    );
    expect(lines).toEqual(['v 1', 'undefined']);
    expect(ctx.variables.toObject('global')).toEqual({ k: 'v' });
  });

  it('postman.clearGlobalVariables', async () => {
    const ctx = legacyContext();
    await logsOf(`postman.clearGlobalVariables();`, ctx);
    expect(ctx.variables.toObject('global')).toEqual({});
  });

  it('postman.getVariable: any scope, highest first', async () => {
    expect(await logsOf(`console.log(postman.getVariable('l'), postman.getVariable('host'), postman.getVariable('none'));`)).toEqual([
      'x api.test undefined',
    ]);
  });

  it('postman.setNextRequest', async () => {
    const outcome = await sandbox.run(`postman.setNextRequest('Checkout');`, legacyContext());
    expect(outcome.nextRequest).toBe('Checkout');
  });

  it('environment, globals, data: read-only dictionaries of their scopes', async () => {
    expect(await logsOf(`console.log(JSON.stringify([environment, globals, data]));`)).toEqual([
      '[{"host":"api.test"},{"g":"1"},{"row":"r1"}]',
    ]);
  });

  it('request: url, method, headers, data, name, id', async () => {
    expect(await logsOf(`console.log(JSON.stringify(request));`)).toEqual([
      '{"url":"http://api.test/orders","method":"POST","headers":{"Accept":"application/json"},"data":"{\\"n\\":1}","name":"Get items","id":"req-1"}',
    ]);
  });

  it('iteration: the iteration index', async () => {
    expect(await logsOf(`console.log(iteration);`)).toEqual(['2']);
  });

  it('xml2Json: XML as JSON with Postman options', async () => {
    expect(await logsOf(`console.log(JSON.stringify(xml2Json('<a><b> x </b></a>')));`)).toEqual(['{"a":{"b":"x"}}']);
  });

  it('_, CryptoJS, tv4 and cheerio: the scope libraries', async () => {
    const lines = await logsOf(
      `console.log(_.map([1, 2], (n) => n * 2).join(','), CryptoJS.MD5('a').toString(), tv4.validate(1, { type: 'number' }), cheerio.load('<p>hi</p>')('p').text());`,
    );
    expect(lines).toEqual(['2,4 0cc175b9c0f1b6a831c399e269772661 true hi']);
  });
});
