/**
 * Credentials a recorded request carries outside Authorization, Cookie and the URL's query were
 * written in clear: a Proxy-Authorization header, an access token in the Referer's query, an
 * X-Amz-Signature query parameter, an X-Session-Id header. Each is now a declared secret.
 */
import { join } from 'node:path';
import { ROOT } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { importCurl, importHar, serializeImport } from '../src/index.js';

describe('sortie import har: credentials outside the usual places', () => {
  it('writes none of them, and keeps what is not a credential', async () => {
    const result = await importHar(join(ROOT, 'fixtures', 'import-cases', 'credentials-in-headers.har'), { cwd: ROOT });
    const written = serializeImport(result, 'yaml')
      .map((file) => file.text)
      .join('\n');
    for (const secret of ['REFTOK', 'cHJveHk6UFJPWFlQVw==', 'SIGVAL', 'XSESS', 'QTOK1', 'CREDVAL', 'REFRESH"'])
      expect(written).not.toContain(secret);
    const step = (result.files[0]?.value as { steps: Array<{ request: Record<string, unknown> }> } | undefined)?.steps[0];
    expect(step?.request.headers).toMatchObject({
      referer: 'https://app.example.com/cb?code=CODEVAL&access_token={{ACCESS_TOKEN}}',
      'proxy-authorization': 'Basic {{PROXY_AUTHORIZATION_CREDENTIALS}}',
      'x-refresh-token': '{{X_REFRESH_TOKEN}}',
    });
    // The first credential header is the step's auth profile.
    expect(step?.request.auth).toBe('x-session-id');
    expect(step?.request.query).toMatchObject({ 'X-Amz-Signature': '{{X_AMZ_SIGNATURE}}' });
    expect(result.secrets.map((secret) => secret.name)).toEqual(
      expect.arrayContaining(['ACCESS_TOKEN', 'PROXY_AUTHORIZATION_CREDENTIALS', 'X_SESSION_ID', 'X_AMZ_SIGNATURE']),
    );
  });
});

describe('sortie import har: two users', () => {
  it('two different tokens are two profiles with two secrets (both were {{BEARER_TOKEN}}: the second user replayed as the first)', async () => {
    const result = await importHar(join(ROOT, 'fixtures', 'import-cases', 'two-users.har'), { cwd: ROOT });
    const environment = result.files.find((file) => file.kind === 'environment')?.value as { auth: { profiles: unknown } };
    expect(environment.auth.profiles).toEqual({
      bearer: { type: 'bearer', token: '{{BEARER_TOKEN}}' },
      bearer2: { type: 'bearer', token: '{{BEARER_TOKEN_2}}' },
      basic: { type: 'basic', username: '{{BASIC_USERNAME}}', password: '{{BASIC_PASSWORD}}' },
      basic2: { type: 'basic', username: '{{BASIC_USERNAME_2}}', password: '{{BASIC_PASSWORD_2}}' },
    });
    expect(result.secrets.map((secret) => secret.name)).toEqual([
      'BEARER_TOKEN',
      'BEARER_TOKEN_2',
      'BASIC_USERNAME',
      'BASIC_PASSWORD',
      'BASIC_USERNAME_2',
      'BASIC_PASSWORD_2',
    ]);
  });
});

describe('sortie import curl: a proxy (-x)', () => {
  it('is named in the notes with how to set one, its credentials never written', async () => {
    const cases: Array<[string, string]> = [
      ['curl -x http://puser:PROXYPW@proxy:8080 https://api.example.com/a', 'http://puser:[REDACTED]@proxy:8080'],
      ['curl --proxy puser:PROXYPW@proxy:8080 https://api.example.com/a', 'puser:[REDACTED]@proxy:8080'],
      ['curl -x socks5://PROXYPW@proxy:1080 https://api.example.com/a', 'socks5://[REDACTED]@proxy:1080'],
    ];
    for (const [command, shown] of cases) {
      const result = await importCurl(command);
      expect(result.notes, command).toContain(
        `curl: the proxy ${shown} is not part of the scenario: set it as \`http: { proxy: … }\` in the environment or with HTTPS_PROXY/HTTP_PROXY (docs/http.md, Proxies)`,
      );
      const written = JSON.stringify([result.notes, serializeImport(result, 'yaml')]);
      expect(written, command).not.toContain('PROXYPW');
    }
  });
});
