import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ErrorCode, SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertHttpError } from '../src/convert-error.js';
import { createHttpClient, type HttpClient } from '../src/index.js';
import { prepareRequest, startHttpsServer, type TestServer } from './test-server.js';

const certs = (name: string) => readFileSync(fileURLToPath(new URL(`./certs/${name}`, import.meta.url)), 'utf8');

describe('TLS', () => {
  let server: TestServer;
  const clients: HttpClient[] = [];
  const newClient = (...args: Parameters<typeof createHttpClient>) => {
    const client = createHttpClient(...args);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startHttpsServer({ key: certs('server-key.pem'), cert: certs('server.pem') }, (request, response) => {
      response.end(`secure ${request.url}`);
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('verifies certificates by default and rejects an unknown CA', async () => {
    const error = await newClient()
      .send(prepareRequest(`${server.url}/`))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SortieError);
    expect((error as SortieError).code).toBe(ErrorCode.NETWORK);
    expect((error as SortieError).title).toBe('TLS certificate error');
    expect((error as SortieError).hint).toBe('use --insecure or --ca <file>');
  });

  it('says the name does not match, not "use --ca", when a trusted certificate is for another host', async () => {
    const error = await newClient({ ca: [certs('ca.pem')] })
      .send(prepareRequest(`https://api.localhost:${server.port}/`))
      .catch((e: unknown) => e);
    expect((error as SortieError).title).toBe('TLS certificate error');
    expect((error as SortieError).message).toContain("Host: api.localhost. is not in the cert's altnames: DNS:localhost");
    expect((error as SortieError).hint).toBe(
      'the certificate is for another host name: call the server by a name it lists, or use --insecure',
    );
  });

  it("says a plain HTTP server did not answer in TLS, without OpenSSL's source file and line break", async () => {
    const plain = createServer((_, response) => response.end('plain'));
    await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
    try {
      const { port } = plain.address() as AddressInfo;
      const error = (await newClient()
        .send(prepareRequest(`https://127.0.0.1:${port}/`))
        .catch((e: unknown) => e)) as SortieError;
      expect(error.code).toBe(ErrorCode.NETWORK);
      expect(error.title).toBe('TLS handshake failed');
      // It was `TLS with … failed: 807C…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…:350:\n`.
      expect(error.message).toBe(
        `127.0.0.1:${port} did not answer in TLS (OpenSSL: wrong version number) (GET https://127.0.0.1:${port}/)`,
      );
      expect(error.hint).toBe('is it a plain HTTP server? Call it with http://, or check the port');
    } finally {
      await new Promise((done) => plain.close(done));
    }
  });

  it('hints https:// when an http:// request reaches a TLS server that closes the connection (curl: "Empty reply from server")', async () => {
    const error = (await newClient()
      .send(prepareRequest(`http://127.0.0.1:${server.port}/path?token=secret`))
      .catch((e: unknown) => e)) as SortieError;
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(error.title).toBe('Connection reset');
    expect(error.hint).toBe(
      `the server closed a new connection without answering: if it speaks HTTPS on this port, call it with https://127.0.0.1:${server.port}/path`,
    );
  });

  it('hints https:// when an http:// request is answered with a TLS alert record (RFC 8446 §6), not only "malformed"', async () => {
    // A handshake_failure alert (level 2, description 40) in a TLS 1.2 record, as some TLS stacks answer plain HTTP.
    const alerting = net.createServer((socket) => {
      socket.once('data', () => socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])));
    });
    await new Promise<void>((done) => alerting.listen(0, '127.0.0.1', done));
    try {
      const { port } = alerting.address() as AddressInfo;
      const error = (await newClient()
        .send(prepareRequest(`http://127.0.0.1:${port}/`))
        .catch((e: unknown) => e)) as SortieError;
      expect(error.title).toBe('Invalid response');
      expect(error.hint).toBe(`the server answered with a TLS alert: it speaks HTTPS on this port; call it with https://127.0.0.1:${port}`);
    } finally {
      await new Promise((done) => alerting.close(done));
    }
  });

  it('names the usual HTTPS port in the hint, and gives none for a kept-alive connection or an https:// URL', () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const at = (url: string, freshConnection: boolean) => convertHttpError(reset, { method: 'GET', url, freshConnection }).hint;
    expect(at('http://user:pw@api.example:8443/v1', true)).toBe('port 8443 is usually HTTPS: call it with https://api.example:8443/v1');
    expect(at('http://api.example:8443/v1', false)).toBeUndefined();
    expect(at('https://api.example:8443/v1', true)).toBeUndefined();
  });

  it('says an expired certificate must be renewed, not "use --ca" (a CA file cannot make it valid)', async () => {
    const expired = await startHttpsServer({ key: certs('server-key.pem'), cert: certs('expired.pem') }, (_, response) => {
      response.end();
    });
    try {
      const error = (await newClient({ ca: [certs('ca.pem')] })
        .send(prepareRequest(`${expired.url}/`))
        .catch((e: unknown) => e)) as SortieError;
      expect(error.title).toBe('TLS certificate error');
      expect(error.message).toBe(`certificate of 127.0.0.1:${expired.port} rejected: certificate has expired (GET ${expired.url}/)`);
      expect(error.hint).toBe(
        "the certificate is outside its validity period: renew it on the server (or check this machine's clock), or use --insecure",
      );
    } finally {
      await expired.close();
    }
  });

  it('trusts a server signed by an extra CA', async () => {
    const response = await newClient({ ca: [certs('ca.pem')] }).send(prepareRequest(`https://localhost:${server.port}/ok`));
    expect(response.status).toBe(200);
    expect(Buffer.from(response.body).toString()).toBe('secure /ok');
  });

  it('skips verification when insecure', async () => {
    const response = await newClient({ insecure: true }).send(prepareRequest(`${server.url}/anything`));
    expect(response.status).toBe(200);
    expect(Buffer.from(response.body).toString()).toBe('secure /anything');
  });

  it('reports dns, connect and tls on a new TLS connection', async () => {
    const response = await newClient({ ca: [certs('ca.pem')] }).send(prepareRequest(`https://localhost:${server.port}/t`));
    expect(response.timings.dns).toBeGreaterThanOrEqual(0);
    expect(response.timings.connect).toBeGreaterThanOrEqual(0);
    expect(response.timings.tls).toBeGreaterThan(0);
  });
});
