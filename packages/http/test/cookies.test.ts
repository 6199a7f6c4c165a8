import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  type ForwardProxy,
  type H2RecordedRequest,
  type H2Server,
  startApiServer,
  startForwardProxy,
  startH2Server,
} from '../../../fixtures/src/http-extras/index.js';
import { createHttpClient, type HttpClient, type HttpClientOptions, mergeCookieHeader } from '../src/index.js';
import { parseJson, prepareRequest } from './test-server.js';

interface Echo {
  cookie: string | null;
  path: string;
}

describe('cookie jar', () => {
  let api: ApiServer;
  const clients: HttpClient[] = [];
  const newClient = (options: HttpClientOptions = {}) => {
    const client = createHttpClient({ proxy: false, ...options });
    clients.push(client);
    return client;
  };
  const get = async (client: HttpClient, path: string, headers: [string, string][] = [], base = api.url) => {
    const response = await client.send(prepareRequest(`${base}${path}`, { headers }));
    return parseJson(response.body) as Echo;
  };
  const set = (client: HttpClient, cookies: Record<string, string>, attrs?: string) => {
    const query = new URLSearchParams(cookies);
    if (attrs !== undefined) query.set('attrs', attrs);
    return client.send(prepareRequest(`${api.url}/cookies/set?${query}`));
  };

  beforeAll(async () => {
    api = await startApiServer();
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await api.close();
  });

  it('sends cookies a response set on later requests to the same host', async () => {
    const client = newClient();
    await set(client, { session: 'abc' });
    await client.send(prepareRequest(`${api.url}/cookies/set-many`));
    expect((await get(client, '/cookies/echo')).cookie).toBe('session=abc; first=1; second=2');
    expect(await client.cookiesFor(`${api.url}/cookies/echo`)).toEqual({ session: 'abc', first: '1', second: '2' });
  });

  it('stores the cookies of a redirect hop and sends them on the next hop', async () => {
    const client = newClient();
    const response = await client.send(prepareRequest(`${api.url}/cookies/redirect`));
    expect(response.redirects).toEqual([`${api.url}/cookies/echo`]);
    expect((parseJson(response.body) as Echo).cookie).toBe('hop=1');
  });

  it('sends a cookie only under its Path', async () => {
    const client = newClient();
    await set(client, { scoped: '1' }, 'Path=/cookies/api');
    expect((await get(client, '/cookies/api/orders')).cookie).toBe('scoped=1');
    expect((await get(client, '/cookies/apiary')).cookie).toBeNull();
    expect((await get(client, '/cookies/other')).cookie).toBeNull();
    expect(await client.cookiesFor(`${api.url}/cookies/other`)).toEqual({});
  });

  it('keeps a host-only cookie to the host that set it', async () => {
    const client = newClient();
    await set(client, { hostOnly: 'yes' });
    expect((await get(client, '/cookies/echo')).cookie).toBe('hostOnly=yes');
    expect((await get(client, '/cookies/echo', [], `http://localhost:${api.port}`)).cookie).toBeNull();
  });

  it('forgets a cookie that a later response expires', async () => {
    const client = newClient();
    await set(client, { gone: '1', kept: '1' });
    await set(client, { gone: 'x' }, 'Max-Age=0');
    expect((await get(client, '/cookies/echo')).cookie).toBe('kept=1');
    await set(client, { kept: 'x' }, 'Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    expect((await get(client, '/cookies/echo')).cookie).toBeNull();
  });

  it('keeps a Cookie header the request sets and merges the jar cookies after it', async () => {
    const client = newClient();
    await set(client, { session: 'abc', theme: 'dark' });
    const echo = await get(client, '/cookies/echo', [['Cookie', 'theme=light; extra=1']]);
    expect(echo.cookie).toBe('theme=light; extra=1; session=abc');
  });

  it('keeps one jar per client', async () => {
    const first = newClient();
    await set(first, { mine: '1' });
    expect((await get(newClient(), '/cookies/echo')).cookie).toBeNull();
  });

  it('neither stores nor sends cookies when cookies is false, and keeps the request Cookie as is', async () => {
    const client = newClient({ cookies: false });
    await set(client, { session: 'abc' });
    expect((await get(client, '/cookies/echo')).cookie).toBeNull();
    expect((await get(client, '/cookies/echo', [['Cookie', 'own=1']])).cookie).toBe('own=1');
    expect(await client.cookiesFor(`${api.url}/`)).toEqual({});
  });

  it('removes a cookie of any Path or Domain on a script’s unset and clear (an expired Path=/ cookie left the others)', async () => {
    const client = newClient();
    await set(client, { here: '1' });
    await set(client, { scoped: '2' }, 'Path=/cookies/api');
    await set(client, { root: '3' }, 'Path=/');
    await set(client, { other: '4' }, 'Path=/elsewhere');
    expect((await get(client, '/cookies/api/orders')).cookie).toBe('scoped=2; here=1; root=3');
    await client.writeCookies([{ url: `${api.url}/cookies/api/orders`, name: 'scoped' }]);
    expect((await get(client, '/cookies/api/orders')).cookie).toBe('here=1; root=3');
    await client.writeCookies([{ url: `${api.url}/cookies/api/orders` }]);
    expect((await get(client, '/cookies/api/orders')).cookie).toBeNull();
    // Only what a request to that URL would send goes: a cookie of another Path stays.
    expect(await client.cookiesFor(`${api.url}/elsewhere`)).toEqual({ other: '4' });
  });

  it('ignores a Set-Cookie for another domain without failing the request', async () => {
    const client = newClient();
    const response = await client.send(
      prepareRequest(`${api.url}/cookies/set?${new URLSearchParams({ attrs: 'Domain=example.com', bad: '1' })}`),
    );
    expect(response.status).toBe(200);
    expect((await get(client, '/cookies/echo')).cookie).toBeNull();
  });
});

describe('cookie jar: domains and Secure (through a proxy that sends every host to loopback)', () => {
  let api: ApiServer;
  let tls: H2Server;
  let proxy: ForwardProxy;
  let client: HttpClient;

  beforeAll(async () => {
    api = await startApiServer();
    tls = await startH2Server();
    proxy = await startForwardProxy({ loopback: true });
    // The fixture certificate is for localhost only: these host names need insecure.
    client = createHttpClient({ proxy: proxy.url, insecure: true });
  });

  afterAll(async () => {
    await client.close();
    await Promise.all([api.close(), tls.close(), proxy.close()]);
  });

  const echo = async (url: string) => parseJson((await client.send(prepareRequest(url))).body) as Echo;

  it('sends a Domain cookie to subdomains of that domain only', async () => {
    const attrs = 'Domain=example.test; Path=/';
    await client.send(prepareRequest(`http://shop.example.test:${api.port}/cookies/set?${new URLSearchParams({ wide: '1', attrs })}`));
    expect((await echo(`http://api.example.test:${api.port}/cookies/echo`)).cookie).toBe('wide=1');
    expect((await echo(`http://example.test:${api.port}/cookies/echo`)).cookie).toBe('wide=1');
    expect((await echo(`http://example.other:${api.port}/cookies/echo`)).cookie).toBeNull();
    expect((await echo(`http://notexample.test:${api.port}/cookies/echo`)).cookie).toBeNull();
  });

  it('keeps Domain=localhost from localhost and refuses it from another host (RFC 6265 §5.3 step 5, as curl does)', async () => {
    const setFrom = (host: string, name: string) =>
      client.send(
        prepareRequest(`http://${host}:${api.port}/cookies/set?${new URLSearchParams({ [name]: '1', attrs: 'Domain=localhost' })}`),
      );
    await setFrom('localhost', 'fromLocalhost');
    await setFrom('api.localhost', 'fromSubdomain');
    await setFrom('127.0.0.1', 'fromLoopback');
    // tough-cookie stored the subdomain's cookie, then sent it to localhost only, never back to api.localhost.
    expect((await echo(`http://localhost:${api.port}/cookies/echo`)).cookie).toBe('fromLocalhost=1');
    expect((await echo(`http://api.localhost:${api.port}/cookies/echo`)).cookie).toBeNull();
    expect((await echo(`http://127.0.0.1:${api.port}/cookies/echo`)).cookie).toBeNull();
    const exported = (await client.exportCookies()).filter((entry) => entry.name.startsWith('from'));
    expect(exported.map(({ domain, includeSubdomains, name }) => ({ domain, includeSubdomains, name }))).toEqual([
      { domain: 'localhost', includeSubdomains: true, name: 'fromLocalhost' },
    ]);
  });

  it('sends a Secure cookie over https only', async () => {
    const setCookie = encodeURIComponent('token=t1; Secure; Path=/');
    await client.send(prepareRequest(`https://app.secure.test:${tls.port}/login?set-cookie=${setCookie}`));
    const overHttps = parseJson((await client.send(prepareRequest(`https://app.secure.test:${tls.port}/me`))).body) as H2RecordedRequest;
    expect(overHttps.headers.cookie).toBe('token=t1');
    expect((await echo(`http://app.secure.test:${api.port}/cookies/echo`)).cookie).toBeNull();
    expect(await client.cookiesFor('https://app.secure.test/')).toEqual({ token: 't1' });
    expect(await client.cookiesFor('http://app.secure.test/')).toEqual({});
  });

  it('does not store a Secure cookie set over plain http', async () => {
    await client.send(prepareRequest(`http://app.plain.test:${api.port}/cookies/set?${new URLSearchParams({ s: '1', attrs: 'Secure' })}`));
    expect(await client.cookiesFor('https://app.plain.test/')).toEqual({});
  });
});

describe('mergeCookieHeader', () => {
  it('lets cookies the request names win over jar cookies of the same name', () => {
    expect(mergeCookieHeader('a=1; b=2', 'b=9; c=3')).toBe('a=1; b=2; c=3');
  });

  it('uses either side alone when the other is empty', () => {
    expect(mergeCookieHeader(undefined, 'c=3')).toBe('c=3');
    expect(mergeCookieHeader(' ', 'c=3')).toBe('c=3');
    expect(mergeCookieHeader('a=1', '')).toBe('a=1');
  });
});
