import { AuthProfileSchema, ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenExchangeServer, type TokenExchangeServer } from '../../../fixtures/src/auth-verifiers/index.js';
import { computeCacheKey } from '../src/cache-key.js';
import { createHarness, readAuthorization, readJson } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

const CLIENT = { id: 'gateway', secret: 'gw secret+/=' };
const USER_TOKEN = 'user-token-of-ada-0123456789';
const OTHER_USER_TOKEN = 'user-token-of-bob-0123456789';
const SERVICE_TOKEN = 'service-token-of-billing-0123456789';
let server: TokenExchangeServer;

beforeAll(async () => {
  server = await startTokenExchangeServer({
    client: CLIENT,
    subjects: { [USER_TOKEN]: 'ada', [OTHER_USER_TOKEN]: 'bob', [SERVICE_TOKEN]: 'billing' },
  });
});
afterAll(async () => {
  await server.close();
});

function createProfile(overrides: Record<string, unknown> = {}) {
  return createOAuth2Profile({
    grant: 'token_exchange',
    tokenUrl: server.tokenUrl,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    subjectToken: USER_TOKEN,
    audience: 'https://orders.example',
    ...overrides,
  });
}

describe('the token_exchange grant (RFC 8693) against a security token service', () => {
  it('trades the subject token for a token of the audience, which the API accepts', async () => {
    const harness = createHarness();
    const { response, request } = await harness.call('orders', createProfile({ scope: 'orders:read' }), `${server.url}/api/orders`);
    expect(response.status).toBe(200);
    expect(readJson(response)).toEqual({ ok: true, sub: 'ada', aud: 'https://orders.example', scope: 'orders:read' });
    expect(readAuthorization(request)).toMatch(/^Bearer \S+$/);
    expect(Object.fromEntries(server.forms.at(-1)!)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: USER_TOKEN,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'https://orders.example',
      scope: 'orders:read',
    });
    expect(harness.events.map((e) => [e.action, e.grant])).toEqual([['obtained', 'token_exchange']]);
  });

  it('sends the actor token with its type for a delegation', async () => {
    const harness = createHarness();
    const profile = createProfile({ actorToken: SERVICE_TOKEN, subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt' });
    const { response } = await harness.call('delegated', profile, `${server.url}/api/orders`);
    expect(response.status).toBe(200);
    expect(readJson(response)).toMatchObject({ sub: 'ada', act: { sub: 'billing' } });
    const form = server.forms.at(-1)!;
    expect(form.get('subject_token_type')).toBe('urn:ietf:params:oauth:token-type:jwt');
    expect(form.get('actor_token_type')).toBe('urn:ietf:params:oauth:token-type:access_token');
  });

  it('sends a token issued with token_type N_A (not an access token) as a Bearer token', async () => {
    const harness = createHarness();
    const profile = createProfile({ requestedTokenType: 'urn:ietf:params:oauth:token-type:jwt' });
    const { response, request } = await harness.call('jwt', profile, `${server.url}/api/orders`);
    expect(server.forms.at(-1)!.get('requested_token_type')).toBe('urn:ietf:params:oauth:token-type:jwt');
    expect(readAuthorization(request)).toMatch(/^Bearer \S+$/);
    expect(response.status).toBe(200);
  });

  it('exchanges once for 20 concurrent requests, and again when the token nears expiry (there is no refresh token)', async () => {
    const harness = createHarness();
    const profile = createProfile();
    const before = server.tokenRequests;
    await Promise.all(Array.from({ length: 20 }, () => harness.call('orders', profile, `${server.url}/api/a`)));
    expect(server.tokenRequests - before).toBe(1);
    harness.clock.now += 3590_000; // inside the default 30 s refresh skew
    const { response } = await harness.call('orders', profile, `${server.url}/api/b`);
    expect(response.status).toBe(200);
    expect(server.tokenRequests - before).toBe(2);
    expect(server.forms.at(-1)!.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
  });

  it('does not hand out the token of one subject for another', async () => {
    const harness = createHarness();
    const ada = await harness.call('orders', createProfile(), `${server.url}/api/me`);
    const bob = await harness.call('orders', createProfile({ subjectToken: OTHER_USER_TOKEN }), `${server.url}/api/me`);
    expect(readJson(ada.response)).toMatchObject({ sub: 'ada' });
    expect(readJson(bob.response)).toMatchObject({ sub: 'bob' });
    const key = computeCacheKey('orders', createProfile({ subjectToken: OTHER_USER_TOKEN }));
    expect(key).not.toBe(computeCacheKey('orders', createProfile()));
    expect(key).not.toContain(OTHER_USER_TOKEN);
  });

  it('keeps the subject and actor tokens out of an error that echoes them', async () => {
    const harness = createHarness();
    const unknown = 'subject-token-nobody-knows-42';
    const error = await harness
      .call('orders', createProfile({ subjectToken: unknown, actorToken: SERVICE_TOKEN }), `${server.url}/api/me`)
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR });
    expect((error as Error).message).toContain('unknown subject_token [REDACTED]');
    const output = JSON.stringify([(error as Error).message, error, harness.events, harness.warnings]);
    for (const secret of [unknown, SERVICE_TOKEN, CLIENT.secret]) expect(output).not.toContain(secret);
    expect(harness.redactor.redact(`x ${SERVICE_TOKEN} y`)).toBe('x [REDACTED] y');
  });

  it('is an invalid profile without a subject token or a token endpoint', () => {
    const result = AuthProfileSchema.safeParse({ type: 'oauth2', grant: 'token_exchange', clientId: 'gateway' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['tokenUrl', '"tokenUrl" is required for the token_exchange grant'],
      ['subjectToken', '"subjectToken" is required for the token_exchange grant'],
    ]);
  });
});
