/**
 * The loopback redirect listener of a native app: an HTTP server on 127.0.0.1 that receives the authorization
 * response. For the implicit grant the response is in the URL fragment, which browsers never send: the callback page
 * posts it back with a small script.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, SortieError } from '@sortie/core';

export interface LoopbackListenerOptions {
  /** The profile's callbackUrl: its port and path are used (it must be http://127.0.0.1 or localhost). Default: a free port, path /callback. */
  callbackUrl?: string;
}

export interface LoopbackListener {
  /** The redirect_uri to send in the authorization request. */
  redirectUri: string;
  /** Resolves with the parameters of the first authorization response (query, or fragment for implicit). */
  waitForResponse(timeoutMs: number): Promise<URLSearchParams>;
  close(): Promise<void>;
}

const DONE_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Sortie</title><p>Sortie received the authorization response. You can close this window.</p>';

/** The page that sends the fragment of its URL back to the listener (implicit grant). */
const FRAGMENT_PAGE = `<!doctype html><meta charset="utf-8"><title>Sortie</title><p id="m">Completing sign-in…</p><script>
fetch(location.pathname + '?sortie_fragment=1', { method: 'POST', body: location.hash.slice(1) })
  .then(function () { document.getElementById('m').textContent = 'Sortie received the authorization response. You can close this window.'; });
</script>`;

/**
 * Starts the listener. Refuses a callbackUrl that is not a loopback http URL (the listener could not receive it).
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export async function startLoopbackListener(options: LoopbackListenerOptions = {}): Promise<LoopbackListener> {
  let port = 0;
  let path = '/callback';
  let host = '127.0.0.1';
  if (options.callbackUrl !== undefined) {
    const url = new URL(options.callbackUrl);
    if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      throw new SortieError(
        ErrorCode.USAGE,
        'Callback not on loopback',
        `callbackUrl ${url.origin} is not a loopback http URL that \`sortie auth login\` can listen on`,
        {
          hint: 'use http://127.0.0.1:<port>/callback, registered with the authorization server',
        },
      );
    }
    port = url.port === '' ? 80 : Number(url.port);
    path = url.pathname;
    host = url.hostname === 'localhost' ? 'localhost' : url.hostname.replace(/^\[|\]$/g, '');
  }
  let deliver: (params: URLSearchParams) => void = () => {};
  const received = new Promise<URLSearchParams>((resolve) => {
    deliver = resolve;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== path) {
      res.writeHead(404).end();
      return;
    }
    if (req.method === 'POST' && url.searchParams.has('sortie_fragment')) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(204).end();
        deliver(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    if ([...url.searchParams.keys()].length === 0) {
      res.end(FRAGMENT_PAGE);
      return;
    }
    res.end(DONE_PAGE);
    deliver(url.searchParams);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new SortieError(ErrorCode.USAGE, 'Callback port unavailable', `cannot listen on ${host}:${port}: ${error.message}`)),
    );
    server.listen(port, host, resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  const redirectHost = options.callbackUrl === undefined ? '127.0.0.1' : new URL(options.callbackUrl).hostname;
  return {
    redirectUri: `http://${redirectHost}:${actualPort}${path}`,
    waitForResponse(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new SortieError(
                ErrorCode.TIMEOUT,
                'Login timed out',
                `no authorization response arrived within ${Math.round(timeoutMs / 1000)} s`,
              ),
            ),
          timeoutMs,
        );
      });
      return Promise.race([received, timeout]).finally(() => clearTimeout(timer));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
