import { ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeInteractions,
  OIDC_CLIENT_SECRET,
  type OidcServer,
  PASSWORD_CLIENT_SECRET,
  PASSWORD_USER_PASSWORD,
  type PasswordServer,
  type ScriptedServer,
  startOidcServer,
  startPasswordServer,
  startScriptedServer,
} from '../../../fixtures/src/oauth/index.js';
import { loginWithBrowser } from '../src/index.js';
import { createHarness, readAuthorization, sendWithFetch } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

const VERIFIER = 'verifier-that-is-long-enough-to-be-valid-0123456789';

let oidc: OidcServer;
let password: PasswordServer;
let scripted: ScriptedServer;

beforeAll(async () => {
  oidc = await startOidcServer({ accessTokenTtl: 30 });
  password = await startPasswordServer();
  // A careless server that echoes the client secret it received in its error description.
  scripted = await startScriptedServer((request) => ({
    status: 401,
    body: { error: 'invalid_client', error_description: `bad secret ${request.form.get('client_secret')}` },
  }));
});

afterAll(async () => {
  await Promise.all([oidc.close(), password.close(), scripted.close()]);
});

describe('redaction', () => {
  it('registers every secret it touches and lets none into events or error messages', async () => {
    const harness = createHarness();
    const texts: string[] = [];
    const secrets: string[] = [OIDC_CLIENT_SECRET, PASSWORD_CLIENT_SECRET, PASSWORD_USER_PASSWORD, VERIFIER, 'echoed-secret-xyz-123'];

    const cc = createOAuth2Profile({
      grant: 'client_credentials',
      tokenUrl: oidc.tokenUrl,
      clientId: 'cc-client',
      clientSecret: OIDC_CLIENT_SECRET,
    });
    const ccCall = await harness.call('cc', cc, `${oidc.url}/api/me`);
    secrets.push(readAuthorization(ccCall.request)!.slice(7));

    const pw = createOAuth2Profile({
      grant: 'password',
      tokenUrl: password.tokenUrl,
      clientId: 'password-client',
      clientSecret: PASSWORD_CLIENT_SECRET,
      username: 'ada',
      password: PASSWORD_USER_PASSWORD,
    });
    const pwCall = await harness.call('pw', pw, `${password.url}/api/me`);
    secrets.push(readAuthorization(pwCall.request)!.slice(7));

    const web = createOAuth2Profile({
      grant: 'authorization_code',
      authUrl: oidc.authUrl,
      tokenUrl: oidc.tokenUrl,
      clientId: 'web-client',
      clientSecret: OIDC_CLIENT_SECRET,
      codeVerifier: VERIFIER,
      scope: 'openid',
    });
    let code = '';
    const tokens = await loginWithBrowser('web', web, {
      send: sendWithFetch,
      redactor: harness.redactor,
      openUrl: async (url) => {
        const redirect = new URL(await completeInteractions(url));
        code = redirect.searchParams.get('code')!;
        await fetch(redirect);
      },
    });
    secrets.push(code, tokens.accessToken!, tokens.refreshToken!);

    const ci = createOAuth2Profile({
      grant: 'refresh_token',
      tokenUrl: oidc.tokenUrl,
      clientId: 'web-client',
      clientSecret: OIDC_CLIENT_SECRET,
      refreshToken: tokens.refreshToken!,
    });
    const ciCall = await harness.call('ci', ci, `${oidc.url}/api/me`);
    secrets.push(readAuthorization(ciCall.request)!.slice(7));

    const careless = createOAuth2Profile({
      grant: 'client_credentials',
      tokenUrl: `${scripted.url}/token`,
      clientId: 'c',
      clientSecret: 'echoed-secret-xyz-123',
      clientAuth: 'body',
    });
    const error = await harness.call('careless', careless, scripted.url).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR });
    texts.push((error as Error).message, JSON.stringify(error), JSON.stringify(harness.events), ...harness.warnings);
    expect((error as Error).message).toContain('bad secret [REDACTED]');

    const output = texts.join('\n');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(harness.redactor.redact(`x ${secret} y`)).toBe('x [REDACTED] y');
      expect(output).not.toContain(secret);
    }
  });

  it('redacts the Basic client credentials of a token request, whose secret is form-urlencoded before base64', async () => {
    const harness = createHarness();
    // A base64-looking secret: "+", "/" and "=" are percent-encoded inside the Basic credentials (RFC 6749 §2.3.1).
    const secret = 'Xk9+aB3/qR7zLm2=';
    const echoing = await startScriptedServer((request) => ({
      status: 401,
      body: { error: 'invalid_client', error_description: `got ${String(request.headers.authorization)}` },
    }));
    try {
      const profile = createOAuth2Profile({
        grant: 'client_credentials',
        tokenUrl: `${echoing.url}/token`,
        clientId: 'app',
        clientSecret: secret,
      });
      const error = await harness.call('echoing', profile, echoing.url).catch((e: unknown) => e as Error);
      expect(error).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR });
      const sent = String(echoing.requests[0]!.headers.authorization).slice('Basic '.length);
      expect(Buffer.from(sent, 'base64').toString()).toBe('app:Xk9%2BaB3%2FqR7zLm2%3D');
      expect((error as Error).message).toContain('got Basic [REDACTED]');
      const output = [(error as Error).message, JSON.stringify(error), JSON.stringify(harness.events), ...harness.warnings].join('\n');
      expect(output).not.toContain(sent);
    } finally {
      await echoing.close();
    }
  });
});
