import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../src/index.js';
import { parseJson, prepareRequest, sendJson, startHttpsServer, startServer, type TestServer } from './test-server.js';

const certs = (name: string) => readFileSync(fileURLToPath(new URL(`./certs/${name}`, import.meta.url)), 'utf8');

let server: TestServer;
let other: TestServer;
let secure: TestServer;
const clients: HttpClient[] = [];
/** Socket → number, so each response can say which connection carried it. */
const socketIds = new WeakMap<Socket, number>();
let nextSocket = 0;

function socketId(socket: Socket): number {
  let id = socketIds.get(socket);
  if (id === undefined) {
    nextSocket += 1;
    id = nextSocket;
    socketIds.set(socket, id);
  }
  return id;
}

beforeAll(async () => {
  other = await startServer((request, response) => sendJson(response, 200, { server: 'other', path: request.url }));
  server = await startServer((request, response) => {
    const socket = socketId(request.socket);
    if (request.url === '/set-cookie') {
      response.setHeader('set-cookie', 'session=abc; Path=/');
      sendJson(response, 200, { socket });
    } else if (request.url === '/away') {
      response.writeHead(302, { location: `${other.url}/landed`, 'content-length': 0 });
      response.end();
    } else if (request.url === '/close') {
      response.writeHead(200, { connection: 'close', 'content-type': 'application/json' });
      response.end(JSON.stringify({ socket }));
    } else {
      sendJson(response, 200, { socket, cookie: request.headers.cookie ?? null });
    }
  });
  secure = await startHttpsServer({ key: certs('server-key.pem'), cert: certs('server.pem') }, (request, response) =>
    sendJson(response, 200, { socket: socketId(request.socket) }),
  );
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([server.close(), other.close(), secure.close()]);
});

function newClient(options: Parameters<typeof createHttpClient>[0] = {}): HttpClient {
  const client = createHttpClient(options);
  clients.push(client);
  return client;
}

const socketOf = (body: Uint8Array) => (parseJson(body) as { socket: number }).socket;

describe('HttpClient.sendOnDedicatedConnection', () => {
  it('sends every request of the sequence on the same connection', async () => {
    const client = newClient();
    const connection = client.sendOnDedicatedConnection(`${server.url}/anything`);
    const sockets: number[] = [];
    for (let i = 0; i < 3; i++) sockets.push(socketOf((await connection.send(prepareRequest(`${server.url}/step/${i}`))).body));
    expect(new Set(sockets).size).toBe(1);
    // The pool uses other connections: the dedicated one is not shared.
    const pooled = socketOf((await client.send(prepareRequest(`${server.url}/pooled`))).body);
    expect(sockets).not.toContain(pooled);
    await connection.close();
  });

  it('carries a request the client sends with `connection` set', async () => {
    const client = newClient();
    const connection = client.sendOnDedicatedConnection(server.url);
    const first = socketOf((await connection.send(prepareRequest(`${server.url}/a`))).body);
    const second = socketOf((await client.send({ ...prepareRequest(`${server.url}/b`), connection })).body);
    expect(second).toBe(first);
    await connection.close();
  });

  it("shares the client's cookie jar and follows a redirect to another origin over the pool", async () => {
    const client = newClient();
    const connection = client.sendOnDedicatedConnection(server.url);
    await connection.send(prepareRequest(`${server.url}/set-cookie`));
    expect(parseJson((await connection.send(prepareRequest(`${server.url}/echo`))).body)).toMatchObject({ cookie: 'session=abc' });
    const redirected = await connection.send(prepareRequest(`${server.url}/away`));
    expect(parseJson(redirected.body)).toEqual({ server: 'other', path: '/landed' });
    expect(redirected.redirects).toEqual([`${other.url}/landed`]);
    await connection.close();
  });

  it("keeps the client's TLS settings: its extra CA is trusted", async () => {
    const url = `https://localhost:${secure.port}/tls`;
    const trusting = newClient({ ca: [certs('ca.pem')] }).sendOnDedicatedConnection(url);
    expect((await trusting.send(prepareRequest(url))).status).toBe(200);
    await trusting.close();
    const strict = newClient().sendOnDedicatedConnection(url);
    await expect(strict.send(prepareRequest(url))).rejects.toMatchObject({
      code: 'SORTIE_NETWORK',
      message: expect.stringContaining('certificate'),
    });
    await strict.close();
  });

  it('refuses a request to another origin, and any request once the server closed the connection', async () => {
    const connection = newClient().sendOnDedicatedConnection(server.url);
    await expect(connection.send(prepareRequest(`${other.url}/x`))).rejects.toMatchObject({ code: 'SORTIE_INVALID_INPUT' });
    await connection.send(prepareRequest(`${server.url}/close`));
    await expect(connection.send(prepareRequest(`${server.url}/after`))).rejects.toMatchObject({ code: 'SORTIE_NETWORK' });
    await connection.close();
    await expect(connection.send(prepareRequest(`${server.url}/closed`))).rejects.toMatchObject({ code: 'SORTIE_NETWORK' });
  });
});
