import { ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeInteractions,
  type OidcServer,
  type ScriptedServer,
  startOidcServer,
  startScriptedServer,
} from '../../../fixtures/src/oauth/index.js';
import type { DeviceAuthorizationPrompt } from '../src/index.js';
import { createHarness, readJson } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let server: OidcServer;
let scripted: ScriptedServer;

beforeAll(async () => {
  server = await startOidcServer({ accessTokenTtl: 30 });
  scripted = await startScriptedServer(() => ({ status: 500 }));
});

afterAll(async () => {
  await server.close();
  await scripted.close();
});

describe('device authorization grant (RFC 8628)', () => {
  it('shows the user code, polls until the user approved, then uses and refreshes the token (oidc-provider)', async () => {
    const prompts: DeviceAuthorizationPrompt[] = [];
    let approval: Promise<string> | undefined;
    const delays: number[] = [];
    const harness = createHarness({
      onDeviceAuthorization: (prompt) => {
        prompts.push(prompt);
        // The user opens the verification URL on another device and approves.
        approval = completeInteractions(prompt.verificationUriComplete!, { login: 'grace' });
      },
      sleep: async (ms) => {
        delays.push(ms);
        await approval;
      },
    });
    const profile = createOAuth2Profile({
      grant: 'device_code',
      deviceAuthorizationUrl: server.deviceAuthorizationUrl,
      tokenUrl: server.tokenUrl,
      clientId: 'device-client',
      clientAuth: 'body',
      scope: 'openid',
    });
    const { response } = await harness.call('tv', profile, `${server.url}/api/me`);
    expect(readJson(response)).toEqual({ sub: 'grace' });
    expect(prompts).toHaveLength(1);
    expect(prompts[0]!.userCode).toMatch(/\S+/);
    expect(prompts[0]!.verificationUri).toBe(`${server.url}/device`);
    // oidc-provider sends no interval: RFC 8628 §3.2 says 5 seconds.
    expect(delays[0]).toBe(5000);

    harness.clock.now += 29_000;
    const refreshed = await harness.call('tv', profile, `${server.url}/api/me`);
    expect(readJson(refreshed.response)).toEqual({ sub: 'grace' });
    expect(harness.events.map((e) => e.action)).toEqual(['obtained', 'refreshed']);
  });

  it('honours interval and slow_down while authorization is pending', async () => {
    scripted.handle((request) => {
      if (request.path === '/device') {
        return {
          body: {
            device_code: 'dev-code-123456',
            user_code: 'ABCD-EFGH',
            verification_uri: `${scripted.url}/verify`,
            interval: 2,
            expires_in: 600,
          },
        };
      }
      const polls = scripted.requests.filter((r) => r.path === '/token').length;
      if (polls === 1) return { status: 400, body: { error: 'authorization_pending' } };
      if (polls === 2) return { status: 400, body: { error: 'slow_down' } };
      if (polls === 3) return { status: 400, body: { error: 'authorization_pending' } };
      return { body: { access_token: 'device-token-xyz', expires_in: 60 } };
    });
    const delays: number[] = [];
    const harness = createHarness({ onDeviceAuthorization: () => {}, sleep: async (ms) => void delays.push(ms) });
    const profile = createOAuth2Profile({
      grant: 'device_code',
      deviceAuthorizationUrl: `${scripted.url}/device`,
      tokenUrl: `${scripted.url}/token`,
      clientId: 'tv-app',
    });
    const request = await harness.manager.apply('tv', profile, {
      method: 'GET',
      url: scripted.url,
      headers: [],
      timeout: 1000,
      followRedirects: false,
      maxRedirects: 0,
    });
    expect(request.headers).toContainEqual(['Authorization', 'Bearer device-token-xyz']);
    expect(delays).toEqual([2000, 2000, 7000, 7000]);
    const poll = scripted.requests.find((r) => r.path === '/token')!;
    expect(poll.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:device_code');
    expect(poll.form.get('device_code')).toBe('dev-code-123456');
    expect(harness.redactor.redact('dev-code-123456')).toBe('[REDACTED]');
  });

  it('stops with the OAuth error when the user denies', async () => {
    scripted.handle((request) =>
      request.path === '/device'
        ? { body: { device_code: 'dev-code-denied', user_code: 'WXYZ', verification_uri: `${scripted.url}/verify`, interval: 1 } }
        : { status: 400, body: { error: 'access_denied', error_description: 'the user said no' } },
    );
    const harness = createHarness({ onDeviceAuthorization: () => {}, sleep: async () => {} });
    const profile = createOAuth2Profile({
      grant: 'device_code',
      deviceAuthorizationUrl: `${scripted.url}/device`,
      tokenUrl: `${scripted.url}/token`,
      clientId: 'tv',
    });
    const error = await harness.call('tv', profile, scripted.url).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.AUTH_OAUTH_ERROR, error: 'access_denied' });
  });

  it('asks for `sortie auth login` when nobody can be shown the device prompt', async () => {
    const harness = createHarness();
    const profile = createOAuth2Profile({
      grant: 'device_code',
      deviceAuthorizationUrl: `${scripted.url}/device`,
      tokenUrl: `${scripted.url}/token`,
      clientId: 'tv',
    });
    await expect(harness.call('tv', profile, scripted.url)).rejects.toMatchObject({
      code: ErrorCode.AUTH_LOGIN_REQUIRED,
      title: 'Login required',
    });
  });
});
