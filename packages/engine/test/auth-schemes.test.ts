/**
 * Every signing and challenge scheme through the engine, end to end: the example scenarios of
 * fixtures/scenarios/schemes (the ones docs/schemes shows) run against the verifying fixture
 * servers, which recompute the credential with an independent implementation. Each example passes;
 * the same scenario with a wrong secret fails or errors; no secret appears in any event. What a passing example
 * prints (cli --verbose, report.json, junit.xml) is compared with fixtures/scenarios/schemes/expected/; ports,
 * times and the values a signer makes up (nonces, timestamps, signatures) are normalised.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync as exists, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AkamaiEdgegridProfileSchema,
  AwsV4ProfileSchema,
  CustomTokenAuthSchema,
  CustomTokenRequestSchema,
  DigestProfileSchema,
  HawkProfileSchema,
  JwtBearerAssertionSchema,
  JwtProfileSchema,
  NegotiateProfileSchema,
  NtlmProfileSchema,
  OAuth1ProfileSchema,
  Redactor,
  type RunEvent,
  ScenarioSchema,
} from '@sortie/core';
import { closeReporters, createCliReporter, createJsonReporter, createJunitReporter, dispatchEvent } from '@sortie/reporters';
import { goldenIn, normaliseJunit, normaliseReport, normaliseText } from '@sortie/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DigestVerifierServer,
  type KerberosRealm,
  startAwsV4Verifier,
  startCustomTokenServer,
  startDigestVerifier,
  startEdgegridVerifier,
  startHawkVerifier,
  startJwtBearerTokenServer,
  startJwtVerifier,
  startKerberosRealm,
  startNegotiateVerifier,
  startNtlmVerifier,
  startOAuth1Verifier,
  startTokenExchangeServer,
  type VerifierServer,
} from '../../../fixtures/src/auth-verifiers/index.js';
import { runScenarios } from '../src/index.js';

const SCHEMES_DIR = join(import.meta.dirname, '../../../fixtures/scenarios/schemes');
const DOCS_DIR = join(import.meta.dirname, '../../../docs/schemes');
const servers: VerifierServer[] = [];
/** Example files this test ran with the right secrets and saw pass. */
const passedExamples = new Set<string>();
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** Starts a verifier and closes it after the file. */
async function track<T extends VerifierServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  servers.push(started);
  return started;
}

/** Reads an example scenario as the loader gives it (parsed: defaults filled in), optionally changed. */
function loadExample(file: string, change?: (raw: Record<string, unknown>) => void) {
  const raw = JSON.parse(readFileSync(join(SCHEMES_DIR, file), 'utf8')) as Record<string, unknown>;
  change?.(raw);
  return ScenarioSchema.parse(raw);
}

interface RunExampleOptions {
  /** Changes the raw scenario before it is parsed. */
  change?(raw: Record<string, unknown>): void;
  /** Sees every event as it is emitted. */
  onEvent?(event: RunEvent): void;
}

/** Runs one example with `envVars` and returns the run status, the step results and every event as JSON text. */
async function runExample(file: string, envVars: Record<string, string>, options: RunExampleOptions = {}) {
  const events: RunEvent[] = [];
  const redactor = new Redactor();
  // Every reporter listens, as in `sortie run -r cli,json,junit --verbose`: their output is searched for secrets too.
  const out = mkdtempSync(join(tmpdir(), 'sortie-schemes-'));
  let cli = '';
  const reporters = [
    createCliReporter({ write: (text) => (cli += text), verbose: true, redactor }),
    createJsonReporter({ file: join(out, 'report.json'), redactor }),
    createJunitReporter({ file: join(out, 'junit.xml'), redactor }),
  ];
  const result = await runScenarios({
    scenarios: [{ value: loadExample(file, options.change), file, dir: SCHEMES_DIR }],
    envVars,
    redactor,
    onEvent: (event) => {
      events.push(event);
      dispatchEvent(reporters, event);
      options.onEvent?.(event);
    },
  });
  await closeReporters(reporters);
  const [report, junit] = [readFileSync(join(out, 'report.json'), 'utf8'), readFileSync(join(out, 'junit.xml'), 'utf8')];
  const reports = [report, junit];
  rmSync(out, { recursive: true, force: true });
  const steps = events.flatMap((e) => (e.type === 'step:end' ? [e.result] : []));
  if (result.status === 'passed' && options.change === undefined) passedExamples.add(file);
  const why = JSON.stringify(steps.map((s) => [s.name, s.status, s.error?.message, s.assertions.filter((a) => !a.passed)]));
  return { status: result.status, steps, why, cli, report, junit, text: [JSON.stringify(events), cli, ...reports].join('\n') };
}

