/**
 * `sortie auth login` against a token endpoint that fails: the input was fine and the server failed, so the
 * error is printed and the exit code is 1 (as a failing API in `sortie run`), not 2 (bad input, nothing ran).
 * A real token endpoint on port 0 checks the client credentials it receives; the built CLI runs in its own process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLIENT_SECRET = 'login-exit-secret-7d2e';
const TOKEN = 'login-exit-token-91af';
let server: Server;
let tls: TlsServer;
let base: string;
let work: string;
let seen: string[];

beforeAll(async () => {
  ensureBuilt();
  seen = [];
  server = createServer((req, res) => {
    const expected = `Basic ${Buffer.from(`c1:${CLIENT_SECRET}`).toString('base64')}`;
    seen.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      } else if (req.url === '/token/500') {
        res.writeHead(500, { 'content-type': 'text/html' }).end(`<h1>oops</h1>${TOKEN}`);
      } else if (req.url === '/token/html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>sign in ${TOKEN}</html>`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, expires_in: 60 }));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A TLS token endpoint called with http://: it closes the connection without an answer.
  const certs = join(import.meta.dirname, '..', '..', 'packages', 'http', 'test', 'certs');
  tls = createTlsServer({ key: readFileSync(join(certs, 'server-key.pem')), cert: readFileSync(join(certs, 'server.pem')) }, (_, res) =>
    res.end('{}'),
  );
  await new Promise<void>((done) => tls.listen(0, '127.0.0.1', done));
  const tlsPort = (tls.address() as AddressInfo).port;
  work = mkdtempSync(join(tmpdir(), 'sortie-login-exit-'));
  const profile = (path: string) => ({
    type: 'oauth2',
    grant: 'client_credentials',
    tokenUrl: `{{base}}${path}`,
    clientId: 'c1',
    clientSecret: '{{SECRET}}',
  });
  writeFileSync(
    join(work, 'env.json'),
    JSON.stringify({
      variables: { base },
      secrets: ['SECRET'],
      auth: {
        profiles: {
          ok: profile('/token/ok'),
          broken: profile('/token/500'),
          html: profile('/token/html'),
          down: { ...profile('/t'), tokenUrl: 'http://127.0.0.1:1/t' },
          plain: { ...profile('/t'), tokenUrl: `http://127.0.0.1:${tlsPort}/oauth/token?tenant=t1` },
        },
      },
    }),
  );
}, 120_000);
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await new Promise((done) => tls.close(done));
  rmSync(work, { recursive: true, force: true });
});

const login = (profile: string) =>
  runSortie(['auth', 'login', profile, '-e', 'env.json', '--token-cache', 'tokens.json'], {
    cwd: work,
    env: { SECRET: CLIENT_SECRET, SORTIE_TOKEN_KEY: 'login-exit-key-3b' },
  });

describe('sortie auth login exit codes', () => {
  it.each([
    // The page's heading is quoted, not its other text (which holds a token-like string here).
    [
      'broken',
      'OAuth error: profile "broken": token request (client_credentials) to',
      'failed with HTTP 500: Internal Server Error; the body reads: "oops"',
    ],
    ['html', 'Invalid token response: profile "html"', 'answered HTTP 200 with text/html, not a JSON object nor a form body'],
    ['down', 'Authorization server unreachable: profile "down"', 'connection to 127.0.0.1:1 refused'],
  ])(
    'a token endpoint that fails (%s) is reported with exit code 1',
    async (profile, title, detail) => {
      const result = await login(profile);
      expect(result.stderr).toContain(title);
      expect(result.stderr).toContain(detail);
      expect(result.stderr).not.toContain('internal error');
      expect(result.code, result.stderr).toBe(1);
      for (const secret of [CLIENT_SECRET, TOKEN]) expect(result.stdout + result.stderr).not.toContain(secret);
    },
    60_000,
  );

  it("passes on the HTTP client's hint: an http:// token endpoint of a TLS server is to be called with https://", async () => {
    const result = await login('plain');
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('Authorization server unreachable: profile "plain"');
    // It was the generic "check that the token endpoint URL is right and the server is up".
    expect(result.stderr).toMatch(
      /hint: the server closed a new connection without answering: if it speaks HTTPS on this port, call it with https:\/\/127\.0\.0\.1:\d+\/oauth\/token\n/,
    );
    expect(result.stderr).not.toContain('tenant=t1');
  }, 60_000);

  it('signs in with exit code 0 when the endpoint answers, and 2 for a profile that does not exist', async () => {
    const ok = await login('ok');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('✓ ok: signed in (client_credentials)');
    const unknown = await login('nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no auth profile "nope"');
    expect(seen).toEqual(['/token/500', '/token/html', '/token/ok']);
  }, 60_000);
});
