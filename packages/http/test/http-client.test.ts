import net from 'node:net';
import zlib from 'node:zlib';
import { ErrorCode, getHeader, getHeaderValues, SortieError, VERSION } from '@sortie/core';
import { findClosedPort } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, invalidHeaderName } from '../src/index.js';
import { parseJson, prepareRequest, readRequestBody, sendJson, startServer, type TestServer } from './test-server.js';

const payload = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item number ${i}` })) });

async function rejection(promise: Promise<unknown>): Promise<SortieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SortieError);
  return error as SortieError;
}

describe('createHttpClient', () => {
  let server: TestServer;
  const client = createHttpClient();

  beforeAll(async () => {
    server = await startServer(async (request, response) => {
      const path = request.url ?? '/';
      if (path === '/echo') {
        const body = await readRequestBody(request);
        sendJson(response, 201, { method: request.method, json: JSON.parse(body.toString()), headers: request.headers });
      } else if (path === '/raw-echo') {
        const body = await readRequestBody(request);
        sendJson(response, 200, { body: body.toString(), headers: request.headers });
      } else if (path === '/chunked-redirect') {
        await readRequestBody(request);
        response.writeHead(307, { location: '/raw-echo' });
        response.end();
      } else if (path.startsWith('/encoded/')) {
        const coding = path.slice('/encoded/'.length);
        const raw = Buffer.from(payload);
        const encoded =
          coding === 'gzip'
            ? zlib.gzipSync(raw)
            : coding === 'deflate'
              ? zlib.deflateSync(raw)
              : coding === 'br'
                ? zlib.brotliCompressSync(raw)
                : raw;
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': coding,
          'x-accept-encoding': request.headers['accept-encoding'] ?? '',
        });
        response.end(encoded);
      } else if (path === '/headers') {
        response.setHeader('X-Custom-Case', 'Value');
        response.setHeader('Set-Cookie', ['a=1', 'b=2']);
        response.end(request.headers['accept-encoding'] ?? '');
      } else if (path === '/user-agent') {
        response.end(JSON.stringify(request.headersDistinct['user-agent'] ?? []));
      } else if (path === '/slow') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('partial');
        // never ends; the server closes the socket on shutdown
      } else if (path === '/hang') {
        // no response at all
      } else if (path === '/bad-gzip') {
        response.writeHead(200, { 'content-encoding': 'gzip' });
        response.end('this is not gzip');
      } else if (path === '/not-modified' || path === '/no-content') {
        // RFC 9110 §8.6: a 304 may carry the Content-Length of the representation, and never has a body.
        response.writeHead(path === '/not-modified' ? 304 : 204, { 'content-length': '50', etag: '"v1"' });
        response.end();
      } else if (path.startsWith('/big-header/')) {
        response.setHeader('x-big', 'a'.repeat(Number(path.slice('/big-header/'.length))));
        response.end('ok');
      } else if (path === '/destroy') {
        request.socket.destroy();
      } else if (path === '/cut-short') {
        // The status and 5 of the 100 bytes its Content-Length announces, then the connection closes.
        request.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort');
      } else {
        response.end('ok');
      }
    });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('round-trips JSON with the method, headers and body the server received', async () => {
    const response = await client.send(
      prepareRequest(`${server.url}/echo`, {
        method: 'post',
        headers: [
          ['Content-Type', 'application/json'],
          ['X-Trace', 'abc'],
        ],
        body: JSON.stringify({ hello: 'world', n: [1, 2] }),
      }),
    );
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.httpVersion).toBe('1.1');
    expect(response.url).toBe(`${server.url}/echo`);
    expect(response.redirects).toEqual([]);
    expect(getHeader(response.headers, 'content-type')).toBe('application/json');
    const echoed = parseJson(response.body) as { method: string; json: unknown; headers: Record<string, string> };
    expect(echoed.method).toBe('POST');
    expect(echoed.json).toEqual({ hello: 'world', n: [1, 2] });
    expect(echoed.headers['x-trace']).toBe('abc');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(response.encodedBodySize).toBe(response.body.length);
  });

  it('keeps response header names as sent and repeated headers separately', async () => {
    const response = await client.send(prepareRequest(`${server.url}/headers`));
    expect(response.headers).toContainEqual(['X-Custom-Case', 'Value']);
    expect(getHeaderValues(response.headers, 'set-cookie')).toEqual(['a=1', 'b=2']);
  });

  it('asks for gzip, deflate and br unless the request sets Accept-Encoding', async () => {
    const byDefault = await client.send(prepareRequest(`${server.url}/headers`));
    expect(Buffer.from(byDefault.body).toString()).toBe('gzip, deflate, br');
    const custom = await client.send(prepareRequest(`${server.url}/headers`, { headers: [['Accept-Encoding', 'identity']] }));
    expect(Buffer.from(custom.body).toString()).toBe('identity');
  });

  it('sends User-Agent: sortie/<version> unless the request sets its own (any case), never both', async () => {
    const byDefault = await client.send(prepareRequest(`${server.url}/user-agent`));
    expect(JSON.parse(Buffer.from(byDefault.body).toString())).toEqual([`sortie/${VERSION}`]);
    const custom = await client.send(prepareRequest(`${server.url}/user-agent`, { headers: [['USER-AGENT', 'mine/1']] }));
    expect(JSON.parse(Buffer.from(custom.body).toString())).toEqual(['mine/1']);
  });

  for (const coding of ['gzip', 'deflate', 'br']) {
    it(`decodes a ${coding} body and reports the size received`, async () => {
      const response = await client.send(prepareRequest(`${server.url}/encoded/${coding}`));
      expect(Buffer.from(response.body).toString()).toBe(payload);
      expect(response.body.length).toBe(Buffer.byteLength(payload));
      expect(response.encodedBodySize).toBeGreaterThan(0);
      expect(response.encodedBodySize).toBeLessThan(response.body.length);
      expect(getHeader(response.headers, 'content-encoding')).toBe(coding);
    });
  }

  for (const [path, status] of [
    ['/not-modified', 304],
    ['/no-content', 204],
  ] as const) {
    it(`takes a ${status} with a Content-Length (and no body, RFC 9112 §6.3) as the complete response it is`, async () => {
      const response = await client.send(prepareRequest(`${server.url}${path}`));
      expect(response.status).toBe(status);
      expect(response.body.length).toBe(0);
      expect(getHeader(response.headers, 'etag')).toBe('"v1"');
      // The next request still gets its answer.
      const next = await client.send(prepareRequest(`${server.url}/ok`));
      expect(Buffer.from(next.body).toString()).toBe('ok');
    });
  }

  it('reads response headers of up to 300 KiB, as curl does (undici alone stops at 16 KiB)', async () => {
    const response = await client.send(prepareRequest(`${server.url}/big-header/${100 * 1024}`));
    expect(getHeader(response.headers, 'x-big')).toHaveLength(100 * 1024);
  });

  it('fails with NETWORK "Response headers too large" past 300 KiB, naming the limit', async () => {
    const error = await rejection(client.send(prepareRequest(`${server.url}/big-header/${400 * 1024}`)));
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(error.title).toBe('Response headers too large');
    expect(error.message).toBe(
      `the response headers from 127.0.0.1:${server.port} are larger than 300 KiB (GET ${server.url}/big-header/${400 * 1024})`,
    );
  });

  it('leaves a body with an unknown content coding as received', async () => {
    const response = await client.send(prepareRequest(`${server.url}/encoded/zz-unknown`));
    expect(Buffer.from(response.body).toString()).toBe(payload);
    expect(response.encodedBodySize).toBe(response.body.length);
  });

  it('fails with NETWORK "Invalid response body" when the body does not match its content coding', async () => {
    const error = await rejection(client.send(prepareRequest(`${server.url}/bad-gzip`)));
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(error.title).toBe('Invalid response body');
  });

  it('fails with TIMEOUT when the body does not complete in time', async () => {
    const error = await rejection(client.send(prepareRequest(`${server.url}/slow`, { timeout: 150 })));
    expect(error.code).toBe(ErrorCode.TIMEOUT);
    expect(error.title).toBe('Request timed out');
    // The status and part of the body came: "no response" would send the user looking at the wrong end (curl: "with 7 bytes received").
    expect(error.message).toBe(`the response (200) was not complete within 150 ms: 7 bytes of its body received (GET ${server.url}/slow)`);
  });

  it('fails with TIMEOUT when no response arrives in time', async () => {
    const error = await rejection(client.send(prepareRequest(`${server.url}/hang`, { timeout: 150 })));
    expect(error.code).toBe(ErrorCode.TIMEOUT);
    expect(error.message).toBe(`no response within 150 ms (GET ${server.url}/hang)`);
  });

  it('fails with NETWORK "Connection reset" when the server destroys the socket', async () => {
    const error = await rejection(client.send(prepareRequest(`${server.url}/destroy`)));
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(error.title).toBe('Connection reset');
    expect(error.message).toContain(`GET ${server.url}/destroy`);
  });

  it('says what arrived when the connection closes after the status, as curl does (bytes of the Content-Length)', async () => {
    const error = await rejection(client.send(prepareRequest(`${server.url}/cut-short`)));
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(error.title).toBe('Connection reset');
    expect(error.message).toBe(
      `connection to ${server.url.slice('http://'.length)} closed before the response (200) was complete: 5 bytes of its body received of the 100 its Content-Length announced (GET ${server.url}/cut-short)`,
    );
  });

  it('fails with NETWORK "Connection refused" naming host:port and the request', async () => {
    const port = await findClosedPort();
    const error = await rejection(client.send(prepareRequest(`http://127.0.0.1:${port}/users`, { method: 'DELETE' })));
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(error.title).toBe('Connection refused');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain(`DELETE http://127.0.0.1:${port}/users`);
  });

  it('keeps credentials out of error messages', async () => {
    const port = await findClosedPort();
    const error = await rejection(
      client.send(prepareRequest(`http://alice:s3cr3t-pass@127.0.0.1:${port}/x`, { headers: [['Authorization', 'Bearer tok3n-value']] })),
    );
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(JSON.stringify(error.toJSON())).not.toMatch(/s3cr3t-pass|tok3n-value/);
  });

  it('fails with NETWORK "DNS lookup failed" for a host that does not resolve', async () => {
    const error = await rejection(client.send(prepareRequest('http://no-such-host.invalid/')));
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(error.title).toBe('DNS lookup failed');
    expect(error.message).toContain('no-such-host.invalid');
  });

  it('sends the body chunked when the request sets Transfer-Encoding: chunked, as curl does, redirects (307) included', async () => {
    for (const path of ['/raw-echo', '/chunked-redirect']) {
      const response = await client.send(
        prepareRequest(`${server.url}${path}`, { method: 'POST', headers: [['Transfer-Encoding', 'chunked']], body: 'hello' }),
      );
      const echoed = parseJson(response.body) as { body: string; headers: Record<string, string> };
      expect(echoed.body).toBe('hello');
      expect(echoed.headers['transfer-encoding']).toBe('chunked');
      expect(echoed.headers['content-length']).toBeUndefined();
    }
  });

  for (const [name, value, what] of [
    ['Expect', '100-continue', 'an Expect header'],
    ['keep-alive', 'timeout=5', 'a Keep-Alive header'],
    ['Upgrade', 'websocket', 'an Upgrade header'],
    ['Transfer-Encoding', 'gzip, chunked', 'a Transfer-Encoding header other than chunked'],
  ] as const) {
    it(`refuses ${what} with INVALID_INPUT naming it and saying what to do (undici said "invalid header")`, async () => {
      const error = await rejection(
        client.send(prepareRequest(`${server.url}/raw-echo`, { method: 'POST', headers: [[name, value]], body: 'hello' })),
      );
      expect(error.code).toBe(ErrorCode.INVALID_INPUT);
      expect(error.title).toBe('Invalid header');
      expect(error.message).toBe(
        `request header "${name}" cannot be sent: the HTTP client cannot send ${what} (POST ${server.url}/raw-echo)`,
      );
      expect(error.hint).toMatch(/^remove the header/);
      // So the step's error points at the header, not at the URL.
      expect(invalidHeaderName(error)).toBe(name);
    });
  }

  it('refuses a Content-Length header that does not match the body with INVALID_INPUT and a hint', async () => {
    const error = await rejection(
      client.send(prepareRequest(`${server.url}/raw-echo`, { method: 'POST', headers: [['Content-Length', '3']], body: 'hello' })),
    );
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.title).toBe('Invalid request');
    expect(error.message).toBe(`the Content-Length header does not match the length of the body (POST ${server.url}/raw-echo)`);
    expect(error.hint).toBe('remove the Content-Length header: the client sets it from the body');
  });

  it('sends the URL userinfo as Basic credentials (percent-decoded), as curl and Postman do, unless the request has its own Authorization', async () => {
    const url = `http://us%40er:p%3Ass%20w@127.0.0.1:${server.port}/raw-echo`;
    const response = await client.send(prepareRequest(url));
    const headers = (parseJson(response.body) as { headers: Record<string, string> }).headers;
    expect(headers.authorization).toBe(`Basic ${Buffer.from('us@er:p:ss w').toString('base64')}`);
    const own = await client.send(prepareRequest(url, { headers: [['Authorization', 'Bearer mine']] }));
    expect((parseJson(own.body) as { headers: Record<string, string> }).headers.authorization).toBe('Bearer mine');
    const userOnly = await client.send(prepareRequest(`http://alice@127.0.0.1:${server.port}/raw-echo`));
    expect((parseJson(userOnly.body) as { headers: Record<string, string> }).headers.authorization).toBe(
      `Basic ${Buffer.from('alice:').toString('base64')}`,
    );
  });

  it('reaches a *.localhost host on the loopback interface (RFC 6761 §6.3), as curl and browsers do', async () => {
    const response = await client.send(prepareRequest(`http://api.localhost:${server.port}/raw-echo`));
    expect((parseJson(response.body) as { headers: Record<string, string> }).headers.host).toBe(`api.localhost:${server.port}`);
    const idn = await client.send(prepareRequest(`http://xn--bcher-kva.localhost:${server.port}/ok`));
    expect(Buffer.from(idn.body).toString()).toBe('ok');
  });

  it('rejects a URL that is not absolute http(s) with INVALID_INPUT', async () => {
    expect((await rejection(client.send(prepareRequest('/relative')))).code).toBe(ErrorCode.INVALID_INPUT);
    expect((await rejection(client.send(prepareRequest('ftp://example.test/file')))).code).toBe(ErrorCode.INVALID_INPUT);
  });
});

