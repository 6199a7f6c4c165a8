import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionPool, createHttpClient, type HttpClient, type HttpClientOptions } from '../src/index.js';
import { parseJson, prepareRequest, sendJson, startServer, type TestServer } from './test-server.js';

/** What the server saw: the client's port (one per TCP connection) and the Cookie header. */
interface Seen {
  port: number;
  cookie: string | null;
}

describe('a connection pool shared by clients', () => {
  let server: TestServer;
  const pool = createConnectionPool();
  const clients: HttpClient[] = [];
  const newClient = (options: HttpClientOptions = {}) => {
    const client = createHttpClient({ proxy: false, pool, ...options });
    clients.push(client);
    return client;
  };
  const get = async (client: HttpClient, path: string) => {
    // undici frees a connection just after the response's last byte is handed over: a request sent in
    // the same turn would open another. Between two runs of an agent there is always more than a turn.
    await new Promise((resolve) => setImmediate(resolve));
    const response = await client.send(prepareRequest(`${server.url}${path}`));
    return { seen: parseJson(response.body) as Seen, timings: response.timings };
  };

  beforeAll(async () => {
    server = await startServer((request, response) => {
      if (request.url === '/set') response.setHeader('set-cookie', 'session=first-client; Path=/');
      sendJson(response, 200, { port: request.socket.remotePort, cookie: request.headers.cookie ?? null });
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await pool.close();
    await server.close();
    expect(diagnosticsChannel.channel('undici:client:sendHeaders').hasSubscribers).toBe(false);
  });

  it('sends the next client over the connection the last one opened, and leaves it open when a client closes', async () => {
    const first = newClient();
    const one = await get(first, '/echo');
    expect(one.timings.connect).toBeGreaterThanOrEqual(0);
    await first.close();
    const second = newClient();
    const two = await get(second, '/echo');
    expect(two.seen.port).toBe(one.seen.port);
    // A request on a reused connection has no connection timings, as within one client.
    expect(two.timings.connect).toBeUndefined();
    expect(two.timings.dns).toBeUndefined();
    await second.close();
  });

  it('keeps the connection probe subscribed while it lives, whichever clients come and go', async () => {
    const sendHeaders = diagnosticsChannel.channel('undici:client:sendHeaders');
    const own = createConnectionPool();
    expect(sendHeaders.hasSubscribers).toBe(true);
    const client = createHttpClient({ proxy: false, pool: own });
    await client.close();
    expect(sendHeaders.hasSubscribers).toBe(true);
    await own.close();
    // The suite's pool still holds it; it goes once the last pool and client are closed (see afterAll).
    expect(sendHeaders.hasSubscribers).toBe(true);
  });

  it('keeps each client its own cookie jar', async () => {
    const first = newClient();
    await get(first, '/set');
    expect((await get(first, '/echo')).seen.cookie).toBe('session=first-client');
    const second = newClient();
    const seen = (await get(second, '/echo')).seen;
    expect(seen.cookie).toBeNull();
    expect(await second.cookiesFor(server.url)).toEqual({});
  });

  it('is not used by a client with TLS settings of its own (its connections would differ)', async () => {
    const before = server.connections();
    const shared = newClient();
    const sharedSeen = (await get(shared, '/echo')).seen;
    const ca = readFileSync(new URL('./certs/ca.pem', import.meta.url), 'utf8');
    const own = newClient({ ca: [ca] });
    const ownSeen = (await get(own, '/echo')).seen;
    expect(ownSeen.port).not.toBe(sharedSeen.port);
    await own.close();
    // Closing that client closed its own connection only: the pool's is still there for the next client.
    const next = newClient();
    expect((await get(next, '/echo')).seen.port).toBe(sharedSeen.port);
    // One connection for the client with its own CA; the pool's was there from the tests before.
    expect(server.connections() - before).toBe(1);
  });

  it('closes its connections when closed; a client made after that opens its own', async () => {
    const other = createConnectionPool();
    const client = createHttpClient({ proxy: false, pool: other });
    const one = await get(client, '/echo');
    await client.close();
    await other.close();
    const after = createHttpClient({ proxy: false, pool: other });
    const two = await get(after, '/echo');
    expect(two.seen.port).not.toBe(one.seen.port);
    expect(two.timings.connect).toBeGreaterThanOrEqual(0);
    await after.close();
  });
});
