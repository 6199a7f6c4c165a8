import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type ScriptRequest } from '../src/index.js';
import { FakeVariables, fakeContext } from './fakes.js';

let sandbox: Sandbox;
let server: Server;
let base: string;
const received: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  sandbox = await createSandbox({ timeLimitMs: 3000 });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/token') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok-123' }));
      } else if (req.url === '/session') {
        res.writeHead(204, { 'Set-Cookie': ['session=s-1; Path=/; HttpOnly', 'csrf=c-2; Path=/'] });
        res.end();
      } else if (req.url === '/me' && req.headers.authorization === 'Bearer tok-123') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ name: 'ada' }));
      } else {
        res.writeHead(401);
        res.end('no');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sandbox.dispose();
  await new Promise((resolve) => server.close(resolve));
});

/** A stand-in for Sortie's HTTP stack: fetch on loopback. */
async function send(req: ScriptRequest | string): Promise<HttpResponse> {
  const spec = typeof req === 'string' ? { method: 'GET', url: req, headers: [] as Array<[string, string]> } : req;
  const started = performance.now();
  const init: RequestInit = { method: spec.method, headers: spec.headers };
  if ('body' in spec && spec.body !== undefined) init.body = spec.body;
  const response = await fetch(spec.url, init);
  const body = new Uint8Array(await response.arrayBuffer());
  const total = performance.now() - started;
  return {
    status: response.status,
    statusText: response.statusText,
    httpVersion: '1.1',
    headers: [...response.headers],
    body,
    encodedBodySize: body.byteLength,
    timings: { firstByte: total, download: 0, total },
    url: response.url,
    redirects: [],
  };
}

