/**
 * The auth session through the run cycle, against real servers: a token endpoint that accepts connections and
 * never answers ends the step after the token request's timeout (the step's, or the profile's own), and the run's
 * cancellation ends it at once; every auth failure has a code of its own.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ErrorCode, Redactor, type RunEvent, type Scenario, ScenarioSchema, type StepResult } from '@sortie/core';
import { OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '@sortie/fixtures/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

/** A TCP server that accepts every connection and never writes a byte. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let silent: Awaited<ReturnType<typeof startSilentServer>>;
let oidc: OidcServer;
beforeAll(async () => {
  [silent, oidc] = await Promise.all([startSilentServer(), startOidcServer()]);
});
afterAll(async () => {
  await Promise.all([silent.close(), oidc.close()]);
});

function scenario(profile: Record<string, unknown>, options: Record<string, unknown> = {}, auth = 'api'): Scenario {
  return ScenarioSchema.parse({
    name: 'auth session',
    auth: {
      profiles: {
        api: { type: 'oauth2', grant: 'client_credentials', clientId: 'cc-client', clientSecret: OIDC_CLIENT_SECRET, ...profile },
      },
      use: auth,
    },
    options,
    steps: [{ name: 'me', request: { url: `${oidc.url}/api/me` }, post: [{ assert: { status: { equals: 200 } } }] }],
  });
}

async function run(value: Scenario, extra: { timeoutRequest?: number; signal?: AbortSignal } = {}) {
  const steps: StepResult[] = [];
  const started = performance.now();
  let stepEndedMs = Number.NaN;
  const result = await runScenarios({
    scenarios: [{ value, file: 'auth.json', dir: process.cwd() }],
    redactor: new Redactor(),
    ...extra,
    onEvent: (event: RunEvent) => {
      if (event.type === 'step:end') {
        steps.push(event.result);
        stepEndedMs = performance.now() - started;
      }
    },
  });
  return { result, steps, stepEndedMs, elapsedMs: performance.now() - started };
}

describe('token requests obey a timeout and the run', () => {
  it("ends a token request that never gets an answer after the scenario's request timeout, not 30 s", async () => {
    const { steps, elapsedMs } = await run(scenario({ tokenUrl: `${silent.url}/token` }, { timeoutRequest: 300 }));
    expect(steps[0]?.status).toBe('error');
    expect(steps[0]?.error?.code).toBe(ErrorCode.AUTH_UNREACHABLE);
    expect(steps[0]?.error?.message).toContain('300 ms');
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('takes the timeout of the run (--timeout-request) when the scenario sets none', async () => {
    const { steps, elapsedMs } = await run(scenario({ tokenUrl: `${silent.url}/token` }), { timeoutRequest: 250 });
    expect(steps[0]?.error?.code).toBe(ErrorCode.AUTH_UNREACHABLE);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it("prefers the profile's own timeout for its token requests", async () => {
    const { steps, elapsedMs } = await run(scenario({ tokenUrl: `${silent.url}/token`, timeout: 200 }, { timeoutRequest: 60_000 }));
    expect(steps[0]?.error?.code).toBe(ErrorCode.AUTH_UNREACHABLE);
    expect(steps[0]?.error?.message).toContain('200 ms');
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('gives up a pending token request when the run is interrupted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    // The step ends at the interruption; the run's HTTP client then closes once the abandoned exchange times out (3 s).
    const { steps, stepEndedMs } = await run(scenario({ tokenUrl: `${silent.url}/token` }, { timeoutRequest: 3000 }), {
      signal: controller.signal,
    });
    expect(steps[0]?.error?.code).toBe(ErrorCode.INTERRUPTED);
    expect(stepEndedMs).toBeLessThan(2000);
  });
});

describe('auth error codes', () => {
  it('names an undeclared profile AUTH_UNKNOWN_PROFILE and lists the declared ones', async () => {
    const { steps } = await run(scenario({ tokenUrl: `${oidc.url}/token` }, {}, 'nope'));
    expect(steps[0]?.error).toMatchObject({ code: ErrorCode.AUTH_UNKNOWN_PROFILE, hint: 'declared profiles: api' });
  });

  it('reports a token the API rejects again after renewal as AUTH_REJECTED, with the response', async () => {
    // expiredStatuses [200]: every answer counts as "token rejected", the renewed token's included.
    const { steps } = await run(scenario({ tokenUrl: `${oidc.url}/token`, expiredStatuses: [200] }));
    expect(steps[0]?.status).toBe('error');
    expect(steps[0]?.error?.code).toBe(ErrorCode.AUTH_REJECTED);
    expect(steps[0]?.response?.status).toBe(200);
  });
});
