import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

async function failedTests(script: string, response = fakeResponse({ id: 7, items: [{ name: 'a' }] })) {
  const outcome = await sandbox.run(script, fakeContext({ response }));
  expect(outcome.error).toBeUndefined();
  return outcome.assertions.filter((a) => !a.passed).map((a) => [a.name, a.message]);
}

describe('pm.response', () => {
  it('measures size() as postman-collection does: the body, and the headers as an HTTP/1.1 message writes them', async () => {
    // postman-collection 5.3's Response#size() gives { body: 2, header: 55, total: 57 } for this response.
    const response = fakeResponse('ok', {
      headers: [
        ['Content-Type', 'text/plain'],
        ['X-Id', '42'],
      ],
    });
    const failed = await failedTests(
      `pm.test('size', () => pm.expect(pm.response.size()).to.eql({ body: 2, header: 55, total: 57 }));`,
      response,
    );
    expect(failed).toEqual([]);
  });

  it('reads a repeated header as postman-collection does: the last one, any of its values for has()', async () => {
    const response = fakeResponse('ok', {
      headers: [
        ['Set-Cookie', 'a=1; Path=/'],
        ['Set-Cookie', 'b=2; Path=/'],
        ['Content-Type', 'text/plain'],
      ],
    });
    const failed = await failedTests(
      `pm.test('get', () => pm.expect(pm.response.headers.get('set-cookie')).to.equal('b=2; Path=/'));
       pm.test('one', () => pm.expect(pm.response.headers.one('Set-Cookie').value).to.equal('b=2; Path=/'));
       pm.test('has a value', () => pm.expect(pm.response.headers.has('set-cookie', 'a=1; Path=/')).to.equal(true));
       pm.test('legacy', () => pm.expect(postman.getResponseHeader('SET-COOKIE')).to.equal('b=2; Path=/'));
       pm.test('assertion', () => pm.response.to.have.header('Set-Cookie', 'b=2; Path=/'));`,
      response,
    );
    expect(failed).toEqual([]);
  });

  it('reads headers and query parameters as objects as postman-collection does (names, repeats, disabled items)', async () => {
    // Expected values are what postman-collection 4.4 (Newman 6's) gives for the same lists.
    const response = fakeResponse('ok', {
      headers: [
        ['Set-Cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['Content-Type', 'x'],
      ],
    });
    const failed = await failedTests(
      `pm.test('headers.toObject', () => pm.expect(pm.response.headers.toObject()).to.eql({ 'set-cookie': ['a=1', 'b=2'], 'content-type': 'x' }));
       pm.test('case-sensitive', () => pm.expect(pm.response.headers.toObject(false, true)).to.eql({ 'Set-Cookie': 'a=1', 'set-cookie': 'b=2', 'Content-Type': 'x' }));
       pm.test('legacy responseHeaders', () => pm.expect(responseHeaders).to.eql({ 'Set-Cookie': 'a=1', 'set-cookie': 'b=2', 'Content-Type': 'x' }));
       pm.request.headers.add({ key: 'X-Off', value: '1', disabled: true });
       pm.request.headers.add({ key: 'x-a', value: '1' });
       pm.request.headers.add({ key: 'X-A', value: '2' });
       pm.test('with disabled', () => pm.expect(pm.request.headers.toObject()).to.eql({ 'x-off': '1', 'x-a': ['1', '2'] }));
       pm.test('without disabled', () => pm.expect(pm.request.headers.toObject(true)).to.eql({ 'x-a': ['1', '2'] }));
       pm.test('getHeaders', () => pm.expect(pm.request.getHeaders({ enabled: true })).to.eql({ 'x-a': '1', 'X-A': '2' }));
       pm.test('getHeaders ignoreCase', () => pm.expect(pm.request.getHeaders({ ignoreCase: true, enabled: true })).to.eql({ 'x-a': ['1', '2'] }));
       pm.request.url.addQueryParams(['a=1', 'a=2', 'B=3']);
       pm.test('query', () => pm.expect(pm.request.url.query.toObject()).to.eql({ a: ['1', '2'], B: '3' }));
       // (postman-collection assigns, so a key "__proto__" is lost there; here it is a key like any other.)
       pm.request.url.addQueryParams(['__proto__=4']);
       pm.test('__proto__', () => pm.expect(Object.getPrototypeOf(pm.request.url.query.toObject())).to.equal(Object.prototype));`,
      response,
    );
    expect(failed).toEqual([]);
  });

  it('exposes code, status, headers, timings, size, text and json', async () => {
    const failed = await failedTests(
      `
      pm.test('code', () => pm.expect(pm.response.code).to.equal(201));
      pm.test('status', () => pm.expect(pm.response.status).to.equal('Created'));
      pm.test('headers', () => {
        pm.expect(pm.response.headers.get('content-type')).to.equal('application/json');
        pm.expect(pm.response.headers.has('X-Missing')).to.equal(false);
        pm.expect(pm.response.headers.all()).to.have.length(2);
      });
      pm.test('time and size', () => {
        pm.expect(pm.response.responseTime).to.equal(12);
        pm.expect(pm.response.responseSize).to.equal(pm.response.text().length);
      });
      pm.test('json', () => pm.expect(pm.response.json().items[0].name).to.equal('a'));
      pm.test('stream', () => {
        pm.expect(JSON.parse(pm.response.stream.toString()).id).to.equal(7);
        pm.expect(pm.response.stream.length).to.equal(pm.response.text().length);
      });
      pm.test('legacy globals', () => {
        pm.expect(responseCode.code).to.equal(201);
        pm.expect(JSON.parse(responseBody).id).to.equal(7);
      });`,
      fakeResponse(
        { id: 7, items: [{ name: 'a' }] },
        {
          status: 201,
          statusText: 'Created',
          headers: [
            ['Content-Type', 'application/json'],
            ['X-Id', '7'],
          ],
        },
      ),
    );
    expect(failed).toEqual([]);
  });

  it('reads a small body sent with the run and a large one fetched from the host alike (UTF-8 included)', async () => {
    const small = { note: 'héllo ✓', items: [1, 2] };
    const large = { note: 'héllo ✓', items: Array.from({ length: 300 }, (_, i) => ({ i, name: `item ${i} ✓` })) };
    expect(JSON.stringify(small).length).toBeLessThan(512);
    expect(JSON.stringify(large).length).toBeGreaterThan(512);
    for (const body of [small, large]) {
      const failed = await failedTests(
        `
        pm.test('text', () => pm.expect(pm.response.text()).to.equal(${JSON.stringify(JSON.stringify(body))}));
        pm.test('json is parsed once', () => pm.expect(pm.response.json()).to.equal(pm.response.json()));
        pm.test('json', () => pm.expect(pm.response.json().items.length).to.equal(${body.items.length}));
        pm.test('size in bytes', () => pm.expect(pm.response.responseSize).to.equal(${Buffer.byteLength(JSON.stringify(body))}));
        pm.test('legacy responseBody', () => pm.expect(responseBody).to.equal(pm.response.text()));`,
        fakeResponse(body),
      );
      expect(failed).toEqual([]);
    }
  });

  it('keeps the headers, the body and their caches apart from one response to the next', async () => {
    const first = await sandbox.run(
      `pm.environment.set('seen', pm.response.headers.get('X-Id') + ':' + pm.response.json().id);`,
      fakeContext({ response: fakeResponse({ id: 1 }, { headers: [['X-Id', 'a']] }) }),
    );
    expect(first.error).toBeUndefined();
    const context = fakeContext({ response: fakeResponse({ id: 2 }, { headers: [['X-Id', 'b']] }) });
    const second = await sandbox.run(`pm.environment.set('seen', pm.response.headers.get('X-Id') + ':' + pm.response.json().id);`, context);
    expect(second.error).toBeUndefined();
    expect(context.variables.get('seen')).toBe('b:2');
  });

  it('passes the chai-postman assertions that hold', async () => {
    const failed = await failedTests(`
      pm.test('status', () => pm.response.to.have.status(200));
      pm.test('reason', () => pm.response.to.have.status('OK'));
      pm.test('ok', () => { pm.response.to.be.ok; pm.response.to.be.success; pm.response.to.not.be.clientError; });
      pm.test('header', () => { pm.response.to.have.header('Content-Type'); pm.response.to.have.header('content-type', 'application/json'); });
      pm.test('body', () => { pm.response.to.have.body(); pm.response.to.have.body(/items/); pm.response.to.be.json; pm.response.to.be.withBody; });
      pm.test('jsonBody', () => {
        pm.response.to.have.jsonBody();
        pm.response.to.have.jsonBody('items[0].name', 'a');
        pm.response.to.have.jsonBody({ id: 7, items: [{ name: 'a' }] });
      });
      pm.test('jsonSchema', () => pm.response.to.have.jsonSchema({ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }));
      pm.test('expect on a response', () => pm.expect(pm.response).to.have.status(200));
      pm.test('statusCode, statusReason, statusCodeClass', () => {
        pm.response.to.have.statusCode(200);
        pm.response.to.not.have.statusCode(400);
        pm.response.to.have.statusReason('OK');
        pm.response.to.have.statusCodeClass(2);
        pm.expect(pm.response).to.not.have.statusCodeClass(4);
      });
      pm.test('plain ok still works', () => pm.expect(1).to.be.ok);`);
    expect(failed).toEqual([]);
  });

  it('fails the assertions that do not hold with readable messages', async () => {
    const outcome = await sandbox.run(
      `pm.test('status', () => pm.response.to.have.status(201));
       pm.test('not found', () => pm.response.to.be.notFound);
       pm.test('schema', () => pm.response.to.have.jsonSchema({ type: 'object', required: ['missing'] }));
       pm.test('jsonBody path', () => pm.response.to.have.jsonBody('id', 8));`,
      fakeContext({ response: fakeResponse({ id: 7 }) }),
    );
    expect(outcome.assertions.map((a) => a.passed)).toEqual([false, false, false, false]);
    expect(outcome.assertions[0]).toMatchObject({
      message: 'expected response to have status code 201 but got 200',
      expected: 201,
      actual: 200,
    });
    expect(outcome.assertions[1]?.message).toContain('not found (404)');
    expect(outcome.assertions[2]?.message).toContain("must have required property 'missing'");
    expect(outcome.assertions[3]?.message).toContain('expected response body json at "id" to contain 8 but got 7');
  });

  it('chai-postman as in Postman: jsonSchema on any value, assertions on pm.request, postmanRequest / postmanResponse', async () => {
    const schema = "{ properties: { alpha: { type: 'boolean' } } }";
    const outcome = await sandbox.run(
      `const schema = ${schema};
       pm.test('valid', () => { pm.expect({ alpha: true }).to.be.jsonSchema(schema); pm.expect('POSTMAN').to.be.jsonSchema({ type: 'string' }); });
       pm.test('negated', () => { pm.expect({ alpha: 123 }).to.not.be.jsonSchema(schema); pm.expect(123).to.not.be.jsonSchema({ type: 'string' }); });
       pm.test('invalid', () => pm.expect({ alpha: 123 }).to.be.jsonSchema(schema));
       pm.test('request', () => {
         pm.expect(pm.request.to).to.be.an('object');
         pm.request.to.have.header('Accept');
         pm.request.to.not.have.header('Foo-Bar');
         pm.request.to.be.a.postmanRequest;
         pm.request.to.not.be.a.postmanResponse;
         pm.request.to.be.a.postmanRequestOrResponse;
       });
       pm.test('response', () => { pm.response.to.be.a.postmanResponse; pm.response.to.not.be.a.postmanRequest; pm.expect({}).to.not.be.postmanRequestOrResponse; });
       pm.test('request header missing', () => pm.request.to.have.header('X-Nope'));`,
      fakeContext({
        response: fakeResponse({ id: 7 }),
        request: { method: 'GET', url: 'http://api.test/items', headers: [['Accept', 'application/json']] },
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['valid', true],
      ['negated', true],
      ['invalid', false],
      ['request', true],
      ['response', true],
      ['request header missing', false],
    ]);
    expect(outcome.assertions[2]?.message).toMatch(
      /^expected data to satisfy schema but found following errors: \ndata\/alpha must be boolean/,
    );
    expect(outcome.assertions[5]?.message).toBe("expected request to have header with key 'X-Nope'");
  });

  it('describes the content as postman-collection contentInfo() does (type, format, charset, file name)', async () => {
    // Expected values are what postman-collection 5.3 (Newman 6.2's) gives for the same headers.
    const cases: Array<[string, string | undefined, Record<string, string>]> = [
      [
        'application/json; charset=UTF-8',
        undefined,
        {
          contentType: 'application/json',
          mimeType: 'text',
          mimeFormat: 'json',
          charset: 'utf8',
          fileExtension: 'json',
          fileName: 'response.json',
        },
      ],
      [
        'application/problem+json',
        undefined,
        { contentType: 'application/problem+json', mimeType: 'text', mimeFormat: 'json', charset: 'utf8', fileName: 'response' },
      ],
      [
        'image/svg+xml',
        undefined,
        {
          contentType: 'image/svg+xml',
          mimeType: 'image',
          mimeFormat: 'image',
          charset: 'utf8',
          fileExtension: 'svg',
          fileName: 'response.svg',
        },
      ],
      [
        'application/xhtml+xml',
        undefined,
        {
          contentType: 'application/xhtml+xml',
          mimeType: 'text',
          mimeFormat: 'xml',
          charset: 'utf8',
          fileExtension: 'xhtml',
          fileName: 'response.xhtml',
        },
      ],
      [
        'text/css',
        undefined,
        {
          contentType: 'text/css',
          mimeType: 'text',
          mimeFormat: 'stylesheet',
          charset: 'utf8',
          fileExtension: 'css',
          fileName: 'response.css',
        },
      ],
      [
        'application/pdf',
        'attachment; filename="r\\"1.pdf"',
        {
          contentType: 'application/pdf',
          mimeType: 'embed',
          mimeFormat: 'pdf',
          charset: 'utf8',
          fileExtension: 'pdf',
          fileName: 'r"1.pdf',
        },
      ],
      [
        'application/octet-stream',
        "attachment; filename*=utf-8''%E2%82%AC%20rates.bin; filename=x.bin",
        {
          contentType: 'application/octet-stream',
          mimeType: 'application',
          mimeFormat: 'raw',
          charset: 'utf8',
          fileExtension: 'bin',
          fileName: '€ rates.bin',
        },
      ],
      [
        'text/plain; charset=ISO-8859-1',
        undefined,
        {
          contentType: 'text/plain',
          mimeType: 'text',
          mimeFormat: 'plain',
          charset: 'iso-8859-1',
          fileExtension: 'txt',
          fileName: 'response.txt',
        },
      ],
      [
        'application/vnd.custom',
        undefined,
        { contentType: 'application/vnd.custom', mimeType: 'application', mimeFormat: 'raw', charset: 'utf8', fileName: 'response' },
      ],
    ];
    for (const [contentType, disposition, expected] of cases) {
      const headers: Array<[string, string]> = [['Content-Type', contentType]];
      if (disposition !== undefined) headers.push(['Content-Disposition', disposition]);
      const outcome = await sandbox.run(
        `pm.test("info", () => pm.expect(pm.response.contentInfo()).to.eql(${JSON.stringify(expected)}));`,
        fakeContext({ response: fakeResponse('x', { headers }) }),
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.assertions.map((a) => [contentType, a.passed, a.message])).toEqual([[contentType, true, undefined]]);
    }
  });

  it('classifies error responses', async () => {
    const failed = await failedTests(
      `pm.test('classes', () => { pm.response.to.be.serverError; pm.response.to.be.error; pm.response.to.not.be.success; });`,
      fakeResponse('boom', { status: 503, statusText: 'Service Unavailable' }),
    );
    expect(failed).toEqual([]);
  });
});
