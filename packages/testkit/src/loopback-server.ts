/**
 * Real servers on 127.0.0.1, port 0, for tests and the fixture servers: a close that destroys every open
 * connection (keep-alive sockets would otherwise hold it), and a count of accepted connections.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server, Socket } from 'node:net';

/** A listening server. */
export interface ListeningServer {
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:54321` (`https:` for a TLS server). */
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Closes the server and destroys every open connection. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0 and tracks sockets so that `close()` ends them all. */
export async function listenOnLoopback(server: Server, scheme: 'http' | 'https' = 'http'): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  // A TLS server's plain sockets are 'connection'; the secure ones wrap them and close with them.
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A request handler; a rejection becomes a 500 with the error as text. */
export type TestHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void | Promise<void>;

function wrap(handler: TestHandler): http.RequestListener {
  return (request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  };
}

/** Starts an HTTP server on 127.0.0.1, port 0. */
export function startServer(handler: TestHandler): Promise<ListeningServer> {
  return listenOnLoopback(http.createServer(wrap(handler)), 'http');
}

/** Starts an HTTPS server on 127.0.0.1, port 0. */
export function startHttpsServer(tls: { key: string; cert: string }, handler: TestHandler): Promise<ListeningServer> {
  return listenOnLoopback(https.createServer(tls, wrap(handler)), 'https');
}
