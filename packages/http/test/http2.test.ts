import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { getHeader, type SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type H2RecordedRequest, type H2Server, readTlsFixture, startH2Server } from '../../../fixtures/src/http-extras/index.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../src/index.js';
import { parseJson, prepareRequest } from './test-server.js';

describe('HTTP/2', () => {
  let server: H2Server;
  const clients: HttpClient[] = [];
  const ca = [readTlsFixture('ca.pem').toString()];
  const newClient = (options: HttpClientOptions = {}) => {
    const client = createHttpClient({ ca, proxy: false, ...options });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startH2Server();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('speaks h2 when the client enables http2, as the server sees it', async () => {
    const response = await newClient({ http2: true }).send(prepareRequest(`${server.url}/h2?x=1`));
    const seen = parseJson(response.body) as H2RecordedRequest;
    expect(seen.httpVersion).toBe('2.0');
    expect(seen.alpnProtocol).toBe('h2');
    expect(seen.path).toBe('/h2?x=1');
    expect(response.httpVersion).toBe('2');
    expect(server.requests.at(-1)?.httpVersion).toBe('2.0');
  });

  it("says an h2-only server needs http2, instead of OpenSSL's alert text", async () => {
    const h2Only = createSecureServer(
      { key: readTlsFixture('server-key.pem'), cert: readTlsFixture('server.pem'), allowHTTP1: false },
      (_, response) => response.end('h2'),
    );
    await new Promise<void>((done) => h2Only.listen(0, '127.0.0.1', done));
    const { port } = h2Only.address() as AddressInfo;
    try {
      const url = server.url.replace(/:\d+$/, `:${port}`);
      const error = (await newClient()
        .send(prepareRequest(`${url}/only`))
        .catch((e: unknown) => e)) as SortieError;
      expect(error.title).toBe('TLS handshake failed');
      expect(error.message).toContain('refused the handshake: it speaks none of the protocols offered (TLS alert no_application_protocol');
      expect(error.message).not.toContain('\n');
      expect(error.hint).toContain('`http2: true`');
      const h2 = newClient({ http2: true });
      expect((await h2.send(prepareRequest(`${url}/only`))).httpVersion).toBe('2');
      await h2.close();
    } finally {
      await new Promise((done) => h2Only.close(done));
    }
  });

  it('stays on HTTP/1.1 by default against the same server', async () => {
    const response = await newClient().send(prepareRequest(`${server.url}/h1`));
    expect((parseJson(response.body) as H2RecordedRequest).httpVersion).toBe('1.1');
    expect(response.httpVersion).toBe('1.1');
  });

  it('lets a request switch HTTP/2 on or off whatever the client default', async () => {
    const plain = newClient();
    const on = await plain.send({ ...prepareRequest(`${server.url}/on`), http2: true });
    expect((parseJson(on.body) as H2RecordedRequest).httpVersion).toBe('2.0');
    expect(on.httpVersion).toBe('2');
    const h2 = newClient({ http2: true });
    const off = await h2.send({ ...prepareRequest(`${server.url}/off`), http2: false });
    expect((parseJson(off.body) as H2RecordedRequest).httpVersion).toBe('1.1');
    expect(off.httpVersion).toBe('1.1');
  });

  it('sends method, headers and body intact over h2', async () => {
    const response = await newClient({ http2: true }).send(
      prepareRequest(`${server.url}/post`, {
        method: 'POST',
        headers: [
          ['Content-Type', 'application/json'],
          ['X-Trace', 'h2-trace'],
        ],
        body: '{"hello":"h2"}',
      }),
    );
    const seen = parseJson(response.body) as H2RecordedRequest;
    expect(seen).toMatchObject({ httpVersion: '2.0', method: 'POST', body: '{"hello":"h2"}' });
    expect(seen.headers['x-trace']).toBe('h2-trace');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(getHeader(response.headers, 'content-type')).toBe('application/json');
  });

  it('keeps cookies across h2 requests', async () => {
    const client = newClient({ http2: true });
    await client.send(prepareRequest(`${server.url}/login?set-cookie=${encodeURIComponent('h2session=yes; Path=/; Secure; HttpOnly')}`));
    const response = await client.send(prepareRequest(`${server.url}/me`));
    expect((parseJson(response.body) as H2RecordedRequest).headers.cookie).toBe('h2session=yes');
    expect(await client.cookiesFor(`${server.url}/`)).toEqual({ h2session: 'yes' });
  });

  it('falls back to HTTP/1.1 on plain http even when http2 is on', async () => {
    const { startApiServer } = await import('../../../fixtures/src/http-extras/index.js');
    const api = await startApiServer();
    try {
      const response = await newClient({ http2: true }).send(prepareRequest(`${api.url}/echo`));
      expect(response.status).toBe(200);
      expect(response.httpVersion).toBe('1.1');
    } finally {
      await api.close();
    }
  });
});
