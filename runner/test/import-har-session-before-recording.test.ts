/**
 * `sortie import har` of a recording whose first request already carries a session cookie, set by a
 * sign-in before the recording began: the run fails until COOKIE_SID is set, and nothing said what to
 * set it to. The notes now say so (a current session's value, or record the sign-in too); the
 * environment declares the secret, and the imported scenario runs against a real server once it is set.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, type ListeningServer, ROOT, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SESSION = 'har-before-sid-7f2c';
let api: ListeningServer;
let dir: string;

function entry(url: string, cookie: string | undefined, setCookie?: string) {
  return {
    startedDateTime: '2026-01-01T00:00:00Z',
    time: 1,
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: cookie === undefined ? [] : [{ name: 'Cookie', value: cookie }],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: setCookie === undefined ? [] : [{ name: 'Set-Cookie', value: setCookie }],
      cookies: [],
      content: { size: 0, mimeType: 'application/json' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
}

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-har-session-'));
  api = await startServer((request, response) => {
    const cookie = request.headers.cookie ?? '';
    if (request.url === '/prefs') return void response.writeHead(200, { 'set-cookie': 'csrf_token=fresh; Path=/' }).end('{}');
    const signedIn = cookie.split(/;\s*/).includes(`sid=${SESSION}`);
    response.writeHead(signedIn ? 200 : 401, { 'content-type': 'application/json' }).end('{}');
  });
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'test', version: '1' },
      entries: [
        entry(`${api.url}/me`, 'sid=recorded-old-session; theme=dark'),
        entry(`${api.url}/prefs`, 'sid=recorded-old-session', 'csrf_token=abc; Path=/'),
        entry(`${api.url}/orders`, 'sid=recorded-old-session; csrf_token=abc'),
      ],
    },
  };
  await writeFile(join(dir, 'session.har'), JSON.stringify(har));
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import har: a session begun before the recording', () => {
  it('says which secret to set and with what; the run passes once it is set', async () => {
    const imported = await runSortie(['import', 'har', 'session.har', '--out', 'out'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expectGolden(join(ROOT, 'runner', 'test', 'golden', 'import-har-session', 'import.out'), imported.stdout);
    expect(imported.stdout).not.toContain('recorded-old-session');
    // Only the session cookie set before the recording is named: csrf_token is left to the cookie jar.
    expect(imported.stdout.match(/set before the recording began/g)).toHaveLength(1);
    expect(await readFile(join(dir, 'out', 'environments', 'default.yaml'), 'utf8')).toContain('- COOKIE_SID');

    const missing = await runSortie(['run', 'scenarios'], { cwd: join(dir, 'out') });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('secret "COOKIE_SID" has no value');
    const run = await runSortie(['run', 'scenarios'], { cwd: join(dir, 'out'), env: { COOKIE_SID: SESSION } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).not.toContain(SESSION);
  });
});
