/**
 * The API token of `sortie run --remote` and `sortie server schedule` as a CI secret or a token file
 * often holds it: with a line end. A token with a character an HTTP header cannot carry was an
 * internal error (exit 1, "please report it") whose message showed the whole token. Now spaces and
 * line breaks around it are dropped, and any other such character is a usage error (exit 2) that
 * does not show the token. The server is a real HTTP server on 127.0.0.1:0 that checks the header.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, type ListeningServer, listenOnLoopback, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'sortie_token-value-test-0123456789';
const GOLDEN = join(import.meta.dirname, 'golden', 'remote');
let server: ListeningServer;
let work: string;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  ensureBuilt();
  work = await mkdtemp(join(tmpdir(), 'sortie-token-value-'));
  await writeFile(
    join(work, 'one.json'),
    JSON.stringify({ name: 'one', steps: [{ name: 'get', request: { url: 'http://127.0.0.1:9/' } }] }),
  );
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      seen.push(request.headers.authorization);
      request.resume();
      // The token as it was created: refused for its scope only, so the client says so and stops.
      const ok = request.headers.authorization === `Bearer ${TOKEN}`;
      response.writeHead(ok ? 403 : 401, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: ok
            ? {
                code: 'SORTIE_USAGE',
                title: 'Forbidden',
                message: 'submitting a run needs a token with the submit scope; yours has read',
                scope: 'submit',
              }
            : { code: 'SORTIE_USAGE', title: 'Unauthorized', message: 'unknown token' },
        }),
      );
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe('the API token of --remote', () => {
  it('is sent without the line end a CI secret or token file adds', async () => {
    const outcome = await runSortie(['run', '--remote', server.url, 'one.json'], { cwd: work, env: { SORTIE_TOKEN: ` ${TOKEN}\r\n` } });
    expect(outcome.code, outcome.stderr).toBe(2);
    expect(outcome.stderr).toContain('error: Forbidden: submitting a run needs a token with the submit scope; yours has read');
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
  });

  it('with a character a header cannot carry inside is a usage error that does not show it', async () => {
    seen.length = 0;
    const run = await runSortie(['run', '--remote', server.url, 'one.json'], {
      cwd: work,
      env: { SORTIE_TOKEN: 'sortie_abc\ndef-secret' },
    });
    expect(run.code, run.stderr).toBe(2);
    expectGolden(join(GOLDEN, 'token-line-break.err'), run.stderr);
    const schedule = await runSortie(['server', 'schedule', 'list', '--remote', server.url, '--token', 'sortie_abc\u00e9def-secret'], {
      cwd: work,
    });
    expect(schedule.code, schedule.stderr).toBe(2);
    expect(schedule.stderr).toContain(
      'error: Usage error: the API token has a character an HTTP header cannot carry (U+00E9 at position 11)',
    );
    expect(run.stderr + schedule.stderr).not.toContain('def-secret');
    expect(seen).toEqual([]);
  });
});
