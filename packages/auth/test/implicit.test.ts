import { ErrorCode, Redactor } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../../fixtures/src/oauth/index.js';
import { loginWithBrowser } from '../src/index.js';
import { sendWithFetch } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let server: ScriptedServer;

beforeAll(async () => {
  // A legacy authorization endpoint: the token comes back in the fragment of the redirect (RFC 6749 §4.2.2).
  server = await startScriptedServer((request) => {
    const redirect = new URL(request.query.get('redirect_uri')!);
    const fragment = new URLSearchParams({
      access_token: 'implicit-token-42',
      token_type: 'bearer',
      expires_in: '120',
      state: request.query.get('state')!,
    });
    return { status: 302, headers: { location: `${redirect}#${fragment}` } };
  });
});

afterAll(async () => {
  await server.close();
});

/** What a browser does: follow the redirect (the fragment stays in the browser) and run the page's script. */
async function actAsBrowser(url: string): Promise<void> {
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
  const [page, fragment] = location.split('#');
  const html = await (await fetch(page!)).text();
  expect(html).toContain('location.hash');
  await fetch(`${new URL(page!).pathname === '/callback' ? page : ''}?sortie_fragment=1`, { method: 'POST', body: fragment });
}

describe('implicit grant (legacy)', () => {
  it('receives the token from the fragment through the loopback page', async () => {
    const profile = createOAuth2Profile({ grant: 'implicit', authUrl: `${server.url}/authorize`, clientId: 'legacy-app', scope: 'read' });
    const redactor = new Redactor();
    const tokens = await loginWithBrowser('legacy', profile, { send: sendWithFetch, redactor, openUrl: actAsBrowser, now: () => 1_000 });
    expect(tokens).toMatchObject({ accessToken: 'implicit-token-42', tokenType: 'bearer', expiresAt: 121_000, scope: 'read' });
    const sent = server.requests[0]!.query;
    expect(sent.get('response_type')).toBe('token');
    expect(sent.has('code_challenge')).toBe(false);
    expect(redactor.redact('implicit-token-42')).toBe('[REDACTED]');
  });

  it('refuses a callbackUrl that is not on loopback', async () => {
    const profile = createOAuth2Profile({
      grant: 'implicit',
      authUrl: `${server.url}/authorize`,
      clientId: 'x',
      callbackUrl: 'https://example.com/cb',
    });
    await expect(loginWithBrowser('legacy', profile, { send: sendWithFetch, redactor: new Redactor() })).rejects.toMatchObject({
      code: ErrorCode.USAGE,
    });
  });
});
