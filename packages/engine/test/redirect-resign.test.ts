/**
 * A same-origin redirect of a request signed by a scheme whose signature covers the request (AWS SigV4, Hawk,
 * OAuth 1.0a, Akamai EdgeGrid, Digest) is signed again for the next hop, as curl does: the old signature covers
 * the old URL (Hawk also refuses its replayed nonce). Through the engine against the verifying fixture servers,
 * whose `/redirect-<status>/<path>` answers a verified request with a redirect to `<path>`, verified in turn.
 */
import { Redactor, type RunEvent, ScenarioSchema, type StepResult } from '@sortie/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  startAwsV4Verifier,
  startDigestVerifier,
  startEdgegridVerifier,
  startHawkVerifier,
  startOAuth1Verifier,
  type VerifierServer,
} from '../../../fixtures/src/auth-verifiers/index.js';
import { runScenarios } from '../src/index.js';

const servers: VerifierServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function track(server: Promise<VerifierServer>): Promise<string> {
  const started = await server;
  servers.push(started);
  return started.url;
}

/** Runs a GET redirected with 302 and a JSON POST redirected with 307 (body kept) under `profile`. */
async function runRedirected(
  baseUrl: string,
  profile: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<StepResult[]> {
  const value = ScenarioSchema.parse({
    name: 'signed redirects',
    auth: { profiles: { signer: profile }, use: 'signer' },
    steps: [
      { name: 'get', request: { url: `${baseUrl}/redirect-302/final?a=1`, headers } },
      { name: 'post', request: { method: 'POST', url: `${baseUrl}/redirect-307/final`, headers, body: { json: { n: 1 } } } },
    ],
  });
  const events: RunEvent[] = [];
  await runScenarios({
    scenarios: [{ value, file: 'redirect.json', dir: process.cwd() }],
    redactor: new Redactor(),
    onEvent: (event) => events.push(event),
  });
  return events.flatMap((event) => (event.type === 'step:end' ? [event.result] : []));
}

function expectBothHopsAccepted(steps: StepResult[]): void {
  expect(steps.map((step) => [step.name, step.error?.message, step.response?.status])).toEqual([
    ['get', undefined, 200],
    ['post', undefined, 200],
  ]);
  expect(steps.map((step) => step.response?.redirects?.length)).toEqual([1, 1]);
}

describe('signatures on a same-origin redirect', () => {
  it('hawk: the next hop gets a new MAC and nonce', async () => {
    const key = 'werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn';
    const url = await track(startHawkVerifier({ id: 'dh37fgj492je', key }));
    expectBothHopsAccepted(await runRedirected(url, { type: 'hawk', id: 'dh37fgj492je', key, includePayloadHash: true }));
  });

  it('awsv4: the next hop is signed for its own path (a new Authorization and X-Amz-Date)', async () => {
    const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey, region: 'eu-west-1', service: 'execute-api' };
    const url = await track(startAwsV4Verifier(options));
    expectBothHopsAccepted(await runRedirected(url, { type: 'awsv4', ...options }));
  });

  it('oauth1: the next hop gets a signature over its own URL', async () => {
    const credentials = {
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    };
    const url = await track(startOAuth1Verifier(credentials));
    expectBothHopsAccepted(await runRedirected(url, { type: 'oauth1', ...credentials }));
  });

  it('akamaiEdgegrid: the next hop is signed again', async () => {
    const credentials = {
      clientToken: 'akab-client-token-xxx-xxxxxxxxxxxxxxxx',
      clientSecret: 'C113nt53KR3TN6N90yVuAgICxIRwsObLi0E67/N8eRN=',
      accessToken: 'akab-access-token-xxx-xxxxxxxxxxxxxxxx',
    };
    const url = await track(startEdgegridVerifier({ ...credentials, headersToSign: ['X-Test1'] }));
    expectBothHopsAccepted(
      await runRedirected(url, { type: 'akamaiEdgegrid', ...credentials, headersToSign: ['X-Test1'] }, { 'X-Test1': 'v' }),
    );
  });

  it('digest: the next hop answers the nonce again for its own uri', async () => {
    const password = 'digest-Secret-51';
    const url = await track(startDigestVerifier({ username: 'alice', password }));
    expectBothHopsAccepted(await runRedirected(url, { type: 'digest', username: 'alice', password }));
  });
});