describe('pm.sendRequest', () => {
  it('cuts a request still in flight when the run ends (an uncaught error), instead of leaving it to the server', async () => {
    const signals: AbortSignal[] = [];
    const send = (_request: ScriptRequest | string, signal: AbortSignal) =>
      new Promise<HttpResponse>((_resolve, reject) => {
        signals.push(signal);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const outcome = await sandbox.run(
      `pm.sendRequest('http://127.0.0.1:9/slow', () => {});\nthrow new Error('stop');`,
      fakeContext({ sendRequest: send }),
    );
    expect(outcome.error?.message).toContain('Error: stop');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('chains requests with the promise form', async () => {
    received.length = 0;
    const variables = new FakeVariables({ environment: { base } });
    const outcome = await sandbox.run(
      `const token = await pm.sendRequest({
         url: pm.environment.get('base') + '/token',
         method: 'POST',
         header: { 'Content-Type': 'application/x-www-form-urlencoded' },
         body: { mode: 'urlencoded', urlencoded: [{ key: 'grant_type', value: 'client_credentials' }] },
       });
       pm.environment.set('token', token.json().access_token);
       const me = await pm.sendRequest({ url: pm.environment.get('base') + '/me', header: ['Authorization: Bearer ' + pm.environment.get('token')] });
       pm.test('me', () => { pm.expect(me).to.have.status(200); pm.expect(me.json().name).to.equal('ada'); });`,
      fakeContext({ variables, sendRequest: send }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.map((a) => a.passed)).toEqual([true]);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/token', body: 'grant_type=client_credentials' });
    expect(received[1]).toMatchObject({ method: 'GET', url: '/me', headers: { authorization: 'Bearer tok-123' } });
  });

  it('calls the callback with the response, and with the error when the request fails', async () => {
    const outcome = await sandbox.run(
      `pm.sendRequest('${base}/other', (error, response) => {
         pm.test('callback', () => { pm.expect(error).to.equal(null); pm.expect(response.code).to.equal(401); pm.expect(response.text()).to.equal('no'); });
       });
       pm.sendRequest('http://127.0.0.1:1/closed', (error) => {
         pm.test('error', () => pm.expect(error).to.be.an('error'));
       });`,
      fakeContext({ sendRequest: send }),
    );
    expect(outcome.error).toBeUndefined();
    const results = outcome.assertions.map((a) => [a.name, a.passed, a.message]).sort();
    expect(results).toEqual([
      ['callback', true, undefined],
      ['error', true, undefined],
    ]);
  });

  it('gives the response of pm.sendRequest its Set-Cookie cookies', async () => {
    const outcome = await sandbox.run(
      `const res = await pm.sendRequest('${base}/session');
       console.log(res.code, res.cookies.get('session'), res.cookies.count(), JSON.stringify(res.cookies.toObject()), res.cookies.one('session').httpOnly);`,
      fakeContext({ sendRequest: send }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual(['204 s-1 2 {"session":"s-1","csrf":"c-2"} true']);
  });

  it('sends each body mode as postman-runtime does: the content type of raw languages, form-data as multipart, GraphQL variables as JSON', async () => {
    const sent: ScriptRequest[] = [];
    const capture = async (req: ScriptRequest | string): Promise<HttpResponse> => {
      if (typeof req !== 'string') sent.push(req);
      return send(`${base}/other`);
    };
    const outcome = await sandbox.run(
      `const post = (body, header) => pm.sendRequest({ url: '${base}/other', method: 'POST', body, header });
       await post({ mode: 'raw', raw: 'plain' });
       await post({ mode: 'raw', raw: '{"a":1}', options: { raw: { language: 'json' } } });
       await post({ mode: 'raw', raw: '<a/>', options: { raw: { language: 'xml' } } }, { 'content-type': 'application/soap+xml' });
       await post({ mode: 'raw', raw: '' });
       await post({ mode: 'urlencoded', urlencoded: [{ key: 'a', value: 'x y' }, { key: 'b', value: "~*!'()" }, { key: 'c', value: 'no', disabled: true }] });
       await post({ mode: 'formdata', formdata: [{ key: 'a', value: '1' }, { key: 'b', value: 'é', type: 'text' }, { key: 'c', value: 'no', disabled: true }] });
       await post({ mode: 'graphql', graphql: { query: '{ a }', variables: '{"v": 1}' } });
       await post({ mode: 'graphql', graphql: { query: 'query Q { a }', operationName: 'Q', variables: { v: 2 } } });`,
      fakeContext({ sendRequest: capture }),
    );
    expect(outcome.error).toBeUndefined();
    const contentType = (req: ScriptRequest) =>
      req.headers.filter(([name]) => name.toLowerCase() === 'content-type').map(([, value]) => value);
    expect(sent.map((req) => [contentType(req), req.body])).toEqual([
      [['text/plain'], 'plain'],
      [['application/json'], '{"a":1}'],
      [['application/soap+xml'], '<a/>'],
      [[], ''],
      [['application/x-www-form-urlencoded'], 'a=x%20y&b=~%2A%21%27%28%29'],
      [[expect.stringMatching(/^multipart\/form-data; boundary=-{26}\d{24}$/)], expect.any(String)],
      [['application/json'], '{"query":"{ a }","variables":{"v": 1}}'],
      [['application/json'], '{"query":"query Q { a }","operationName":"Q","variables":{"v":2}}'],
    ]);
    const boundary = contentType(sent[5]!)[0]!.split('boundary=')[1];
    expect(sent[5]!.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="b"\r\n\r\né\r\n--${boundary}--\r\n`,
    );
  });

  it('refuses a form-data file field rather than sending it as text', async () => {
    const outcome = await sandbox.run(
      `await pm.sendRequest({ url: '${base}/other', method: 'POST', body: { mode: 'formdata', formdata: [{ key: 'f', type: 'file', src: 'a.txt' }] } });`,
      fakeContext({ sendRequest: send }),
    );
    expect(outcome.error?.message).toContain('pm.sendRequest cannot send the file of form-data field "f"');
  });

  it('is an error when the host does not allow requests', async () => {
    const outcome = await sandbox.run(`await pm.sendRequest('http://127.0.0.1:1/');`, fakeContext());
    expect(outcome.error?.code).toBe('SORTIE_SCRIPT');
    expect(outcome.error?.message).toContain('pm.sendRequest is not available');
  });
});
