/**
 * A retried request signed by a scheme whose signature carries a nonce or covers the moment it was made
 * (Hawk, OAuth 1.0a) is signed again for each attempt: the Hawk verifier refuses a replayed nonce, so
 * resending the first attempt's signature made every retry fail with 401 (the OAuth 1.0a verifier keeps
 * no nonces: its case checks that a signature made again is still accepted). The verifiers'
 * `/unavailable-once/<path>` answers a verified request 503 once, then 200.
 */
import { Redactor, type RunEvent, ScenarioSchema, type StepResult } from '@sortie/core';
import { afterAll, describe, expect, it } from 'vitest';
import { startHawkVerifier, startOAuth1Verifier, type VerifierServer } from '../../../fixtures/src/auth-verifiers/index.js';
import { runScenarios } from '../src/index.js';

const servers: VerifierServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function runRetried(server: Promise<VerifierServer>, profile: Record<string, unknown>): Promise<StepResult | undefined> {
  const started = await server;
  servers.push(started);
  const value = ScenarioSchema.parse({
    name: 'signed retries',
    auth: { profiles: { signer: profile }, use: 'signer' },
    steps: [{ name: 'get', request: { url: `${started.url}/unavailable-once/item?a=1` }, retry: { count: 2, delay: 0 } }],
  });
  const events: RunEvent[] = [];
  await runScenarios({
    scenarios: [{ value, file: 'retry.json', dir: process.cwd() }],
    redactor: new Redactor(),
    onEvent: (event) => events.push(event),
  });
  return events.flatMap((event) => (event.type === 'step:end' ? [event.result] : []))[0];
}

function expectRetryAccepted(step: StepResult | undefined): void {
  expect(step?.error?.message).toBeUndefined();
  expect(step?.response?.status).toBe(200);
  expect(step?.attempts?.map((attempt) => attempt.status)).toEqual([503, 200]);
}

describe('signatures on a retried request', () => {
  it('hawk: each attempt gets a new nonce and MAC', async () => {
    const key = 'werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn';
    expectRetryAccepted(await runRetried(startHawkVerifier({ id: 'dh37fgj492je', key }), { type: 'hawk', id: 'dh37fgj492je', key }));
  });

  it('oauth1: the attempt signed again is accepted', async () => {
    const credentials = {
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    };
    expectRetryAccepted(await runRetried(startOAuth1Verifier(credentials), { type: 'oauth1', ...credentials }));
  });
});
