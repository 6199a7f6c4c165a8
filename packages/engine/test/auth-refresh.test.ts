/**
 * The auth-state manager inside the run cycle, against a real OAuth 2.0 server: a token the server
 * revokes early is refreshed on the 401 and the request is resent once; a token expiring mid-run is
 * refreshed before it is sent; token events reach the reports without values.
 */
import { Redactor, type RunEvent, type Scenario, ScenarioSchema, type TokenEvent } from '@sortie/core';
import { OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '@sortie/fixtures/oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

let oidc: OidcServer | undefined;
afterEach(async () => {
  await oidc?.close();
  oidc = undefined;
});

/** A scenario as the loader gives it: parsed, so schema defaults (expiredStatuses…) are filled in. */
function scenario(steps: unknown[], profile: Record<string, unknown> = {}): Scenario {
  return ScenarioSchema.parse({
    name: 'auth',
    auth: {
      profiles: {
        api: {
          type: 'oauth2',
          grant: 'client_credentials',
          tokenUrl: '{{issuer}}/token',
          clientId: 'cc-client',
          clientSecret: OIDC_CLIENT_SECRET,
          refreshSkewSeconds: 0,
          ...profile,
        },
      },
      use: 'api',
    },
    options: { onError: 'continue' },
    steps,
  });
}

const me = (name: string) => ({
  name,
  request: { method: 'GET', url: '{{issuer}}/api/me' },
  post: [{ assert: { status: { equals: 200 } } }],
});

async function run(value: Scenario, server: OidcServer, onStep?: (event: RunEvent) => Promise<void> | void) {
  const events: RunEvent[] = [];
  const pending: Promise<void>[] = [];
  const result = await runScenarios({
    scenarios: [{ value, file: 'auth.json', dir: process.cwd() }],
    envVars: { issuer: server.url },
    redactor: new Redactor(),
    onEvent: (event) => {
      events.push(event);
      const work = onStep?.(event);
      if (work instanceof Promise) pending.push(work);
    },
  });
  await Promise.all(pending);
  return { result, events, tokens: events.filter((e): e is TokenEvent => e.type === 'token') };
}

describe('auth in the run cycle', () => {
  it('refreshes on a 401 from a token the server revoked early, and resends once', async () => {
    const server = await startOidcServer();
    oidc = server;
    let revoked: Promise<void> | undefined;
    const { result, tokens, events } = await run(
      scenario([me('first'), { name: 'pause', wait: 200 }, me('after revocation')]),
      server,
      (event) => {
        if (event.type === 'step:end' && event.result.name === 'first') revoked = server.revokeAcceptedTokens();
      },
    );
    await revoked;
    expect(
      result.status,
      JSON.stringify(
        events
          .filter((e) => e.type === 'step:end')
          .map((e) => e.type === 'step:end' && [e.result.name, e.result.error, e.result.assertions]),
      ),
    ).toBe('passed');
    expect(server.rejected).toBe(1);
    expect(server.tokenRequests).toBe(2);
    expect(tokens.filter((t) => t.action === 'obtained' || t.action === 'refreshed').length).toBe(2);
    expect(JSON.stringify(tokens)).not.toContain(server.acceptedTokens[0]);
  });

  it('gets a new token before sending when the old one expires mid-run', async () => {
    const server = await startOidcServer({ accessTokenTtl: 1 });
    oidc = server;
    const { result } = await run(scenario([me('first'), { name: 'let it expire', wait: 1200 }, me('after expiry')]), server);
    expect(result.status).toBe('passed');
    expect(server.rejected).toBe(0);
    expect(server.tokenRequests).toBe(2);
  });

  it('reports a token endpoint that is down as a step error and goes on', async () => {
    const server = await startOidcServer();
    oidc = server;
    const { result, events } = await run(scenario([me('first'), me('second')], { tokenUrl: 'http://127.0.0.1:9/token' }), server);
    expect(result.status).toBe('error');
    const ends = events.filter((e) => e.type === 'step:end');
    expect(ends).toHaveLength(2);
    for (const end of ends) expect(end.type === 'step:end' && end.result.error?.code).toBe('SORTIE_AUTH_UNREACHABLE');
  });
});
