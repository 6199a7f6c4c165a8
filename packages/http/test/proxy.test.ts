import { ErrorCode, SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  type ForwardProxy,
  type H2RecordedRequest,
  type H2Server,
  readTlsFixture,
  startApiServer,
  startForwardProxy,
  startH2Server,
} from '../../../fixtures/src/http-extras/index.js';
import { createHttpClient, foldRepeatedHeaders, type HttpClient, type HttpClientOptions } from '../src/index.js';
import { parseJson, prepareRequest } from './test-server.js';

interface Echo {
  cookie: string | null;
  path: string;
  host: string;
}

describe('proxies', () => {
  let api: ApiServer;
  let tls: H2Server;
  let proxy: ForwardProxy;
  let securedProxy: ForwardProxy;
  let loopbackProxy: ForwardProxy;
  const clients: HttpClient[] = [];
  const ca = [readTlsFixture('ca.pem').toString()];
  const newClient = (options: HttpClientOptions) => {
    const client = createHttpClient({ ca, ...options });
    clients.push(client);
    return client;
  };
  const exchangesSince = (from: number) => proxy.exchanges.slice(from);

  beforeAll(async () => {
    api = await startApiServer();
    tls = await startH2Server();
    proxy = await startForwardProxy();
    securedProxy = await startForwardProxy({ credentials: { user: 'agent', password: 'p@ss word' } });
    loopbackProxy = await startForwardProxy({ loopback: true });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all([api.close(), tls.close(), proxy.close(), securedProxy.close(), loopbackProxy.close()]);
  });

  it('sends plain http through an explicit proxy as an absolute-URI request', async () => {
    const from = proxy.exchanges.length;
    const response = await newClient({ proxy: { url: proxy.url } }).send(prepareRequest(`${api.url}/echo?via=proxy`));
    expect(response.status).toBe(200);
    expect((parseJson(response.body) as Echo).host).toBe(`127.0.0.1:${api.port}`);
    expect(exchangesSince(from)).toEqual([{ kind: 'forward', method: 'GET', target: `${api.url}/echo?via=proxy` }]);
  });

  it('tunnels https through the proxy with CONNECT and still verifies the server certificate', async () => {
    const from = proxy.exchanges.length;
    const response = await newClient({ proxy: proxy.url }).send(prepareRequest(`${tls.url}/tunnelled`));
    expect((parseJson(response.body) as H2RecordedRequest).path).toBe('/tunnelled');
    expect(exchangesSince(from)).toEqual([{ kind: 'tunnel', method: 'CONNECT', target: `localhost:${tls.port}` }]);

    const untrusted = createHttpClient({ proxy: proxy.url });
    clients.push(untrusted);
    const error = await untrusted.send(prepareRequest(`${tls.url}/untrusted`)).catch((e: unknown) => e);
    expect((error as SortieError).title).toBe('TLS certificate error');
  });

  it('negotiates HTTP/2 inside a CONNECT tunnel', async () => {
    const response = await newClient({ proxy: proxy.url, http2: true }).send(prepareRequest(`${tls.url}/h2-tunnel`));
    expect((parseJson(response.body) as H2RecordedRequest).httpVersion).toBe('2.0');
    expect(response.httpVersion).toBe('2');
  });

  it('reads response headers of up to 300 KiB through a proxy too, as directly', async () => {
    const response = await newClient({ proxy: proxy.url }).send(prepareRequest(`${api.url}/big-header?bytes=${100 * 1024}`));
    expect(Buffer.from(response.body).toString()).toBe('big');
  });

  it('reaches noProxy hosts directly', async () => {
    const from = proxy.exchanges.length;
    const client = newClient({ proxy: { url: proxy.url, noProxy: ['localhost'] } });
    await client.send(prepareRequest(`http://localhost:${api.port}/echo`));
    expect(exchangesSince(from)).toEqual([]);
    await client.send(prepareRequest(`${api.url}/echo`));
    expect(exchangesSince(from)).toHaveLength(1);
  });

  it('reaches directly the addresses of a noProxy CIDR range and an IPv6 address, as curl and Go do', async () => {
    const from = proxy.exchanges.length;
    const client = newClient({ proxy: { url: proxy.url, noProxy: ['10.0.0.0/8', '127.0.0.0/8'] } });
    const response = await client.send(prepareRequest(`${api.url}/echo?direct=cidr`));
    expect((parseJson(response.body) as Echo).path).toBe('/echo');
    expect(exchangesSince(from)).toEqual([]);
    // ::1 was read as host ":" port 1, so [::1] went to the proxy.
    const v6 = newClient({ proxy: { url: proxy.url, noProxy: ['::1'] } });
    const error = await v6.send(prepareRequest(`http://[::1]:${api.port}/echo`)).catch((e: unknown) => e as SortieError);
    expect((error as SortieError).message).toContain('connection to [::1]');
    expect(exchangesSince(from)).toEqual([]);
  });

  it('uses HTTP_PROXY and NO_PROXY from the environment when no proxy is configured, never for loopback', async () => {
    const from = loopbackProxy.exchanges.length;
    const client = newClient({ env: { HTTP_PROXY: loopbackProxy.url, NO_PROXY: 'direct.test' } });
    const proxied = await client.send(prepareRequest(`http://api.proxied.test:${api.port}/echo?from=env`));
    expect((parseJson(proxied.body) as Echo).host).toBe(`api.proxied.test:${api.port}`);
    await client.send(prepareRequest(`${api.url}/loopback`));
    await client.send(prepareRequest(`http://localhost:${api.port}/loopback`));
    const direct = await client.send(prepareRequest(`http://direct.test:${api.port}/echo`)).catch((e: unknown) => e);
    expect((direct as SortieError).title).toBe('DNS lookup failed');
    expect(loopbackProxy.exchanges.slice(from)).toEqual([
      { kind: 'forward', method: 'GET', target: `http://api.proxied.test:${api.port}/echo?from=env` },
    ]);
  });

  it('sends https through HTTPS_PROXY from the environment', async () => {
    const from = loopbackProxy.exchanges.length;
    const client = newClient({ env: { https_proxy: loopbackProxy.url }, insecure: true });
    await client.send(prepareRequest(`https://app.proxied.test:${tls.port}/env-https`));
    expect(loopbackProxy.exchanges.slice(from)).toEqual([{ kind: 'tunnel', method: 'CONNECT', target: `app.proxied.test:${tls.port}` }]);
  });

  it('reaches https directly when the environment names only an HTTP proxy, as curl, Go and Python do', async () => {
    const from = loopbackProxy.exchanges.length;
    const client = newClient({ env: { http_proxy: loopbackProxy.url }, insecure: true });
    const direct = await client.send(prepareRequest(`https://app.proxied.test:${tls.port}/not-via-http-proxy`)).catch((e: unknown) => e);
    expect((direct as SortieError).title).toBe('DNS lookup failed');
    await client.send(prepareRequest(`http://api.proxied.test:${api.port}/via-http-proxy`));
    expect(loopbackProxy.exchanges.slice(from)).toEqual([
      { kind: 'forward', method: 'GET', target: `http://api.proxied.test:${api.port}/via-http-proxy` },
    ]);
  });

  it('takes ALL_PROXY for a scheme without its own proxy variable, as curl does', async () => {
    const from = loopbackProxy.exchanges.length;
    const client = newClient({ env: { ALL_PROXY: loopbackProxy.url }, insecure: true });
    await client.send(prepareRequest(`https://app.proxied.test:${tls.port}/all-https`));
    await client.send(prepareRequest(`http://api.proxied.test:${api.port}/all-http`));
    expect(loopbackProxy.exchanges.slice(from)).toEqual([
      { kind: 'tunnel', method: 'CONNECT', target: `app.proxied.test:${tls.port}` },
      { kind: 'forward', method: 'GET', target: `http://api.proxied.test:${api.port}/all-http` },
    ]);
  });

  it('ignores the environment when proxy is false', async () => {
    const from = loopbackProxy.exchanges.length;
    const direct = await newClient({ proxy: false, env: { HTTP_PROXY: loopbackProxy.url } })
      .send(prepareRequest(`http://api.proxied.test:${api.port}/direct`))
      .catch((e: unknown) => e);
    expect((direct as SortieError).title).toBe('DNS lookup failed');
    expect(loopbackProxy.exchanges.slice(from)).toEqual([]);
  });

  it('authenticates with credentials from the proxy URL, for forwarded and tunnelled requests', async () => {
    const url = new URL(securedProxy.url);
    url.username = 'agent';
    url.password = encodeURIComponent('p@ss word');
    const client = newClient({ proxy: url.href });
    expect((await client.send(prepareRequest(`${api.url}/echo`))).status).toBe(200);
    expect((await client.send(prepareRequest(`${tls.url}/secured`))).status).toBe(200);
    const expected = `Basic ${Buffer.from('agent:p@ss word').toString('base64')}`;
    expect(securedProxy.exchanges.map((e) => [e.kind, e.proxyAuthorization])).toEqual([
      ['forward', expected],
      ['tunnel', expected],
    ]);
  });

  it('fails with a proxy error naming the status when the proxy wants credentials', async () => {
    const client = newClient({ proxy: securedProxy.url });
    for (const url of [`${api.url}/echo`, `${tls.url}/x`]) {
      const error = await client.send(prepareRequest(url)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SortieError);
      expect((error as SortieError).code).toBe(ErrorCode.NETWORK);
      expect((error as SortieError).title).toBe('Proxy refused the request');
      expect((error as SortieError).message).toContain('407');
    }
  });

  it('hints at checking the credentials of the proxy URL when the proxy does not accept them, without showing them', async () => {
    const url = new URL(securedProxy.url);
    url.username = 'agent';
    url.password = 'not-the-password';
    const client = newClient({ proxy: url.href });
    for (const target of [`${api.url}/echo`, `${tls.url}/x`]) {
      const error = (await client.send(prepareRequest(target)).catch((e: unknown) => e)) as SortieError;
      expect(error.title).toBe('Proxy refused the request');
      expect(error.hint).toContain('when they are there, the proxy did not accept them: check them');
      expect(JSON.stringify([error.message, error.hint])).not.toContain('not-the-password');
    }
  });

  it('names the proxy, not the target, when the proxy cannot be reached (as curl does)', async () => {
    // A port that was listening and is closed now: nothing answers there.
    const gone = await startForwardProxy();
    const goneUrl = new URL(gone.url);
    await gone.close();
    const client = newClient({ proxy: `http://agent:${encodeURIComponent('s3cret')}@${goneUrl.host}` });
    for (const url of ['http://api.example.test:8080/echo', 'https://api.example.test/x']) {
      const error = (await client.send(prepareRequest(url)).catch((e: unknown) => e)) as SortieError;
      expect(error).toBeInstanceOf(SortieError);
      expect(error.title).toBe('Connection refused');
      expect(error.message).toBe(`connection to the proxy ${goneUrl.host} refused (GET ${url})`);
      expect(error.hint).toBe('is the proxy running and listening on that port?');
      expect(JSON.stringify(error)).not.toContain('s3cret');
    }
    const unresolvable = newClient({ proxy: 'http://proxy.invalid:3128' });
    const error = (await unresolvable.send(prepareRequest(`${api.url}/echo`)).catch((e: unknown) => e)) as SortieError;
    expect(error.title).toBe('DNS lookup failed');
    expect(error.message).toBe(`cannot resolve the proxy host "proxy.invalid" (GET ${api.url}/echo)`);
  });

  it('still names the target when a noProxy host cannot be reached directly', async () => {
    const gone = await startForwardProxy();
    const goneUrl = new URL(gone.url);
    await gone.close();
    const client = newClient({ proxy: { url: proxy.url, noProxy: ['127.0.0.1'] } });
    const url = `http://${goneUrl.host}/x`;
    const error = (await client.send(prepareRequest(url)).catch((e: unknown) => e)) as SortieError;
    expect(error.title).toBe('Connection refused');
    expect(error.message).toBe(`connection to ${goneUrl.host} refused (GET ${url})`);
    expect(error.hint).toBe('is the server running and listening on that port?');
  });

  it('keeps repeated request headers through the proxy by folding them', async () => {
    const response = await newClient({ proxy: proxy.url }).send(
      prepareRequest(`${tls.url}/fold`, {
        headers: [
          ['X-Multi', 'a'],
          ['x-multi', 'b'],
          ['Cookie', 'a=1'],
          ['Cookie', 'b=2'],
        ],
      }),
    );
    const seen = parseJson(response.body) as H2RecordedRequest;
    expect(seen.headers['x-multi']).toBe('a, b');
    expect(seen.headers.cookie).toBe('a=1; b=2');
  });

  it('rejects a malformed proxy URL when the client is created, without its password', () => {
    let error: unknown;
    try {
      createHttpClient({ proxy: 'http://user:hunter22@' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SortieError);
    expect((error as SortieError).code).toBe(ErrorCode.INVALID_INPUT);
    expect((error as SortieError).message).not.toContain('hunter22');
  });

  it('rejects a proxy URL of an unsupported scheme', () => {
    expect(() => createHttpClient({ env: { HTTPS_PROXY: 'ftp://proxy.test:21' } })).toThrow(
      /HTTPS_PROXY "ftp:\/\/proxy.test:21" uses ftp:/,
    );
  });
});

describe('foldRepeatedHeaders', () => {
  it('joins repeated names in order and leaves the rest in place', () => {
    expect(foldRepeatedHeaders(['A', '1', 'b', '2', 'a', '3', 'Cookie', 'x=1', 'c', '4', 'cookie', 'y=2'])).toEqual([
      'A',
      '1, 3',
      'b',
      '2',
      'Cookie',
      'x=1; y=2',
      'c',
      '4',
    ]);
  });

  it('returns the same list when nothing repeats', () => {
    const headers = ['a', '1', 'b', '2'];
    expect(foldRepeatedHeaders(headers)).toBe(headers);
  });
});
