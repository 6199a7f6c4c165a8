/**
 * Script examples from Postman's documentation, run unchanged (only the hosts they call are
 * routed to a loopback server by the fake HTTP stack).
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type ScriptRequest } from '../src/index.js';
import { FakeVariables, fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
let server: Server;
let base: string;

beforeAll(async () => {
  sandbox = await createSandbox();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, method: req.method, headers: req.headers, data: body ? JSON.parse(body) : {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sandbox.dispose();
  await new Promise((resolve) => server.close(resolve));
});

/** Routes https://postman-echo.com to the loopback echo server. */
async function echo(req: ScriptRequest | string): Promise<HttpResponse> {
  const spec = typeof req === 'string' ? { method: 'GET', url: req, headers: [] as Array<[string, string]> } : req;
  const init: RequestInit = { method: spec.method, headers: spec.headers };
  if (spec.body !== undefined) init.body = spec.body;
  const response = await fetch(spec.url.replace('https://postman-echo.com', base), init);
  const body = new Uint8Array(await response.arrayBuffer());
  return { ...fakeResponse(''), status: response.status, statusText: response.statusText, headers: [...response.headers], body };
}

const TEST_EXAMPLES = `
pm.test("Status code is 200", function () {
  pm.response.to.have.status(200);
});
pm.test("Status code is 200", () => {
  pm.expect(pm.response.code).to.eql(200);
});
pm.test("The response has all properties", () => {
    //parse the response JSON and test three properties
    const responseJson = pm.response.json();
    pm.expect(responseJson.type).to.eql('vip');
    pm.expect(responseJson.name).to.be.a('string');
    pm.expect(responseJson.id).to.have.lengthOf(1);
});
pm.test("Content-Type header is present", () => {
  pm.response.to.have.header("Content-Type");
});
pm.test("Content-Type header is application/json", () => {
  pm.expect(pm.response.headers.get('Content-Type')).to.eql('application/json');
});
pm.test("Cookie JSESSIONID is present", () => {
  pm.expect(pm.cookies.has('JSESSIONID')).to.be.true;
});
pm.test("Response time is less than 200ms", () => {
  pm.expect(pm.response.responseTime).to.be.below(200);
});
pm.test("Successful POST request", () => {
  pm.expect(pm.response.code).to.be.oneOf([200,201,202]);
});
pm.test("Body contains string",() => {
  pm.expect(pm.response.text()).to.include("customer_id");
});
const schema = {
  "type": "object",
  "properties": {
    "type": { "type": "string" },
    "name": { "type": "string" }
  },
  "required": ["type", "name"]
};
pm.test('Schema is valid', function () {
  pm.response.to.have.jsonSchema(schema);
});
var jsonData = pm.response.json();
pm.environment.set("customer_id", jsonData.customer_id);
pm.test("Environment variable set", function () {
  pm.expect(pm.environment.get("customer_id")).to.eql("c-1");
});
`;

describe("Postman's documentation examples", () => {
  it('runs the test examples unchanged', async () => {
    const variables = new FakeVariables();
    const outcome = await sandbox.run(
      TEST_EXAMPLES,
      fakeContext({
        variables,
        cookies: { JSESSIONID: 'abc' },
        response: fakeResponse({ type: 'vip', name: 'Jane', id: ['x'], customer_id: 'c-1' }),
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.assertions).toHaveLength(11);
    expect(variables.get('customer_id', 'environment')).toBe('c-1');
  });

  it('runs the sendRequest examples unchanged', async () => {
    const outcome = await sandbox.run(
      `pm.sendRequest("https://postman-echo.com/get", function (err, response) {
    console.log(response.json());
});

// Example with a full-fledged request
const postRequest = {
  url: 'https://postman-echo.com/post',
  method: 'POST',
  header: {
    'Content-Type': 'application/json',
    'X-Foo': 'bar'
  },
  body: {
    mode: 'raw',
    raw: JSON.stringify({ key: 'this is json' })
  }
};
pm.sendRequest(postRequest, (error, response) => {
  console.log(error ? error : response.json());
});`,
      fakeContext({ sendRequest: echo }),
    );
    expect(outcome.error).toBeUndefined();
    const logged = outcome.logs.map(
      (log) => JSON.parse(log.message) as { url: string; method: string; headers: Record<string, string>; data: unknown },
    );
    const post = logged.find((entry) => entry.method === 'POST');
    expect(logged.map((entry) => entry.url).sort()).toEqual(['/get', '/post']);
    expect(post?.headers['x-foo']).toBe('bar');
    expect(post?.data).toEqual({ key: 'this is json' });
  });

  it('signs a request with crypto-js in a pre-request script', async () => {
    const variables = new FakeVariables({ environment: { apiKey: 'key-1', apiSecret: 's3cret' } });
    const outcome = await sandbox.run(
      `const timestamp = Math.floor(Date.now() / 1000).toString();
const apiKey = pm.environment.get('apiKey');
const apiSecret = pm.environment.get('apiSecret');
const stringToSign = pm.request.method + '\\n' + pm.request.url.getPathWithQuery() + '\\n' + timestamp + '\\n' + pm.request.body.raw;
const signature = CryptoJS.HmacSHA256(stringToSign, apiSecret).toString(CryptoJS.enc.Base64);
pm.request.headers.upsert({ key: 'X-Api-Key', value: apiKey });
pm.request.headers.upsert({ key: 'X-Timestamp', value: timestamp });
pm.request.headers.upsert({ key: 'X-Signature', value: signature });`,
      fakeContext({
        eventName: 'prerequest',
        variables,
        request: { method: 'POST', url: 'https://api.test/v1/orders?dry=1', headers: [], body: '{"qty":2}' },
      }),
    );
    expect(outcome.error).toBeUndefined();
    const headers = Object.fromEntries(outcome.request?.headers ?? []);
    const expected = createHmac('sha256', 's3cret').update(`POST\n/v1/orders?dry=1\n${headers['X-Timestamp']}\n{"qty":2}`).digest('base64');
    expect(headers['X-Api-Key']).toBe('key-1');
    expect(headers['X-Signature']).toBe(expected);
  });

  it('runs the legacy tests[] and postman.setNextRequest style', async () => {
    const outcome = await sandbox.run(
      `var data = JSON.parse(responseBody);
tests["Status code is 200"] = responseCode.code === 200;
tests["Body has id"] = data.id === 1;
postman.setNextRequest("Checkout");`,
      fakeContext({ response: fakeResponse({ id: 1 }) }),
    );
    expect(outcome.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['Status code is 200', true],
      ['Body has id', true],
    ]);
    expect(outcome.nextRequest).toBe('Checkout');
  });
});
