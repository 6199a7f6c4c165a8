/**
 * Request helpers of the http tests; the loopback servers (real HTTP(S) servers on port 0) come from @sortie/testkit.
 */
import type http from 'node:http';
import type { HeaderList, PreparedRequest } from '@sortie/core';
import type { ListeningServer } from '@sortie/testkit';

/** A loopback server on port 0 (@sortie/testkit). */
export type TestServer = ListeningServer;
export { startHttpsServer, startServer } from '@sortie/testkit';

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
