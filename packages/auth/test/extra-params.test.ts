/**
 * A profile's custom parameters (`params.authorization`, `params.token`, `params.refresh`) named like a parameter the
 * grant sends itself replace it: a parameter must not be sent more than once (RFC 6749 §3.1, §3.2), and servers
 * (oidc-provider here) refuse a request that repeats one. Custom parameters of one name are all sent (RFC 8707 lets
 * `resource` repeat).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '../../../fixtures/src/oauth/index.js';
import { buildAuthorizationUrl, clientCredentialsGrantRequest, passwordGrantRequest } from '../src/index.js';
import { createHarness, readJson } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let server: OidcServer;

beforeAll(async () => {
  server = await startOidcServer();
});
afterAll(async () => {
  await server.close();
});

function createProfile(overrides: Record<string, unknown> = {}) {
  return createOAuth2Profile({
    grant: 'client_credentials',
    tokenUrl: server.tokenUrl,
    clientId: 'cc-client',
    clientSecret: OIDC_CLIENT_SECRET,
    ...overrides,
  });
}

describe('custom token-request parameters named like the grant’s own', () => {
  it('replace the grant’s parameter, so oidc-provider accepts the token request', async () => {
    const harness = createHarness();
    const profile = createProfile({ scope: 'openid', params: { token: [{ name: 'scope', value: 'api:read' }] } });
    const { response } = await harness.call('api', profile, `${server.url}/api/me`);
    expect(response.status).toBe(200);
    expect(readJson(response)).toEqual({ client_id: 'cc-client' });
    expect(new URLSearchParams(String(harness.sent.at(-1)!.body)).getAll('scope')).toEqual(['api:read']);
  });

  it('keep every custom parameter of one name, and replace a header of the same name whatever its case', () => {
    const profile = createProfile({
      params: {
        token: [
          { name: 'resource', value: 'https://a.example' },
          { name: 'resource', value: 'https://b.example' },
          { name: 'Accept', value: 'application/vnd.sts+json', in: 'header' },
        ],
      },
    });
    const request = clientCredentialsGrantRequest(profile);
    expect(new URLSearchParams(String(request.body)).getAll('resource')).toEqual(['https://a.example', 'https://b.example']);
    expect(request.headers.filter(([name]) => name.toLowerCase() === 'accept')).toEqual([['Accept', 'application/vnd.sts+json']]);
  });

  it('replace grant_type, for a provider’s own grant (Auth0’s password-realm)', () => {
    const profile = createOAuth2Profile({
      grant: 'password',
      tokenUrl: server.tokenUrl,
      clientId: 'spa',
      username: 'ada',
      password: 'pw',
      params: {
        token: [
          { name: 'grant_type', value: 'http://auth0.com/oauth/grant-type/password-realm' },
          { name: 'realm', value: 'Username-Password-Authentication' },
        ],
      },
    });
    const form = new URLSearchParams(String(passwordGrantRequest(profile).body));
    expect(form.getAll('grant_type')).toEqual(['http://auth0.com/oauth/grant-type/password-realm']);
    expect(form.get('realm')).toBe('Username-Password-Authentication');
    expect(form.get('username')).toBe('ada');
  });

  it('replace an authorization request parameter of the same name', () => {
    const profile = createOAuth2Profile({
      grant: 'authorization_code',
      authUrl: server.authUrl,
      tokenUrl: server.tokenUrl,
      clientId: 'web-client',
      scope: 'openid',
      params: {
        authorization: [
          { name: 'scope', value: 'openid offline_access', in: 'query' },
          { name: 'prompt', value: 'consent', in: 'query' },
        ],
      },
    });
    const url = buildAuthorizationUrl(profile, { redirectUri: 'http://127.0.0.1:1/callback', state: 's1', responseType: 'code' });
    const query = new URL(url).searchParams;
    expect(query.getAll('scope')).toEqual(['openid offline_access']);
    expect(query.getAll('prompt')).toEqual(['consent']);
  });
});

describe('the query the token and authorization URLs already have', () => {
  it('is kept byte for byte when a custom parameter goes in the token URL’s query (URLSearchParams re-encoded all of it)', () => {
    const profile = createProfile({
      tokenUrl: 'http://127.0.0.1:1/token?api-version=2020-01-01&p=a%20b,c/d&tenant=old',
      params: { token: [{ name: 'tenant', value: 'x y+z', in: 'query' }] },
    });
    expect(clientCredentialsGrantRequest(profile).url).toBe('http://127.0.0.1:1/token?api-version=2020-01-01&p=a%20b,c/d&tenant=x+y%2Bz');
    expect(clientCredentialsGrantRequest(createProfile({ tokenUrl: 'http://127.0.0.1:1/token?p=a%20b' })).url).toBe(
      'http://127.0.0.1:1/token?p=a%20b',
    );
  });

  it('is kept byte for byte in the authorization URL, a custom parameter replacing the one of its name', () => {
    const profile = createProfile({
      grant: 'authorization_code',
      authUrl: 'http://127.0.0.1:1/authorize?p=B2C_1%20signin&prompt=login',
      scope: 'openid profile',
      params: { authorization: [{ name: 'prompt', value: 'consent', in: 'query' }] },
    });
    const url = buildAuthorizationUrl(profile, { redirectUri: 'http://127.0.0.1:1/callback', state: 's1', responseType: 'code' });
    expect(url).toBe(
      'http://127.0.0.1:1/authorize?p=B2C_1%20signin&response_type=code&client_id=cc-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback&scope=openid+profile&state=s1&prompt=consent',
    );
    const query = new URL(url).searchParams;
    expect([query.get('p'), query.get('redirect_uri'), query.get('scope')]).toEqual([
      'B2C_1 signin',
      'http://127.0.0.1:1/callback',
      'openid profile',
    ]);
  });
});
