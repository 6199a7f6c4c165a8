import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JwtBearerTokenServer, startJwtBearerTokenServer } from '../../../fixtures/src/auth-verifiers/index.js';
import { createHarness, readJson } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

const SERVICE_ACCOUNT = 'reporter@sortie-test.iam.gserviceaccount.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const OTHER_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let server: JwtBearerTokenServer;

beforeAll(async () => {
  server = await startJwtBearerTokenServer({ publicKey, issuer: SERVICE_ACCOUNT, ttlSeconds: 3600 });
});
afterAll(async () => {
  await server.close();
});

function createProfile(assertion: Record<string, unknown> = {}) {
  return createOAuth2Profile({
    grant: 'jwt_bearer',
    tokenUrl: server.tokenUrl,
    clientId: SERVICE_ACCOUNT,
    scope: 'https://www.googleapis.com/auth/devstorage.read_only',
    assertion: { privateKey: PRIVATE_PEM, keyId: 'key-1', ...assertion },
  });
}

describe('the jwt_bearer grant (RFC 7523) against a token endpoint verifying with jose', () => {
  it('trades a signed assertion for a token the API accepts', async () => {
    const harness = createHarness();
    const before = server.assertions.length;
    const { response } = await harness.call('google', createProfile({ subject: 'alice@example.com' }), `${server.url}/api/buckets`);
    expect(response.status).toBe(200);
    expect(readJson(response)).toMatchObject({ sub: 'alice@example.com', scope: 'https://www.googleapis.com/auth/devstorage.read_only' });
    const claims = server.assertions[before]!;
    expect(claims).toMatchObject({ iss: SERVICE_ACCOUNT, aud: server.tokenUrl, sub: 'alice@example.com' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    const body = new URLSearchParams(String(harness.sent.at(-1)!.body));
    expect(body.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    // RFC 7521 §4.2: client_id goes along even without client authentication.
    expect(body.get('client_id')).toBe(SERVICE_ACCOUNT);
    expect(body.has('client_secret')).toBe(false);
    expect(harness.sent.at(-1)!.headers.some(([name]) => name.toLowerCase() === 'authorization')).toBe(false);
    expect(harness.events.map((e) => e.action)).toEqual(['obtained']);
    expect(harness.events[0]).toMatchObject({ grant: 'jwt_bearer' });
  });

  it('asks once for 20 concurrent requests, then signs a new assertion when the token nears expiry', async () => {
    const harness = createHarness();
    const profile = createProfile();
    const before = server.tokenRequests;
    await Promise.all(Array.from({ length: 20 }, () => harness.call('google', profile, `${server.url}/api/a`)));
    expect(server.tokenRequests - before).toBe(1);
    harness.clock.now += 3590_000; // inside the default 30 s refresh skew
    const { response } = await harness.call('google', profile, `${server.url}/api/b`);
    expect(response.status).toBe(200);
    expect(server.tokenRequests - before).toBe(2);
    const [first, second] = server.assertions.slice(-2);
    expect(first!.jti).not.toBe(second!.jti);
    expect(harness.events.filter((e) => e.action !== 'reused').map((e) => e.action)).toEqual(['obtained', 'obtained']);
  });

  it('re-signs when the API rejects the token, and the resent request passes', async () => {
    const harness = createHarness();
    const profile = createProfile();
    await harness.call('google', profile, `${server.url}/api/a`);
    server.revokeAll();
    const before = server.tokenRequests;
    const response = await harness.callWithRetry('google', profile, `${server.url}/api/b`);
    expect(response.status).toBe(200);
    expect(server.tokenRequests - before).toBe(1);
  });

  it('sends client_id without a client secret, so a server that requires it (RFC 7521 §4.2) accepts the grant', async () => {
    const strict = await startJwtBearerTokenServer({ publicKey, issuer: SERVICE_ACCOUNT, clientId: SERVICE_ACCOUNT });
    try {
      const harness = createHarness();
      const profile = createOAuth2Profile({
        grant: 'jwt_bearer',
        tokenUrl: strict.tokenUrl,
        clientId: SERVICE_ACCOUNT,
        assertion: { privateKey: PRIVATE_PEM },
      });
      const { response } = await harness.call('google', profile, `${strict.url}/api/buckets`);
      expect(response.status).toBe(200);
      expect(strict.tokenRequests).toBe(1);
      const wrongClient = createOAuth2Profile({ ...profile, clientId: 'someone-else@example.com' });
      const error = await createHarness()
        .call('other', { ...wrongClient, assertion: { ...wrongClient.assertion!, issuer: SERVICE_ACCOUNT } }, `${strict.url}/api/buckets`)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SORTIE_AUTH_OAUTH_ERROR', error: 'invalid_client' });
    } finally {
      await strict.close();
    }
  });

  it('is refused with an assertion signed by another key, leaking neither key nor assertion', async () => {
    const harness = createHarness();
    const error = await harness.manager
      .apply('google', createProfile({ privateKey: OTHER_PEM }), {
        method: 'GET',
        url: `${server.url}/api/a`,
        headers: [],
        timeout: 5000,
        followRedirects: false,
        maxRedirects: 0,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SORTIE_AUTH_OAUTH_ERROR', error: 'invalid_grant' });
    const assertion = new URLSearchParams(String(harness.sent.at(-1)!.body)).get('assertion')!;
    const text = JSON.stringify(harness.events) + String((error as Error).message);
    expect(text).not.toContain(assertion);
    expect(harness.redactor.redact(`${OTHER_PEM} ${assertion}`)).not.toMatch(/PRIVATE KEY|eyJ/);
  });

  it('needs tokenUrl and an assertion key', () => {
    expect(() => createOAuth2Profile({ grant: 'jwt_bearer', tokenUrl: 'http://x/token', clientId: 'a' })).toThrow(/assertion/);
  });
});
