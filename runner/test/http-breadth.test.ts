/**
 * HTTP breadth through the real CLI, against fixture servers that record what they received:
 * HTTP/2 from the environment (and switched off per request), mutual TLS with PEM and PFX client
 * certificates, an explicit forward proxy, and the cookie jar with --no-cookies.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  CLIENT_PFX_PASSPHRASE,
  type ForwardProxy,
  type H2Server,
  type MtlsServer,
  startApiServer,
  startForwardProxy,
  startH2Server,
  startMtlsServer,
} from '../../fixtures/src/http-extras/index.js';

const TLS = join(ROOT, 'fixtures', 'tls');
let api: FixtureServer;
let h2: H2Server;
let mtls: MtlsServer;
let proxy: ForwardProxy;
let work: string;

beforeAll(async () => {
  ensureBuilt();
  [api, h2, mtls, proxy] = await Promise.all([
    startFixtureServer(),
    startH2Server(),
    startMtlsServer(),
    startForwardProxy({ loopback: true }),
  ]);
  work = mkdtempSync(join(tmpdir(), 'sortie-http-'));
});
afterAll(async () => {
  await Promise.all([api.close(), h2.close(), mtls.close(), proxy.close()]);
  rmSync(work, { recursive: true, force: true });
});

function write(name: string, value: unknown): string {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

const check = (path: string, equals: unknown) => ({ assert: { jsonpath: { path, equals } } });

describe('HTTP breadth in scenarios', () => {
  it('speaks HTTP/2 when the environment asks for it, and HTTP/1.1 where a request turns it off', async () => {
    const env = write('h2-env.json', { http: { http2: true, ca: [join(TLS, 'ca.pem')] } });
    const scenario = write('h2.json', {
      name: 'h2',
      steps: [
        { name: 'over h2', request: { url: `${h2.url}/one` }, post: [check('$.httpVersion', '2.0'), check('$.alpnProtocol', 'h2')] },
        { name: 'over 1.1', request: { url: `${h2.url}/two`, http2: false }, post: [check('$.httpVersion', '1.1')] },
      ],
    });
    const result = await runSortie(['run', scenario, '-e', env]);
    expect(result.code, result.stdout).toBe(0);
    expect(h2.requests.map((r) => [r.path, r.httpVersion])).toEqual([
      ['/one', '2.0'],
      ['/two', '1.1'],
    ]);
  });

  it('presents a client certificate (PEM, and PFX with a passphrase that never shows)', async () => {
    const pem = write('mtls-pem.json', {
      http: { ca: [join(TLS, 'ca.pem')], clientCertificates: [{ cert: join(TLS, 'client.pem'), key: join(TLS, 'client-key.pem') }] },
    });
    const pfx = write('mtls-pfx.json', {
      http: { ca: [join(TLS, 'ca.pem')], clientCertificates: [{ pfx: join(TLS, 'client.p12'), passphrase: CLIENT_PFX_PASSPHRASE }] },
    });
    const scenario = write('mtls.json', {
      name: 'mtls',
      steps: [{ name: 'who am I', request: { url: `${mtls.url}/me` }, post: [{ assert: { status: { equals: 200 } } }] }],
    });
    for (const env of [pem, pfx]) {
      const out = join(work, `out-${env.endsWith('pfx.json') ? 'pfx' : 'pem'}`);
      const result = await runSortie(['run', scenario, '-e', env, '-r', 'cli,json,junit', '--out-dir', out, '--verbose']);
      expect(result.code, result.stdout).toBe(0);
      if (env !== pfx) continue;
      // The passphrase is registered as a secret by the PFX run: it appears in no output of any reporter.
      const outputs = [result.stdout, result.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))];
      for (const output of outputs) expect(output).not.toContain(CLIENT_PFX_PASSPHRASE);
    }
    expect(mtls.clients).toHaveLength(2);
    // The CA can also be trusted for this one host only.
    const hostOnly = write('mtls-host-ca.json', {
      http: {
        hostCa: [{ host: 'localhost', ca: [join(TLS, 'ca.pem')] }],
        clientCertificates: [{ cert: join(TLS, 'client.pem'), key: join(TLS, 'client-key.pem') }],
      },
    });
    const trusted = await runSortie(['run', scenario, '-e', hostOnly]);
    expect(trusted.code, trusted.stdout).toBe(0);
    expect(mtls.clients).toHaveLength(3);
    const otherHost = write('mtls-other-host-ca.json', {
      http: {
        hostCa: [{ host: 'example.org', ca: [join(TLS, 'ca.pem')] }],
        clientCertificates: [{ cert: join(TLS, 'client.pem'), key: join(TLS, 'client-key.pem') }],
      },
    });
    const untrusted = await runSortie(['run', scenario, '-e', otherHost]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toContain('TLS certificate error');
    const without = write('mtls-none.json', { http: { ca: [join(TLS, 'ca.pem')] } });
    const refused = await runSortie(['run', scenario, '-e', without]);
    expect(refused.code).toBe(1);
  });

  it('goes through an explicit proxy', async () => {
    const env = write('proxy-env.json', { http: { proxy: proxy.url } });
    const scenario = write('proxy.json', {
      name: 'proxy',
      steps: [{ name: 'via proxy', request: { url: `http://api.test:${api.port}/echo?via=proxy` }, post: [check('$.query.via', 'proxy')] }],
    });
    const result = await runSortie(['run', scenario, '-e', env]);
    expect(result.code, result.stdout).toBe(0);
    expect(proxy.exchanges.map((e) => [e.kind, e.target])).toEqual([['forward', `http://api.test:${api.port}/echo?via=proxy`]]);
  });

  it('finds the cookie a response set under another Path, and a script’s unset removes it whatever its Path', async () => {
    const paths: ApiServer = await startApiServer();
    try {
      const scenario = write('cookie-paths.json', {
        name: 'cookie paths',
        steps: [
          { name: 'an older session', request: { url: '{{base}}/cookies/set?sid=old&attrs=Path%3D%2F' } },
          {
            name: 'the login sets the new one for /cookies/api only',
            request: { url: '{{base}}/cookies/set?sid=new&attrs=Path%3D%2Fcookies%2Fapi' },
            post: [{ assert: { cookie: { name: 'sid', equals: 'new' } } }],
          },
          {
            name: 'both are sent under /cookies/api, the longer Path first (RFC 6265 §5.4)',
            request: { url: '{{base}}/cookies/api/orders' },
            post: [{ assert: { jsonpath: { path: '$.cookie', equals: 'sid=new; sid=old' } } }],
          },
          {
            name: 'a script unsets sid',
            script: "pm.cookies.jar().unset(pm.variables.get('base') + '/cookies/api/orders', 'sid', () => {});",
          },
          {
            name: 'no sid is sent any more',
            request: { url: '{{base}}/cookies/api/orders' },
            post: [{ assert: { jsonpath: { path: '$.cookie', equals: null } } }],
          },
        ],
      });
      const result = await runSortie(['run', scenario, '--env-var', `base=${paths.url}`]);
      expect(result.code, result.stdout).toBe(0);
    } finally {
      await paths.close();
    }
  });

  it('finds the session a redirect hop set on another host (the jar was read for the request URL only)', async () => {
    // An identity provider on 127.0.0.1 redirects to the app on localhost, whose callback sets the session.
    const sso = createServer((request, response) => {
      const port = (sso.address() as AddressInfo).port;
      if (request.url === '/login') response.writeHead(302, { location: `http://localhost:${port}/callback` }).end();
      else if (request.url === '/callback') response.writeHead(302, { 'set-cookie': 'session=abc; Path=/', location: '/home' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ cookie: request.headers.cookie ?? null }));
    });
    await new Promise<void>((done) => sso.listen(0, '127.0.0.1', done));
    try {
      const scenario = write('sso.json', {
        name: 'sso',
        steps: [
          {
            name: 'login',
            request: { url: `http://127.0.0.1:${(sso.address() as AddressInfo).port}/login` },
            post: [
              { assert: { jsonpath: { path: '$.cookie', equals: 'session=abc' } } },
              { assert: { cookie: { name: 'session', equals: 'abc' } } },
              { script: "pm.test('pm.cookies has it', () => pm.expect(pm.cookies.get('session')).to.equal('abc'));" },
            ],
          },
        ],
      });
      const result = await runSortie(['run', scenario]);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).toContain('1 passed');
    } finally {
      await new Promise((done) => sso.close(done));
    }
  });

  it('keeps cookies between steps, and --no-cookies turns the jar off', async () => {
    const scenario = write('cookies.json', {
      name: 'cookies',
      options: { onError: 'continue' },
      steps: [
        {
          name: 'set',
          request: { url: '{{base}}/cookies/set?session=s1' },
          post: [{ assert: { cookie: { name: 'session', equals: 's1' } } }],
        },
        { name: 'check', request: { url: '{{base}}/cookies/check?session=s1' }, post: [{ assert: { status: { equals: 200 } } }] },
      ],
    });
    expect((await runSortie(['run', scenario, '--env-var', `base=${api.url}`])).code).toBe(0);
    const off = await runSortie(['run', scenario, '--env-var', `base=${api.url}`, '--no-cookies']);
    expect(off.code).toBe(1);
    expect(off.stdout).toContain('✓ set');
    expect(off.stdout).toContain('✗ check');
  });
});
