/**
 * A Postman URL object with `protocol: "http"` and the host `{{base}}`, where base holds a whole URL
 * (`http://127.0.0.1:<port>`): the URL is `http://http://127.0.0.1:<port>/…`, whose host is "http".
 * Newman 6 sends it so and fails to resolve "http"; Sortie does the same (the collection is run as
 * Newman runs it), but said only 'cannot resolve host "http"' at a URL shown as `http://http//…`. The
 * error now says what is wrong and what to remove. A `protocol` next to a host variable holding only
 * `host:port` is a URL both send to the server, which checks the path it gets.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, runSortie as runCli, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNewmanWithRequests, runSortie } from './side-by-side.js';

let server: ListeningServer;
let dir: string;
let collection: string;
const seen: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  server = await startServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    response.writeHead(request.url === '/a/b?x=1' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-url-protocol-'));
  const url = (host: string) => ({
    raw: `${host}/a/b?x=1`,
    protocol: 'http',
    host: [host],
    path: ['a', 'b'],
    query: [{ key: 'x', value: '1' }],
  });
  const test = { listen: 'test', script: { exec: ["pm.test('ok', () => pm.response.to.have.status(200));"] } };
  collection = join(dir, 'protocol.postman_collection.json');
  await writeFile(
    collection,
    JSON.stringify({
      info: { name: 'Protocol', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      variable: [
        { key: 'base', value: server.url },
        { key: 'hostPort', value: new URL(server.url).host },
      ],
      item: [
        { name: 'Whole URL after protocol', request: { method: 'GET', url: url('{{base}}') }, event: [test] },
        { name: 'Host after protocol', request: { method: 'GET', url: url('{{hostPort}}') }, event: [test] },
      ],
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a Postman URL whose protocol comes before a variable holding a whole URL', () => {
  it('fails to reach host "http" in Newman and in Sortie; the host:port one reaches the server in both', async () => {
    const newman = await runNewmanWithRequests({ collection });
    const newmanSeen = seen.splice(0);
    const sortie = await runSortie({ collection });
    expect(newman.requests).toEqual(['Whole URL after protocol :: error', 'Host after protocol :: 200']);
    expect(sortie.requests).toEqual(newman.requests);
    expect(newmanSeen).toEqual(['GET /a/b?x=1']);
    expect(seen.splice(0)).toEqual(['GET /a/b?x=1']);
  });

  it('says the URL names a scheme twice and what to remove (exit 1)', async () => {
    const outcome = await runCli(['run', collection], { cwd: dir });
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('DNS lookup failed: cannot resolve host "http"');
    expect(outcome.stdout).toContain(
      'hint: the URL names a scheme twice (http://http://…): a variable holding a whole URL follows a scheme; remove one of them (a Postman URL\'s "protocol" next to a host {{base}} that holds http://…)',
    );
    expect(outcome.stdout).toContain('✓ Host after protocol');
  });
});
