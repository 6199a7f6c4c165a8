/**
 * `curl -H 'Host: shop.example' http://127.0.0.1/…` asks a server for one of its virtual hosts (RFC 9110
 * §7.2). The importer dropped every Host header as one the client sets by itself, so the imported step
 * asked for the server's address instead and got the default site. A Host other than the URL's is now
 * kept; the URL's own (a HAR's HTTP/1.1 Host, `example.com:443` for https) is still left to the client.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let api: ListeningServer;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  // Two virtual hosts on one address: shop.example, and the default site for any other Host.
  api = await startServer((request, response) => {
    const status = request.headers.host === 'shop.example' ? 200 : 404;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ host: request.headers.host }));
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-import-host-'));
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import curl: a Host header', { timeout: 60_000 }, () => {
  it('naming another host than the URL is kept, and the step reaches that virtual host', async () => {
    const imported = await runSortie(['import', 'curl', `curl -H 'Host: shop.example' ${api.url}/cart`, '--out', 'vhost'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(await readFile(join(dir, 'vhost', 'scenarios', 'curl.yaml'), 'utf8')).toContain('Host: shop.example');
    const run = await runSortie(['run', 'scenarios', '--no-color'], { cwd: join(dir, 'vhost') });
    expect(run.stdout).toContain('→ 200');
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });

  it.each([
    ['the URL host itself', (url: URL) => `curl -H 'Host: ${url.host}' ${url.href}cart`],
    ['the URL host with the default port', () => "curl -H 'Host: h.example:443' https://h.example/cart"],
  ])('naming %s is left to the client', async (_, command) => {
    const out = `same-${Math.random().toString(36).slice(2)}`;
    const imported = await runSortie(['import', 'curl', command(new URL(api.url)), '--out', out], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(await readFile(join(dir, out, 'scenarios', 'curl.yaml'), 'utf8')).not.toMatch(/host:/i);
  });
});