describe('timings', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer((_request, response) => {
      response.end('timed');
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('reports dns and connect on a new connection and leaves them out when it is reused', async () => {
    // One connection per origin, so the second request must reuse the first one's.
    const single = createHttpClient({ connections: 1 });
    const url = `http://localhost:${server.port}/`;
    const before = server.connections();
    const first = await single.send(prepareRequest(url));
    expect(server.connections()).toBe(before + 1);
    expect(first.timings.dns).toBeGreaterThanOrEqual(0);
    expect(first.timings.connect).toBeGreaterThanOrEqual(0);
    expect(first.timings.tls).toBeUndefined();
    expect(first.timings.firstByte).toBeGreaterThanOrEqual(0);
    expect(first.timings.download).toBeGreaterThanOrEqual(0);
    expect(first.timings.total).toBeGreaterThanOrEqual(first.timings.firstByte);

    const second = await single.send(prepareRequest(url));
    await single.close();
    expect(server.connections()).toBe(before + 1);
    expect(second.timings.dns).toBeUndefined();
    expect(second.timings.connect).toBeUndefined();
    expect(second.timings.tls).toBeUndefined();
    expect(second.timings.total).toBeGreaterThanOrEqual(0);
  });

  it('gives each of several parallel new connections its own connection timings', async () => {
    const fresh = createHttpClient();
    try {
      const before = server.connections();
      const responses = await Promise.all(Array.from({ length: 4 }, () => fresh.send(prepareRequest(`${server.url}/`))));
      const opened = server.connections() - before;
      const withConnection = responses.filter((r) => r.timings.connect !== undefined);
      expect(withConnection).toHaveLength(opened);
      // 127.0.0.1 needs no lookup
      expect(withConnection.map((r) => r.timings.dns)).toEqual(withConnection.map(() => 0));
      expect(responses.every((r) => Buffer.from(r.body).toString() === 'timed')).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});

describe('malformed responses', () => {
  /** Answers each request with the raw bytes its path names, then closes the connection. */
  const answers: Record<string, string> = {
    '/bare-lf': 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok',
    '/not-http': 'THIS IS NOT HTTP\r\n\r\n',
    // What Node's cleartext HTTP/2 server sends to an HTTP/1.1 request: an empty SETTINGS frame, then GOAWAY.
    '/h2c': '\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x08\x07\x00\x00\x00\x00\x00',
    '/two-lengths': 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok',
    '/length-and-chunked': 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    '/length-not-a-number': 'HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello',
  };
  let server: net.Server;
  let base: string;
  const client = createHttpClient();

  beforeAll(async () => {
    server = net.createServer((socket) => {
      socket.once('data', (data) => socket.end(answers[data.toString('latin1').split(' ')[1] ?? ''] ?? ''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });

  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  for (const [path, reason] of [
    ['/bare-lf', 'Missing expected CR after response line'],
    // It was llhttp's "Expected HTTP/, RTSP/ or ICE/": what came instead is quoted.
    ['/not-http', 'its answer is not an HTTP/1.1 status line: it reads "THIS IS NOT HTTP"'],
    [
      '/h2c',
      'it answered with an HTTP/2 frame, not an HTTP/1.1 status line: the server speaks only HTTP/2 without TLS (h2c, RFC 9113 §3.3), which is not supported',
    ],
    // It was "the body does not match its Content-Length" for all three: undici's words, not what the server did.
    ['/two-lengths', 'it sent Content-Length 2 times (2, …; RFC 9112 §6.3)'],
    [
      '/length-and-chunked',
      'it sent both Transfer-Encoding and Content-Length (5); RFC 9112 §6.3 makes Transfer-Encoding override Content-Length, but a response with both is refused as a possible request smuggling attempt (RFC 9112 §11.2)',
    ],
    ['/length-not-a-number', 'its Content-Length is not a number (5…; RFC 9110 §8.6)'],
  ] as const) {
    it(`fails with NETWORK "Invalid response" naming what is malformed (${path}), not "Request failed"`, async () => {
      const error = await rejection(client.send(prepareRequest(`${base}${path}`)));
      expect(error.code).toBe(ErrorCode.NETWORK);
      expect(error.title).toBe('Invalid response');
      expect(error.message).toBe(`${base.slice('http://'.length)} sent a malformed HTTP response: ${reason} (GET ${base}${path})`);
    });
  }
});

describe('non-ASCII response header values', () => {
  /** Answers with the header bytes its path names: UTF-8 (what servers send today) or a lone Latin-1 byte. */
  const answers: Record<string, Buffer> = {
    '/utf8': Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nX-Name: '),
      Buffer.from('café ☕', 'utf8'),
      Buffer.from('\r\nSet-Cookie: uni='),
      Buffer.from('é', 'utf8'),
      Buffer.from('\r\nContent-Length: 0\r\n\r\n'),
    ]),
    '/latin1': Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nX-Name: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r\nContent-Length: 0\r\n\r\n'),
    ]),
  };
  let server: net.Server;
  let base: string;
  const client = createHttpClient();

  beforeAll(async () => {
    server = net.createServer((socket) => {
      socket.on('data', (data) => socket.write(answers[data.toString('latin1').split(' ')[1] ?? ''] ?? Buffer.alloc(0)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });

  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a value in UTF-8 as UTF-8, as curl and Hurl show it (was Latin-1: cafÃ©)', async () => {
    const response = await client.send(prepareRequest(`${base}/utf8`));
    expect(getHeader(response.headers, 'x-name')).toBe('café ☕');
    expect(getHeader(response.headers, 'set-cookie')).toBe('uni=é');
  });

  it('reads a value that is not UTF-8 byte by byte (Latin-1, RFC 9110 §5.5 obs-text)', async () => {
    const response = await client.send(prepareRequest(`${base}/latin1`));
    expect(getHeader(response.headers, 'x-name')).toBe('café');
  });
});

describe('the response HTTP version', () => {
  /** Answers with the status line its path names, keeping the connection (HTTP/1.1) or closing it (HTTP/1.0). */
  let server: net.Server;
  let base: string;
  const client = createHttpClient();

  beforeAll(async () => {
    server = net.createServer((socket) => {
      socket.on('data', (data) => {
        const path = data.toString('latin1').split(' ')[1] ?? '';
        if (path === '/v10') socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold');
        else if (path === '/v10-redirect') socket.end('HTTP/1.0 302 Found\r\nLocation: /v11\r\nContent-Length: 0\r\n\r\n');
        else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });

  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is the status line\'s: "1.0" for an HTTP/1.0 server (was reported as "1.1"), as curl shows HTTP/1.0', async () => {
    const old = await client.send(prepareRequest(`${base}/v10`));
    expect(old.httpVersion).toBe('1.0');
    expect(Buffer.from(old.body).toString()).toBe('old');
    const current = await client.send(prepareRequest(`${base}/v11`));
    expect(current.httpVersion).toBe('1.1');
  });

  it("is the final hop's after a redirect", async () => {
    const response = await client.send(prepareRequest(`${base}/v10-redirect`));
    expect(response.redirects).toEqual([`${base}/v11`]);
    expect(response.httpVersion).toBe('1.1');
  });
});
