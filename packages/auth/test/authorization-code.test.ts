import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Redactor } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInteractions, OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '../../../fixtures/src/oauth/index.js';
import { computeCacheKey, listCachedTokens, loginProfile, loginWithBrowser, removeCachedTokens, TokenCache } from '../src/index.js';
import { createHarness, readAuthorization, readJson, sendWithFetch } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const TOKEN_KEY = 'test-token-key-5b1f0c2e9a';

let server: OidcServer;
let dir: string;

beforeAll(async () => {
  server = await startOidcServer({ accessTokenTtl: 30 });
  dir = await mkdtemp(join(tmpdir(), 'sortie-auth-'));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function createProfile(overrides: Record<string, unknown> = {}) {
  return createOAuth2Profile({
    grant: 'authorization_code',
    authUrl: server.authUrl,
    tokenUrl: server.tokenUrl,
    clientId: 'web-client',
    clientSecret: OIDC_CLIENT_SECRET,
    scope: 'openid',
    cache: true,
    ...overrides,
  });
}

/** Plays the user in place of a browser: logs in and consents, then follows the redirect to the loopback listener. */
async function actAsBrowser(url: string): Promise<void> {
  const redirect = await completeInteractions(url, { login: 'ada' });
  await fetch(redirect);
}

describe('authorization_code with PKCE against oidc-provider', () => {
  it('signs in through the loopback redirect with the RFC 7636 Appendix B verifier', async () => {
    const urls: string[] = [];
    const tokens = await loginWithBrowser('web', createProfile({ codeVerifier: RFC7636_VERIFIER }), {
      send: sendWithFetch,
      redactor: new Redactor(),
      onAuthorizationUrl: (url) => urls.push(url),
      openUrl: actAsBrowser,
    });
    const sent = new URL(urls[0]!);
    expect(sent.searchParams.get('code_challenge')).toBe(RFC7636_CHALLENGE);
    expect(sent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(sent.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(tokens.accessToken).toMatch(/\S{20,}/);
    expect(tokens.refreshToken).toMatch(/\S{20,}/);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(await me.json()).toEqual({ sub: 'ada' });
  });

  it('refuses a rendered code verifier RFC 7636 §4.1 forbids before opening the browser, without printing it', async () => {
    // "{{PKCE_VERIFIER}}" passes the schema; the value it renders to is checked here: with "+" or "/" the
    // S256 challenge would not match the server's, and the login would fail at the code exchange, unexplained.
    const verifier = 'dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk';
    let opened = false;
    const error = await loginWithBrowser(
      'web',
      { ...createProfile(), codeVerifier: verifier },
      {
        send: sendWithFetch,
        redactor: new Redactor(),
        openUrl: async () => {
          opened = true;
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH, title: 'Invalid PKCE code verifier' });
    expect((error as Error).message).toContain('43 to 128 characters of A-Z a-z 0-9 - . _ ~');
    expect((error as Error).message).not.toContain(verifier);
    expect(opened).toBe(false);
  });

  it('rejects a redirect whose state differs from the one sent', async () => {
    const error = await loginWithBrowser('web', createProfile(), {
      send: sendWithFetch,
      redactor: new Redactor(),
      openUrl: async (url) => {
        const redirect = new URL(await completeInteractions(url));
        redirect.searchParams.set('state', 'forged-state');
        await fetch(redirect);
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH, title: 'State mismatch' });
  });

  it('stores the login in the encrypted cache, and a run uses it, refreshes it, and asks to log in again once revoked', async () => {
    const file = join(dir, 'tokens.json');
    const redactor = new Redactor();
    const profile = createProfile();
    const result = await loginProfile('web', profile, {
      send: sendWithFetch,
      redactor,
      openUrl: actAsBrowser,
      cache: { file, key: TOKEN_KEY },
    });
    expect(result).toMatchObject({ profile: 'web', grant: 'authorization_code', hasRefreshToken: true });

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/"(access|refresh)Token"/);
    expect(await listCachedTokens(file)).toMatchObject([
      { profile: 'web', grant: 'authorization_code', hasRefreshToken: true, scope: 'openid' },
    ]);

    // A later run: the token comes from the cache, without a token request.
    const harness = createHarness({ tokenCache: { file, key: TOKEN_KEY } });
    const before = server.tokenRequests;
    const first = await harness.call('web', profile, `${server.url}/api/me`);
    expect(readJson(first.response)).toEqual({ sub: 'ada' });
    expect(server.tokenRequests - before).toBe(0);

    // Expiry mid-run: refreshed with the refresh token.
    harness.clock.now += 29_000;
    const second = await harness.call('web', profile, `${server.url}/api/me`);
    expect(readJson(second.response)).toEqual({ sub: 'ada' });
    expect(server.tokenRequests - before).toBe(1);
    expect(readAuthorization(second.request)).not.toBe(readAuthorization(first.request));
    await harness.manager.close();

    // The refresh token is revoked: an authorization_code profile cannot start over alone.
    const stored = (await TokenCache.open({ file, key: TOKEN_KEY })).read(computeCacheKey('web', profile));
    expect(stored?.refreshToken).toMatch(/\S{20,}/);
    await server.revokeRefreshToken(stored!.refreshToken!);
    const later = createHarness({ tokenCache: { file, key: TOKEN_KEY } });
    later.clock.now += 60_000;
    const error = await later.call('web', profile, `${server.url}/api/me`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_LOGIN_REQUIRED, title: 'Login required', hint: 'sortie auth login web' });
    expect(later.events.map((e) => e.action)).toEqual(['failed']);

    expect(await removeCachedTokens(file, 'web')).toBe(1);
    expect(await listCachedTokens(file)).toEqual([]);
  });

  it('lets CI start from a refresh token held in a secret (refresh_token grant)', async () => {
    const tokens = await loginWithBrowser('web', createProfile(), { send: sendWithFetch, redactor: new Redactor(), openUrl: actAsBrowser });
    const harness = createHarness();
    const profile = createOAuth2Profile({
      grant: 'refresh_token',
      tokenUrl: server.tokenUrl,
      clientId: 'web-client',
      clientSecret: OIDC_CLIENT_SECRET,
      refreshToken: tokens.refreshToken!,
    });
    const { response } = await harness.call('ci', profile, `${server.url}/api/me`);
    expect(readJson(response)).toEqual({ sub: 'ada' });
    expect(harness.events.map((e) => e.action)).toEqual(['refreshed']);
  });
});
