/**
 * A small API for the flow tests, on 127.0.0.1 port 0: `GET /echo?…` answers the query as JSON, `GET /headers` the request headers,
 * `GET /status/:code` answers that status, `GET /items` a list, `POST /counter/:name` counts calls
 * and answers the count, `GET /counter/:name` reads it. Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlowServer {
  url: string;
  /** Method and path with query of every request, in order. */
  requests: string[];
  counters: Map<string, number>;
  close(): Promise<void>;
}

export async function startFlowServer(): Promise<FlowServer> {
  const requests: string[] = [];
  const counters = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://flow.test');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      const counter = /^\/counter\/([\w-]+)$/.exec(url.pathname);
      if (url.pathname === '/echo') return send(200, Object.fromEntries(url.searchParams));
      if (url.pathname === '/headers') return send(200, req.headers);
      if (url.pathname === '/big-ids') {
        // 64-bit ids JSON.parse reads as other numbers (9007199254740993 → 9007199254740992).
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"ids": [1, 9007199254740993]}');
      }
      if (url.pathname === '/items')
        return send(200, {
          items: [
            { id: 1, name: 'a' },
            { id: 2, name: 'b' },
            { id: 3, name: 'c' },
          ],
        });
      const status = /^\/status\/(\d{3})$/.exec(url.pathname);
      if (status) return send(Number(status[1]), { status: Number(status[1]) });
      if (counter) {
        const name = counter[1]!;
        if (req.method === 'POST') counters.set(name, (counters.get(name) ?? 0) + 1);
        return send(200, { count: counters.get(name) ?? 0 });
      }
      send(404, { error: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    counters,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
