import { ErrorCode, type HeaderList, SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../src/index.js';
import { parseJson, prepareRequest, readRequestBody, sendJson, startServer, type TestServer } from './test-server.js';

interface Seen {
  method: string;
  path: string;
  body: string;
  authorization?: string;
  apiKey?: string;
  contentType?: string;
}

describe('redirects', () => {
  let server: TestServer;
  let other: TestServer;
  const client = createHttpClient();

  /** Echoes what the final hop received. */
  async function echo(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): Promise<void> {
    const body = (await readRequestBody(request)).toString();
    const seen: Seen = { method: request.method ?? '', path: request.url ?? '', body };
    if (request.headers.authorization !== undefined) seen.authorization = request.headers.authorization;
    if (request.headers['x-api-key'] !== undefined) seen.apiKey = String(request.headers['x-api-key']);
    if (request.headers['content-type'] !== undefined) seen.contentType = request.headers['content-type'];
    sendJson(response, 200, seen);
  }

  beforeAll(async () => {
    other = await startServer(echo);
    server = await startServer(async (request, response) => {
      const path = request.url ?? '/';
      const redirect = /^\/redirect\/(\d{3})$/.exec(path);
      if (redirect !== null) {
        await readRequestBody(request);
        response.writeHead(Number(redirect[1]), { location: '/final?from=redirect' });
        response.end('moved');
      } else if (path.startsWith('/chain/')) {
        const left = Number(path.slice('/chain/'.length));
        response.writeHead(302, { location: left > 1 ? `/chain/${left - 1}` : '/final' });
        response.end();
      } else if (path === '/utf8-location' || path === '/latin1-location') {
        // Raw bytes in Location, as some servers send them: UTF-8, or one Latin-1 byte that is not UTF-8.
        const bytes =
          path === '/utf8-location'
            ? Buffer.from('/final/café?q=ü', 'utf8')
            : Buffer.from([0x2f, 0x66, 0x69, 0x6e, 0x61, 0x6c, 0x2f, 0xe9]);
        response.writeHead(302, [['Location', bytes.toString('latin1')]]);
        response.end();
      } else if (path === '/loop') {
        response.writeHead(302, { location: '/loop' });
        response.end();
      } else if (path === '/to-other') {
        response.writeHead(307, { location: `${other.url}/final` });
        response.end();
      } else {
        await echo(request, response);
      }
    });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
    await other.close();
  });

  const jsonPost = (url: string, headers: HeaderList = []) =>
    prepareRequest(url, { method: 'POST', headers: [['content-type', 'application/json'], ...headers], body: '{"a":1}' });

  it('turns a POST into a GET without body after 303', async () => {
    const response = await client.send(jsonPost(`${server.url}/redirect/303`));
    expect(response.status).toBe(200);
    expect(parseJson(response.body)).toEqual({ method: 'GET', path: '/final?from=redirect', body: '' });
    expect(response.redirects).toEqual([`${server.url}/final?from=redirect`]);
    expect(response.url).toBe(`${server.url}/final?from=redirect`);
  });

  it('turns a POST into a GET after 301 and 302', async () => {
    for (const status of [301, 302]) {
      const response = await client.send(jsonPost(`${server.url}/redirect/${status}`));
      expect((parseJson(response.body) as Seen).method).toBe('GET');
      expect((parseJson(response.body) as Seen).body).toBe('');
    }
  });

  it('keeps method, body and content type after 307 and 308', async () => {
    for (const status of [307, 308]) {
      const response = await client.send(jsonPost(`${server.url}/redirect/${status}`));
      expect(parseJson(response.body)).toEqual({
        method: 'POST',
        path: '/final?from=redirect',
        body: '{"a":1}',
        contentType: 'application/json',
      });
    }
  });

  it('records every URL of a redirect chain in order', async () => {
    const response = await client.send(prepareRequest(`${server.url}/chain/3`));
    expect(response.status).toBe(200);
    expect(response.redirects).toEqual([`${server.url}/chain/2`, `${server.url}/chain/1`, `${server.url}/final`]);
  });

  it('reads a raw UTF-8 Location as UTF-8, as curl and browsers do (not as Latin-1 mojibake)', async () => {
    const response = await client.send(prepareRequest(`${server.url}/utf8-location`));
    expect((parseJson(response.body) as Seen).path).toBe('/final/caf%C3%A9?q=%C3%BC');
    expect(response.redirects).toEqual([`${server.url}/final/caf%C3%A9?q=%C3%BC`]);
  });

  it('keeps a Location byte that is not UTF-8 as that byte, percent-encoded', async () => {
    const response = await client.send(prepareRequest(`${server.url}/latin1-location`));
    expect((parseJson(response.body) as Seen).path).toBe('/final/%E9');
  });

  it('follows exactly maxRedirects redirects', async () => {
    const response = await client.send(prepareRequest(`${server.url}/chain/3`, { maxRedirects: 3 }));
    expect(response.status).toBe(200);
  });

  it('fails with REDIRECT when a chain is longer than maxRedirects', async () => {
    const error = await client.send(prepareRequest(`${server.url}/chain/3`, { maxRedirects: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SortieError);
    expect((error as SortieError).code).toBe(ErrorCode.REDIRECT);
  });

  it('fails with REDIRECT on a redirect loop', async () => {
    const error = await client.send(prepareRequest(`${server.url}/loop`, { maxRedirects: 5 })).catch((e: unknown) => e);
    expect((error as SortieError).code).toBe(ErrorCode.REDIRECT);
  });

  it('returns the redirect itself when followRedirects is false', async () => {
    const response = await client.send(prepareRequest(`${server.url}/redirect/302`, { followRedirects: false }));
    expect(response.status).toBe(302);
    expect(response.headers).toContainEqual(['location', '/final?from=redirect']);
    expect(Buffer.from(response.body).toString()).toBe('moved');
    expect(response.redirects).toEqual([]);
  });

  it('keeps Authorization on the same origin', async () => {
    const response = await client.send(jsonPost(`${server.url}/redirect/307`, [['Authorization', 'Bearer same-origin']]));
    expect((parseJson(response.body) as Seen).authorization).toBe('Bearer same-origin');
  });

  it('drops Authorization and API keys when the redirect leaves the origin', async () => {
    const response = await client.send(
      jsonPost(`${server.url}/to-other`, [
        ['Authorization', 'Bearer secret-token'],
        ['X-API-Key', 'key-123'],
      ]),
    );
    const seen = parseJson(response.body) as Seen;
    expect(seen.path).toBe('/final');
    expect(seen.body).toBe('{"a":1}');
    expect(seen.authorization).toBeUndefined();
    expect(seen.apiKey).toBeUndefined();
    expect(response.redirects).toEqual([`${other.url}/final`]);
  });

  it('times the whole chain in total', async () => {
    const response = await client.send(prepareRequest(`${server.url}/chain/2`));
    expect(response.timings.total).toBeGreaterThanOrEqual(response.timings.firstByte + response.timings.download);
  });
});
