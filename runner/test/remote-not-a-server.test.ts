/**
 * `sortie run --remote` and `sortie server schedule` pointed at something that is not a Sortie
 * server: a web page, a proxy's sign-in page (200 with HTML), another API (404 with its own JSON).
 * A clear usage error naming the URL, exit 2, never "internal error … please report it".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, listenOnLoopback, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: ListeningServer;
let work: string;
/** What the server answers every request with, by the test. */
let answer: { status: number; type: string; body: string } = { status: 200, type: 'text/html', body: '' };
/** The paths the server was asked, with their query. */
const asked: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-not-a-server-'));
  await writeFile(
    join(work, 'one.json'),
    JSON.stringify({ name: 'one', steps: [{ name: 'get', request: { method: 'GET', url: 'http://x/' } }] }),
  );
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      asked.push(request.url ?? '');
      request.resume();
      request.on('end', () => response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body));
    }),
  );
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const remote = () => runSortie(['run', 'one.json', '--remote', server.url, '--token', 'sortie_x'], { cwd: work });

describe('--remote at something that is not a Sortie server', { timeout: 60_000 }, () => {
  it("a Sortie server's URL with /api: its 404 'no route' says to leave /api out (it said only 'Not found: no route POST /api/api/runs')", async () => {
    answer = {
      status: 404,
      type: 'application/json',
      body: JSON.stringify({ error: { code: 'SORTIE_FILE_NOT_FOUND', title: 'Not found', message: 'no route POST /api/api/runs' } }),
    };
    const outcome = await runSortie(['run', 'one.json', '--remote', `${server.url}/api`, '--token', 'sortie_x'], { cwd: work });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(
      'error: Not found: no route POST /api/api/runs\n' +
        "  hint: leave /api out of --remote, the server's URL: http://host:8787, or the path a proxy serves it under: https://ci.example/sortie\n",
    );
  });

  it('a URL with a query or fragment: exit 2 before anything is sent (the API paths went after the query: "no route POST /")', async () => {
    asked.length = 0;
    for (const url of [`${server.url}/?x=1`, `${server.url}/sortie#top`]) {
      for (const outcome of [
        await runSortie(['run', 'one.json', '--remote', url, '--token', 'sortie_x'], { cwd: work }),
        await runSortie(['server', 'schedule', 'list', '--remote', url, '--token', 'sortie_x'], { cwd: work }),
      ]) {
        expect(outcome.code).toBe(2);
        expect(outcome.stderr.replaceAll(server.url, '<server>')).toBe(
          `error: Usage error: --remote takes the server's URL without a query or fragment, got "${url.replace(server.url, '<server>')}"\n` +
            '  hint: http://host:8787, or the path a proxy serves it under: https://ci.example/sortie\n',
        );
      }
    }
    expect(asked).toEqual([]);
  });

  it('a page answered 200 (a proxy sign-in page, a web site): exit 2 naming the URL, no internal error', async () => {
    answer = { status: 200, type: 'text/html; charset=utf-8', body: '<html><body>Sign in to continue</body></html>' };
    for (const outcome of [
      await remote(),
      await runSortie(['server', 'schedule', 'list', '--remote', server.url, '--token', 'sortie_x'], { cwd: work }),
    ]) {
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).not.toContain('internal error');
      expect(outcome.stderr).toContain(`error: Not a Sortie server: ${server.url} answered`);
      expect(outcome.stderr).toContain('text/html');
      expect(outcome.stderr).toContain('hint: check --remote');
    }
  });

  it("a proxy's 413 (nginx takes 1 MiB by default): says to raise the proxy's limit", async () => {
    answer = { status: 413, type: 'text/html', body: '<html><h1>413 Request Entity Too Large</h1>nginx</html>' };
    const outcome = await remote();
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      'error: Request too large: a proxy in front of the Sortie server refused the upload as too large (413)',
    );
    expect(outcome.stderr).toContain('client_max_body_size 20m');
  });

  it('another API answering 404 with JSON of its own: exit 2, with the hint to check --remote', async () => {
    answer = { status: 404, type: 'application/json', body: '{"message":"Not Found"}' };
    const outcome = await remote();
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('error: HTTP 404: the server answered 404');
    expect(outcome.stderr).toContain('hint: check --remote');
    // An `error` of its own that is not a Sortie server's error object (a string, as many APIs answer).
    for (const body of ['{"error":"no route for /api/agents"}', '{"error":{"status":404}}']) {
      answer = { status: 404, type: 'application/json', body };
      const other = await remote();
      expect(other.code, body).toBe(2);
      expect(other.stderr, body).toContain('error: HTTP 404: the server answered 404');
      expect(other.stderr, body).toContain('hint: check --remote');
    }
  });
});