const expectSchemeGolden = goldenIn(join(SCHEMES_DIR, 'expected'));

/** Values a signer or a verifier makes up on every run (nonces, times, signatures), in headers, URLs and JSON. */
function normaliseScheme(text: string): string {
  return (
    text
      .replace(
        /(?<![A-Za-z_])(oauth_nonce|oauth_timestamp|oauth_signature|oauth_body_hash|X-Amz-Date|X-Amz-Signature|nonce|cnonce|ts|tsm|mac|hash|response|opaque|signature|timestamp)(=|%3D)("[^"]*"|(?:%(?!26)[0-9A-F]{2}|[^\s&",;\\%])+)/gi,
        '$1$2<v>',
      )
      .replace(/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<jwt>')
      // SPNEGO tokens (RFC 4559 §4): a new Kerberos exchange every run.
      .replace(/\b(Negotiate )[A-Za-z0-9+/]{20,}=*/g, '$1<spnego>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
      .replace(/\b1[7-9]\d{8}\b/g, '<epoch>')
      .replace(/\b\d{8}T\d{6}Z\b/g, '<amz-date>')
      .replace(/\/20\d{6}\//g, '/<date>/')
      // The credential scope's date (SigV4), percent-encoded in a presigned URL: changes at midnight UTC.
      .replace(/%2F20\d{6}%2F/g, '%2F<date>%2F')
      .replace(/\b\d{8}T\d\d:\d\d:\d\d\+0000\b/g, '<edgegrid-time>')
  );
}

/** Compares a passing example's output with expected/<example>.{out,report.json,junit.xml}. */
function expectExampleGolden(file: string, run: { cli: string; report: string; junit: string }): void {
  const name = file.replace(/\.json$/, '');
  expectSchemeGolden(`${name}.out`, normaliseScheme(normaliseText(run.cli, 'any')));
  expectSchemeGolden(`${name}.report.json`, normaliseScheme(normaliseReport(run.report, 'any')));
  expectSchemeGolden(`${name}.junit.xml`, normaliseScheme(normaliseJunit(run.junit, 'any')));
}

/** The checks every scheme gets: passes with the right secrets, not with a wrong one, and leaks none. */
async function expectScheme(file: string, envVars: Record<string, string>, secrets: string[], wrong: Record<string, string>) {
  const good = await runExample(file, envVars);
  expect(good.status, good.why).toBe('passed');
  expect(good.steps.length).toBeGreaterThan(0);
  expectExampleGolden(file, good);
  const bad = await runExample(file, { ...envVars, ...wrong });
  expect(['failed', 'error']).toContain(bad.status);
  expect(bad.steps[0]?.status).toMatch(/failed|error/);
  for (const secret of [...secrets, ...Object.values(wrong)]) {
    expect(good.text).not.toContain(secret);
    expect(bad.text).not.toContain(secret);
  }
  return { good, bad };
}

describe('signing and challenge schemes through the engine', () => {
  it('digest: answers the 401 challenge once, then counts the nonce up over the following steps', async () => {
    const password = 'digest-Secret-41';
    const server: DigestVerifierServer = await track(startDigestVerifier({ username: 'alice', password }));
    const { good } = await expectScheme('digest.json', { baseUrl: server.url, DIGEST_PASSWORD: password }, [password], {
      DIGEST_PASSWORD: 'wrong-digest-pw',
    });
    expect(good.steps.map((s) => s.response?.status)).toEqual([200, 200, 200]);
    // One challenge for the first profile (steps 1 and 2 share its nonce), one for the auth-int profile, then the wrong password run's.
    expect(server.challengesIssued).toBeGreaterThanOrEqual(2);
  });

  it('digest: a wrong password is a failed 401 step, like other schemes, with a warning about the credentials', async () => {
    const server = await track(startDigestVerifier({ username: 'alice', password: 'digest-Secret-43' }));
    const warnings: string[] = [];
    const { steps } = await runExample(
      'digest.json',
      { baseUrl: server.url, DIGEST_PASSWORD: 'wrong-digest-pw' },
      {
        onEvent: (event) => {
          if (event.type === 'log' && event.level === 'warn' && event.stepId === '0') warnings.push(event.message);
        },
      },
    );
    expect(steps[0]?.status).toBe('failed');
    expect(steps[0]?.error).toBeUndefined();
    expect(steps[0]?.response?.status).toBe(401);
    expect(steps[0]?.assertions[0]).toMatchObject({ passed: false, actual: 401 });
    expect(warnings).toEqual([
      'the server rejected the credentials of auth profile "digest" (HTTP 401): check the profile\'s username and password',
    ]);
  });

  it('digest: a 401 whose challenges the profile cannot answer (it forces another algorithm) says what the server offers', async () => {
    const password = 'digest-Secret-47';
    const server = await track(startDigestVerifier({ username: 'alice', password, algorithms: ['SHA-256'] }));
    const warnings: string[] = [];
    const { steps } = await runExample(
      'digest.json',
      { baseUrl: server.url, DIGEST_PASSWORD: password },
      {
        change: (raw) => {
          const digest = (raw.auth as { profiles: Record<string, Record<string, unknown>> }).profiles.digest!;
          digest.algorithm = 'MD5';
        },
        onEvent: (event) => {
          if (event.type === 'log' && event.level === 'warn' && event.stepId === '0') warnings.push(event.message);
        },
      },
    );
    expect(steps[0]?.response?.status).toBe(401);
    expect(warnings).toEqual([
      'the server\'s 401 offers only Digest SHA-256, which auth profile "digest" cannot answer: the profile forces algorithm MD5: remove it or use one the server offers',
    ]);
  });

  it('digest: a nonce the server retired (stale=true) is answered without failing the step', async () => {
    const password = 'digest-Secret-42';
    const server = await track(startDigestVerifier({ username: 'alice', password }));
    const { status, why, steps } = await runExample(
      'digest.json',
      { baseUrl: server.url, DIGEST_PASSWORD: password },
      {
        // After step 1 the server retires its nonce: step 2 is answered 401 stale=true and its nonce count starts again.
        change: (raw) => {
          const second = (raw.steps as Array<{ post: unknown[] }>)[1]!;
          second.post = [{ assert: { jsonpath: { path: '$.nc', equals: '00000001' } } }];
        },
        onEvent: (event) => {
          if (event.type === 'step:end' && event.result.name.startsWith('first request')) server.expireNonces();
        },
      },
    );
    expect(status, why).toBe('passed');
    expect(steps[1]?.response?.status).toBe(200);
    expect(server.challengesIssued).toBe(3);
  });

  it('oauth1: HMAC-SHA256 header with a form body, HMAC-SHA1 in the query', async () => {
    const consumerSecret = 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw';
    const tokenSecret = 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE';
    const server = await track(
      startOAuth1Verifier({
        consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
        consumerSecret,
        token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        tokenSecret,
      }),
    );
    await expectScheme(
      'oauth1.json',
      { baseUrl: server.url, OAUTH1_CONSUMER_SECRET: consumerSecret, OAUTH1_TOKEN_SECRET: tokenSecret },
      [consumerSecret, tokenSecret],
      { OAUTH1_TOKEN_SECRET: 'not-the-token-secret' },
    );
  });

  it('hawk: corrects its clock from the 401 of a server ten minutes ahead, with payload hashes', async () => {
    const key = 'werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn';
    const server = await track(startHawkVerifier({ id: 'dh37fgj492je', key, localtimeOffsetMs: 10 * 60_000 }));
    const { good } = await expectScheme('hawk.json', { baseUrl: server.url, HAWK_KEY: key }, [key], { HAWK_KEY: 'not-the-hawk-key' });
    expect(good.steps.every((s) => s.response?.status === 200)).toBe(true);
  });

  it('awsv4: header signing with a session token over query and body, and a presigned URL', async () => {
    const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    const sessionToken = 'FQoGZXIvYXdzEPT//////////wEaDExampleSessionToken';
    const server = await track(
      startAwsV4Verifier({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey, sessionToken, region: 'eu-west-1', service: 'execute-api' }),
    );
    const s3 = await track(startAwsV4Verifier({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey, region: 'eu-west-1', service: 's3' }));
    // The presigned step goes to the s3 verifier (another service, another host), the others to execute-api.
    const vars = { baseUrl: server.url, s3Url: s3.url, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken };
    const { bad } = await expectScheme('awsv4.json', vars, [secretAccessKey, sessionToken], {
      AWS_SECRET_ACCESS_KEY: 'wrongSecretKeyXXXXXXXXXXXXXXXXXXXXXXXXXX',
    });
    // The scenario ends at its first failure: the wrong signature was answered 401.
    expect(bad.steps[0]?.response?.status).toBe(401);
  });

  it('akamaiEdgegrid: signs the headers to sign and the POST body', async () => {
    const clientSecret = 'C113nt53KR3TN6N90yVuAgICxIRwsObLi0E67/N8eRN=';
    const accessToken = 'akab-access-token-xxx-xxxxxxxxxxxxxxxx';
    const server = await track(
      startEdgegridVerifier({
        clientToken: 'akab-client-token-xxx-xxxxxxxxxxxxxxxx',
        clientSecret,
        accessToken,
        headersToSign: ['X-Test1'],
      }),
    );
    await expectScheme(
      'akamai-edgegrid.json',
      { baseUrl: server.url, EDGEGRID_CLIENT_SECRET: clientSecret, EDGEGRID_ACCESS_TOKEN: accessToken },
      [clientSecret, accessToken],
      { EDGEGRID_CLIENT_SECRET: 'Wr0ngS3cr3tWr0ngS3cr3tWr0ngS3cr3t=' },
    );
  });

  it('jwt: HS256 with templated claims in the header and in the query', async () => {
    const secret = 'a-jwt-hmac-secret-of-32-bytes!!!';
    const server = await track(startJwtVerifier({ key: new TextEncoder().encode(secret), algorithms: ['HS256'] }));
    await expectScheme('jwt.json', { baseUrl: server.url, JWT_SECRET: secret }, [secret], {
      JWT_SECRET: 'another-secret-of-32-bytes!!!!!!',
    });
  });
});

describe('profile fields from variables of another type', () => {
  it('hawk: an id and a key that are numbers in the variables sign as their text', async () => {
    const server = await track(startHawkVerifier({ id: '4242', key: '987654321' }));
    const run = await runExample(
      'hawk.json',
      { baseUrl: server.url },
      {
        change: (raw) => {
          raw.variables = { HAWK_ID: 4242, HAWK_KEY: 987654321 };
          const hawk = (raw.auth as { profiles: Record<string, Record<string, unknown>> }).profiles.hawk!;
          Object.assign(hawk, { id: '{{HAWK_ID}}', key: '{{HAWK_KEY}}' });
        },
      },
    );
    expect(run.status, run.why).toBe('passed');
    expect(run.text).not.toContain('987654321');
  });

  it('apiKey: a key that is a number in the variables is sent as its text and redacted in the output', async () => {
    const seen: Array<string | undefined> = [];
    const server = createHttpServer((req, res) => {
      seen.push(req.headers['x-api-key'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ headers: req.headers }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
    const redactor = new Redactor();
    let cli = '';
    const reporters = [createCliReporter({ write: (text) => (cli += text), verbose: true, redactor })];
    try {
      const value = ScenarioSchema.parse({
        name: 'numeric key',
        variables: { API_KEY: 73519046 },
        auth: { profiles: { key: { type: 'apiKey', name: 'X-Api-Key', value: '{{API_KEY}}' } }, use: 'key' },
        steps: [{ name: 'echo', request: { url } }],
      });
      await runScenarios({
        scenarios: [{ value, file: 'key.json', dir: SCHEMES_DIR }],
        redactor,
        onEvent: (e) => dispatchEvent(reporters, e),
      });
      await closeReporters(reporters);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(seen).toEqual(['73519046']);
    expect(cli).toContain('X-Api-Key: [REDACTED]');
    expect(cli).not.toContain('73519046');
  });
});

describe('token schemes of the auth-state manager through the engine', () => {
  it('customToken: logs in once for every step, and a wrong password is an auth error', async () => {
    const password = 'custom-Login-Pw-9';
    const server = await track(startCustomTokenServer({ username: 'alice', password }));
    const { good: first, bad } = await expectScheme('custom-token.json', { baseUrl: server.url, LOGIN_PASSWORD: password }, [password], {
      LOGIN_PASSWORD: 'wrong-login-pw',
    });
    expect(bad.steps[0]?.error?.code).toBe('SORTIE_AUTH_OAUTH_ERROR');
    // One accepted login for the good run (two steps), one refused for the bad run.
    expect(server.tokenRequests).toBe(2);
    expect(server.issued).toHaveLength(1);
    expect(first.text).not.toContain(server.issued[0]);
    const good = await runExample('custom-token.json', { baseUrl: server.url, LOGIN_PASSWORD: password });
    expect(good.text).not.toContain(server.issued[1]);
  });

  it('oauth2 jwt_bearer: one signed assertion for the run, refused when signed with another key', async () => {
    const pem = (key: { export(options: { type: 'pkcs8'; format: 'pem' }): string | Buffer }) =>
      key.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const server = await track(startJwtBearerTokenServer({ publicKey, issuer: 'reporter@sortie-test.iam.gserviceaccount.com' }));
    const vars = { baseUrl: server.url, SERVICE_ACCOUNT_PRIVATE_KEY: pem(privateKey), SERVICE_ACCOUNT_KEY_ID: 'k1' };
    const good = await runExample('oauth2-jwt-bearer.json', vars);
    expect(good.status, good.why).toBe('passed');
    expectExampleGolden('oauth2-jwt-bearer.json', good);
    expect(server.tokenRequests).toBe(1);
    const bad = await runExample('oauth2-jwt-bearer.json', { ...vars, SERVICE_ACCOUNT_PRIVATE_KEY: other });
    expect(bad.status).toBe('error');
    expect(bad.steps[0]?.error?.code).toBe('SORTIE_AUTH_OAUTH_ERROR');
    for (const text of [good.text, bad.text]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(pem(privateKey).split('\n')[1]);
    }
  });
});

describe('oauth2 token_exchange through the engine', () => {
  it('trades the subject token once for the run; a token the service does not know is an auth error that does not show it', async () => {
    const secret = 'gateway-Secret-7';
    const server = await track(
      startTokenExchangeServer({ client: { id: 'api-gateway', secret }, subjects: { 'user-token-of-ada-0123456789': 'ada' } }),
    );
    const vars = { baseUrl: server.url, GATEWAY_CLIENT_SECRET: secret, USER_TOKEN: 'user-token-of-ada-0123456789' };
    const { good, bad } = await expectScheme('oauth2-token-exchange.json', vars, [secret, vars.USER_TOKEN], {
      USER_TOKEN: 'user-token-nobody-knows-0123',
    });
    expect(server.tokenRequests).toBe(2);
    expect(server.forms[0]!.get('subject_token')).toBe(vars.USER_TOKEN);
    expect(good.text).toContain('token obtained for orders (token_exchange)');
    expect(bad.steps[0]?.error?.code).toBe('SORTIE_AUTH_OAUTH_ERROR');
    expect(bad.steps[0]?.error?.message).toContain('unknown subject_token [REDACTED]');
  });
});

describe('NTLM through the engine', () => {
  it('runs negotiate, challenge and authenticate on one connection, for GET and POST', async () => {
    const password = 'Pässword-ntlm-1';
    const server = await track(startNtlmVerifier({ username: 'alice', password }));
    const { good } = await expectScheme('ntlm.json', { baseUrl: server.url, NTLM_PASSWORD: password }, [password], {
      NTLM_PASSWORD: 'wrong-ntlm-pw',
    });
    expect(good.steps.map((s) => s.response?.status)).toEqual([200, 200]);
  });
});

// Negotiate needs the MIT KDC programs and the kerberos native module (see fixtures/test/auth-verifiers-negotiate.test.ts).
const kerberosMissing = findKerberosProblem();
if (kerberosMissing !== undefined) {
  if (process.env.CI) throw new Error(`Negotiate scenarios cannot run: ${kerberosMissing}`);
  console.warn(`Negotiate scenarios skipped: ${kerberosMissing}`);
}

function findKerberosProblem(): string | undefined {
  if (!existsSync('/usr/sbin/krb5kdc') || !existsSync('/usr/sbin/kdb5_util'))
    return 'the MIT KDC (Debian krb5-kdc, krb5-admin-server) is not installed';
  try {
    createRequire(join(import.meta.dirname, '../../../fixtures/package.json'))('kerberos');
  } catch {
    return 'the optional "kerberos" module is not built (install libkrb5-dev, then pnpm install)';
  }
  return undefined;
}

describe.skipIf(kerberosMissing !== undefined)('Negotiate through the engine (local MIT KDC)', () => {
  let realm: KerberosRealm | undefined;
  const saved = { KRB5_CONFIG: process.env.KRB5_CONFIG, KRB5CCNAME: process.env.KRB5CCNAME, KRB5_KTNAME: process.env.KRB5_KTNAME };
  afterAll(async () => {
    await realm?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('sends a service ticket from the credential cache; a ticket for an unknown service is an auth error', async () => {
    realm = await startKerberosRealm();
    Object.assign(process.env, realm.env);
    const server = await track(startNegotiateVerifier());
    const vars = { baseUrl: server.url };
    const good = await runExample('negotiate.json', vars);
    expect(good.status, good.why).toBe('passed');
    expectExampleGolden('negotiate.json', good);
    const bad = await runExample('negotiate.json', vars, {
      change: (raw) => {
        const auth = raw.auth as { profiles: { kerberos: Record<string, unknown> } };
        auth.profiles.kerberos.servicePrincipal = 'HTTP@unknown.host';
      },
    });
    expect(bad.status).toBe('error');
    expect(bad.steps[0]?.error?.code).toBe('SORTIE_AUTH');
  });
});

/** Each scheme page, the schemas whose fields its "Fields" section lists, and fields left out on purpose. */
const DOC_PAGES: Array<{ page: string; shapes: Array<Record<string, unknown>>; untested?: string[] }> = [
  { page: 'digest.md', shapes: [DigestProfileSchema.unwrap().shape] },
  { page: 'oauth1.md', shapes: [OAuth1ProfileSchema.unwrap().shape] },
  { page: 'hawk.md', shapes: [HawkProfileSchema.unwrap().shape] },
  { page: 'awsv4.md', shapes: [AwsV4ProfileSchema.unwrap().shape] },
  { page: 'akamai-edgegrid.md', shapes: [AkamaiEdgegridProfileSchema.unwrap().shape] },
  { page: 'jwt.md', shapes: [JwtProfileSchema.unwrap().shape] },
  { page: 'ntlm.md', shapes: [NtlmProfileSchema.unwrap().shape] },
  // delegate (GSS_C_DELEG_FLAG) has no test with a KDC that checks delegation, so its page leaves it out.
  { page: 'negotiate.md', shapes: [NegotiateProfileSchema.unwrap().shape], untested: ['delegate'] },
  { page: 'custom-token.md', shapes: [CustomTokenAuthSchema.unwrap().shape, CustomTokenRequestSchema.unwrap().shape] },
  { page: 'oauth2-jwt-bearer.md', shapes: [JwtBearerAssertionSchema.unwrap().shape] },
];

describe('the scheme docs and their examples', () => {
  it.each(DOC_PAGES)('$page lists exactly the fields of its schema', ({ page, shapes, untested = [] }) => {
    const text = readFileSync(join(DOCS_DIR, page), 'utf8');
    const section = text.slice(text.indexOf('## Fields'), text.indexOf('## Example'));
    const documented = new Set([...section.matchAll(/^\| `(\w+)` +\|/gm)].map((m) => m[1]!));
    const fields = new Set(shapes.flatMap((shape) => Object.keys(shape)).filter((f) => !untested.includes(f)));
    expect([...documented].sort()).toEqual([...fields].sort());
  });

  it('every example of fixtures/scenarios/schemes has a page and passed in this file', () => {
    const examples = readdirSync(SCHEMES_DIR).filter((f) => f.endsWith('.json'));
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(exists(join(DOCS_DIR, example.replace('.json', '.md')))).toBe(true);
    const expected = examples.filter((f) => kerberosMissing === undefined || f !== 'negotiate.json');
    expect([...passedExamples].sort()).toEqual(expected.sort());
  });
});
