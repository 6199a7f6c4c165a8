/**
 * Loopback servers for the tests: real HTTP(S) servers on port 0.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { HeaderList, PreparedRequest } from '@sortie/core';

export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections: () => number;
  close: () => Promise<void>;
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void | Promise<void>;

async function listen(server: http.Server | https.Server, scheme: 'http' | 'https'): Promise<TestServer> {
  let connections = 0;
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function wrap(handler: Handler): http.RequestListener {
  return (request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  };
}

/** Starts an HTTP server on 127.0.0.1, port 0. */
export function startServer(handler: Handler): Promise<TestServer> {
  return listen(http.createServer(wrap(handler)), 'http');
}

/** Starts an HTTPS server on 127.0.0.1, port 0. */
export function startHttpsServer(tls: { key: string; cert: string }, handler: Handler): Promise<TestServer> {
  return listen(https.createServer(tls, wrap(handler)), 'https');
}

/** Reads a request body completely. */
export async function readRequestBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends a JSON response. */
export function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** A GET request with test defaults. */
export function prepareRequest(url: string, overrides: Partial<PreparedRequest> = {}): PreparedRequest {
  return { method: 'GET', url, headers: [] as HeaderList, timeout: 5000, followRedirects: true, maxRedirects: 10, ...overrides };
}

/** Decodes a response body as JSON. */
export function parseJson(body: Uint8Array): unknown {
  return JSON.parse(Buffer.from(body).toString('utf8'));
}
