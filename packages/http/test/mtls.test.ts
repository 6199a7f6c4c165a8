import { createPrivateKey } from 'node:crypto';
import { ErrorCode, SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_PFX_PASSPHRASE, type MtlsServer, readTlsFixture, startMtlsServer } from '../../../fixtures/src/http-extras/index.js';
import { type ClientCertificateOptions, createHttpClient, type HttpClient, type HttpClientOptions } from '../src/index.js';
import { parseJson, prepareRequest } from './test-server.js';

const pem = (name: Parameters<typeof readTlsFixture>[0]) => readTlsFixture(name).toString();

function captureError(run: () => unknown): SortieError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SortieError);
    return error as SortieError;
  }
  throw new Error('expected an error');
}

describe('client certificates (mutual TLS)', () => {
  let server: MtlsServer;
  const clients: HttpClient[] = [];
  const ca = [pem('ca.pem')];
  const clientPem: ClientCertificateOptions = { cert: pem('client.pem'), key: pem('client-key.pem') };
  const newClient = (options: HttpClientOptions) => {
    const client = createHttpClient({ ca, proxy: false, ...options });
    clients.push(client);
    return client;
  };
  const rejection = async (client: HttpClient, url: string) => {
    const error = await client.send(prepareRequest(url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SortieError);
    return error as SortieError;
  };

  beforeAll(async () => {
    server = await startMtlsServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('presents a PEM certificate and key the server verifies', async () => {
    const response = await newClient({ clientCertificates: [clientPem] }).send(prepareRequest(`${server.url}/pem`));
    expect(response.status).toBe(200);
    expect(parseJson(response.body)).toEqual({ client: 'sortie-test-client', path: '/pem' });
  });

  it('presents a PKCS#12 certificate opened with its passphrase', async () => {
    const client = newClient({ clientCertificates: [{ pfx: readTlsFixture('client.p12'), passphrase: CLIENT_PFX_PASSPHRASE }] });
    const response = await client.send(prepareRequest(`${server.url}/pfx`));
    expect(parseJson(response.body)).toEqual({ client: 'sortie-test-client', path: '/pfx' });
  });

  it('fails with a network error when no certificate is presented', async () => {
    const error = await rejection(newClient({}), `${server.url}/none`);
    expect(error.code).toBe(ErrorCode.NETWORK);
  });

  it('fails when the certificate comes from a CA the server does not trust', async () => {
    const error = await rejection(
      newClient({ clientCertificates: [{ cert: pem('rogue-client.pem'), key: pem('rogue-client-key.pem') }] }),
      `${server.url}/rogue`,
    );
    expect(error.code).toBe(ErrorCode.NETWORK);
    expect(server.clients).not.toContain('rogue-client');
  });

  it('presents a host-scoped certificate only to that host', async () => {
    const scoped = newClient({ clientCertificates: [{ ...clientPem, host: `localhost:${server.port}` }] });
    const response = await scoped.send(prepareRequest(`${server.url}/scoped`));
    expect((parseJson(response.body) as { client: string }).client).toBe('sortie-test-client');
    const elsewhere = newClient({ clientCertificates: [{ ...clientPem, host: 'api.example.com' }] });
    expect((await rejection(elsewhere, `${server.url}/elsewhere`)).code).toBe(ErrorCode.NETWORK);
  });

  it('prefers the most specific certificate for a host', async () => {
    const client = newClient({
      clientCertificates: [
        { cert: pem('rogue-client.pem'), key: pem('rogue-client-key.pem') },
        { ...clientPem, host: 'LOCALHOST' },
      ],
    });
    const response = await client.send(prepareRequest(`${server.url}/specific`));
    expect((parseJson(response.body) as { client: string }).client).toBe('sortie-test-client');
  });

  it('rejects a PFX with the wrong passphrase when the client is created, without showing the passphrase', () => {
    const error = captureError(() =>
      createHttpClient({ clientCertificates: [{ host: 'api.test', pfx: readTlsFixture('client.p12'), passphrase: 'wrong-passphrase' }] }),
    );
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toContain('client certificate 1 (host api.test)');
    expect(error.message).not.toContain('wrong-passphrase');
    // OpenSSL alone said "mac verify failure".
    expect(error.message).toContain('the passphrase does not open the pfx (PKCS#12) file');
    expect(error.hint).toBe('check the passphrase of the pfx file');
  });

  it('says a PFX needs a passphrase when none is given', () => {
    const error = captureError(() => createHttpClient({ clientCertificates: [{ pfx: readTlsFixture('client.p12') }] }));
    expect(error.message).toContain('the pfx (PKCS#12) file is protected by a passphrase, and none is given');
    expect(error.hint).toContain('--ssl-client-passphrase');
  });

  it('says a pfx that is a PEM file is not a PKCS#12 file', () => {
    const error = captureError(() => createHttpClient({ clientCertificates: [{ pfx: readTlsFixture('client.pem'), passphrase: 'x' }] }));
    expect(error.message).toContain('the pfx file is not a PKCS#12 file (OpenSSL: wrong tag)');
  });

  it('says a key that does not match the certificate does not belong to it', () => {
    const error = captureError(() =>
      createHttpClient({ clientCertificates: [{ cert: pem('client.pem'), key: pem('rogue-client-key.pem') }] }),
    );
    expect(error.message).toContain('client certificate 1 cannot be loaded: the key does not belong to the certificate');
    expect(error.hint).toBe('give the private key the certificate was issued for');
  });

  it('says an encrypted key needs its passphrase, or that the passphrase is wrong, without showing it', () => {
    const encrypted = createPrivateKey(pem('client-key.pem'))
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right-one' })
      .toString();
    const none = captureError(() => createHttpClient({ clientCertificates: [{ cert: pem('client.pem'), key: encrypted }] }));
    expect(none.message).toContain('the key is encrypted, and no passphrase is given');
    const wrong = captureError(() =>
      createHttpClient({ clientCertificates: [{ cert: pem('client.pem'), key: encrypted, passphrase: 'wrong-one' }] }),
    );
    expect(wrong.message).toContain('the passphrase does not decrypt the key');
    expect(wrong.message).not.toContain('wrong-one');
    expect(() =>
      createHttpClient({ clientCertificates: [{ cert: pem('client.pem'), key: encrypted, passphrase: 'right-one' }] }),
    ).not.toThrow();
  });

  it('says which PEM file is not what it should be', () => {
    const cert = captureError(() =>
      createHttpClient({ clientCertificates: [{ cert: pem('client-key.pem'), key: pem('client-key.pem') }] }),
    );
    expect(cert.message).toContain('the certificate is not a PEM certificate');
  });

  it('rejects an entry with a certificate but no key', () => {
    const error = captureError(() => createHttpClient({ clientCertificates: [{ cert: pem('client.pem') } as ClientCertificateOptions] }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toContain('needs either cert and key, or pfx');
  });

  it('rejects a key that is not PEM', () => {
    const error = captureError(() => createHttpClient({ clientCertificates: [{ cert: pem('client.pem'), key: 'not a key' }] }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toContain('the key is not a PEM private key');
  });
});

describe('extra CA per host', () => {
  let server: MtlsServer;
  const clients: HttpClient[] = [];
  const clientCertificates = [{ cert: pem('client.pem'), key: pem('client-key.pem') }];

  beforeAll(async () => {
    server = await startMtlsServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('trusts the CA only for the host it is given for', async () => {
    const client = createHttpClient({ proxy: false, clientCertificates, hostCa: [{ host: 'localhost', ca: [pem('ca.pem')] }] });
    clients.push(client);
    const trusted = await client.send(prepareRequest(`https://localhost:${server.port}/trusted`));
    expect(trusted.status).toBe(200);
    const error = await client.send(prepareRequest(`https://127.0.0.1:${server.port}/other-host`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SortieError);
    expect((error as SortieError).title).toBe('TLS certificate error');
  });

  it('matches host:port entries on the port too', async () => {
    const client = createHttpClient({
      proxy: false,
      clientCertificates,
      hostCa: [{ host: `localhost:${server.port + 1}`, ca: [pem('ca.pem')] }],
    });
    clients.push(client);
    const error = await client.send(prepareRequest(`https://localhost:${server.port}/wrong-port`)).catch((e: unknown) => e);
    expect((error as SortieError).title).toBe('TLS certificate error');
  });
});
