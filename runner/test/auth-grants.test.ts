/**
 * The runnable example of every OAuth 2.0 grant page in docs/auth: each scenario of fixtures/scenarios/auth runs
 * through the built CLI (`sortie run`, and `sortie auth login` where a person signs in once) against the fixture
 * authorization servers, with secrets from the process environment. Each test checks the exit code, how many token
 * requests the server saw, and that no secret or token appears in stdout, stderr or any report (cli, json, junit).
 * The output of each scenario (stdout, stderr, report.json, junit.xml) is compared with fixtures/scenarios/auth/expected/,
 * and the output of `sortie auth login/status/logout` with runner/test/golden/auth-*; ports, times and the values a
 * server makes up (user codes, the token cache path) are normalised.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  completeInteractions,
  type OAuthPlayground,
  obtainAuthorizationCodeTokens,
  obtainPasswordTokens,
  PASSWORD_CLIENT_SECRET,
  startOAuthPlayground,
} from '@sortie/fixtures/oauth';
import {
  type CliOutcome,
  ensureBuilt,
  goldenIn,
  normaliseJunit,
  normaliseReport,
  normaliseText,
  ROOT,
  runSortie,
  startSortie,
} from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN_KEY = 'auth-grants-test-token-key-6e1d0b';

let playground: OAuthPlayground;
let tmp: string;
let runs = 0;

beforeAll(async () => {
  ensureBuilt();
  playground = await startOAuthPlayground();
  tmp = mkdtempSync(join(tmpdir(), 'sortie-grants-'));
});

afterAll(async () => {
  await playground.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface ScenarioRun extends CliOutcome {
  /** stdout, stderr and every report file. */
  outputs: string[];
  /** Report file name → text. */
  reports: Record<string, string>;
}

const expectAuthGolden = goldenIn(join(ROOT, 'fixtures', 'scenarios', 'auth', 'expected'));
const expectCliGolden = goldenIn(join(ROOT, 'runner', 'test', 'golden'));

/** Compares a scenario run with expected/<name>.{out,err,report.json,junit.xml}. */
function expectRunGolden(run: ScenarioRun, name: string): void {
  const hideTmp = (text: string | undefined) => (text ?? '').replaceAll(tmp, '<tmp>');
  expectAuthGolden(`${name}.out`, normaliseText(hideTmp(run.stdout), 'any'));
  expectAuthGolden(`${name}.err`, normaliseText(hideTmp(run.stderr), 'any'));
  expectAuthGolden(`${name}.report.json`, normaliseReport(hideTmp(run.reports['report.json']), 'any'));
  expectAuthGolden(`${name}.junit.xml`, normaliseJunit(hideTmp(run.reports['junit.xml']), 'any'));
}

/** `sortie auth` output made comparable: loopback ports, the temporary cache path, times and device user codes. */
function normaliseAuthOutput(text: string, cacheFile?: string): string {
  const withoutPath = cacheFile === undefined ? text : text.replaceAll(cacheFile, '<token cache>');
  return normaliseText(withoutPath, 'any')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/(enter the code |user_code=)[^\s&]+/g, '$1<code>')
    .replace(/\b(state|nonce|code_challenge)=[^\s&]+/g, '$1=<random>');
}

/** `--env-var` for every server URL the environments use. */
function envVarArgs(): string[] {
  return Object.entries(playground.envVars).flatMap(([name, value]) => ['--env-var', `${name}=${value}`]);
}

/** A token cache file of its own, and no key unless the test gives one. */
function createCacheEnv(key = ''): { SORTIE_TOKEN_KEY: string; SORTIE_TOKEN_CACHE: string } {
  return { SORTIE_TOKEN_KEY: key, SORTIE_TOKEN_CACHE: join(tmp, `tokens-${++runs}.json`) };
}

/** Runs fixtures/scenarios/auth/<scenario>.json with fixtures/environments/<environment>.json and every reporter. */
async function runScenario(scenario: string, environment: string, env: Record<string, string>, extra: string[] = []): Promise<ScenarioRun> {
  const out = join(tmp, `reports-${++runs}`);
  const result = await runSortie(
    [
      'run',
      `fixtures/scenarios/auth/${scenario}.json`,
      '-e',
      `fixtures/environments/${environment}.json`,
      ...envVarArgs(),
      '-r',
      'cli,json,junit',
      '--out-dir',
      out,
      '--verbose',
      ...extra,
    ],
    { env: { SORTIE_TOKEN_KEY: '', SORTIE_TOKEN_CACHE: join(tmp, 'unused-tokens.json'), ...env } },
  );
  const reports = Object.fromEntries(readdirSync(out).map((file) => [file, readFileSync(join(out, file), 'utf8')]));
  return { ...result, reports, outputs: [result.stdout, result.stderr, ...Object.values(reports)] };
}

function expectNoSecret(outputs: readonly string[], secrets: readonly string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    for (const output of outputs) expect(output.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`).toBe(false);
  }
}

function encodeBasic(clientId: string, secret: string): string {
  return Buffer.from(`${clientId}:${secret}`).toString('base64');
}

/** `sortie auth login <profile> -e fixtures/environments/<environment>.json --no-browser`, the user played by `act`. */
async function login(profile: string, environment: string, env: Record<string, string>, act: (prompt: string) => Promise<void>) {
  const cli = startSortie(['auth', 'login', profile, '-e', `fixtures/environments/${environment}.json`, ...envVarArgs(), '--no-browser'], {
    env,
  });
  await expect.poll(cli.stderr, { timeout: 10_000 }).toMatch(/https?:\/\/\S+/);
  await act(cli.stderr());
  const result = await cli.done;
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toContain(`✓ ${profile}: signed in`);
  return result;
}

describe('client_credentials', () => {
  it('obtains one token for the whole run from a client secret in the process environment', async () => {
    const before = playground.oidc.tokenRequests;
    const run = await runScenario('client-credentials', 'oauth-client-credentials', {
      OIDC_CLIENT_SECRET: playground.secrets.OIDC_CLIENT_SECRET,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(playground.oidc.tokenRequests - before).toBe(1);
    expect(run.stdout).toContain('* token obtained for api (client_credentials)');
    expect(run.stdout).toContain('> Authorization: [REDACTED]');
    expectRunGolden(run, 'client-credentials');
    const secret = playground.secrets.OIDC_CLIENT_SECRET;
    expectNoSecret(run.outputs, [secret, encodeBasic('cc-client', secret), ...playground.oidc.acceptedTokens]);
  });
});

describe('password', () => {
  it('sends the user name and password once, and every step uses the token', async () => {
    const grants = { ...playground.password.grants };
    const { PASSWORD_CLIENT_SECRET, PASSWORD_USER_PASSWORD } = playground.secrets;
    const run = await runScenario('password', 'oauth-password', { PASSWORD_CLIENT_SECRET, PASSWORD_USER_PASSWORD });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect((playground.password.grants.password ?? 0) - (grants.password ?? 0)).toBe(1);
    expect(playground.password.grants.refresh_token ?? 0).toBe(grants.refresh_token ?? 0);
    expectRunGolden(run, 'password');
    expectNoSecret(run.outputs, [
      PASSWORD_CLIENT_SECRET,
      PASSWORD_USER_PASSWORD,
      encodeBasic('password-client', PASSWORD_CLIENT_SECRET),
      ...playground.password.issuedTokens,
    ]);
  });
});

describe('refresh_token', () => {
  it('starts from a refresh token in a secret: one refresh request, and the rotated token is never shown', async () => {
    const { refreshToken } = await obtainPasswordTokens(playground.password);
    const before = playground.password.grants.refresh_token ?? 0;
    const run = await runScenario('refresh-token', 'oauth-refresh-token', { PASSWORD_CLIENT_SECRET, PASSWORD_REFRESH_TOKEN: refreshToken });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect((playground.password.grants.refresh_token ?? 0) - before).toBe(1);
    expect(run.stdout).toContain('* token refreshed for ada-refresh (refresh_token)');
    expectRunGolden(run, 'refresh-token');
    expectNoSecret(run.outputs, [PASSWORD_CLIENT_SECRET, refreshToken, ...playground.password.issuedTokens]);
  });

  it('fails with invalid_grant when the secret holds a refresh token the server already rotated away', async () => {
    const { refreshToken } = await obtainPasswordTokens(playground.password);
    const env = { PASSWORD_CLIENT_SECRET, PASSWORD_REFRESH_TOKEN: refreshToken };
    expect((await runScenario('refresh-token', 'oauth-refresh-token', env)).code).toBe(0);
    const before = playground.password.grants.refresh_token ?? 0;
    const again = await runScenario('refresh-token', 'oauth-refresh-token', env);
    expect(again.code).toBe(1);
    expect((playground.password.grants.refresh_token ?? 0) - before).toBe(1);
    expect(again.stdout).toContain('Login required: profile "ada-refresh": the refresh token was rejected (invalid_grant)');
    expectRunGolden(again, 'refresh-token-rotated-away');
    expectNoSecret(again.outputs, [PASSWORD_CLIENT_SECRET, refreshToken, ...playground.password.issuedTokens]);
  });

  it('with --token-cache the next run starts from the cached tokens, not from the stale secret', async () => {
    const { refreshToken } = await obtainPasswordTokens(playground.password);
    const env = { PASSWORD_CLIENT_SECRET, PASSWORD_REFRESH_TOKEN: refreshToken, ...createCacheEnv(TOKEN_KEY) };
    const first = await runScenario('refresh-token', 'oauth-refresh-token', env, ['--token-cache']);
    expect(first.code, first.stdout).toBe(0);
    const before = playground.password.grants.refresh_token ?? 0;
    const second = await runScenario('refresh-token', 'oauth-refresh-token', env, ['--token-cache']);
    expect(second.code, second.stdout).toBe(0);
    expect((playground.password.grants.refresh_token ?? 0) - before).toBe(0);
    expect(second.stdout).toContain('* token reused for ada-refresh (refresh_token)');
    expectRunGolden(second, 'refresh-token-from-cache');
    const cacheFile = readFileSync(env.SORTIE_TOKEN_CACHE, 'utf8');
    expectNoSecret([...second.outputs, cacheFile], [PASSWORD_CLIENT_SECRET, TOKEN_KEY, ...playground.password.issuedTokens]);
  });
});

describe('authorization_code', () => {
  it('runs headless from a refresh token in a secret; a token revoked early is refreshed on the 401 and the request resent once', async () => {
    const { refreshToken } = await obtainAuthorizationCodeTokens(playground.oidc);
    const { OIDC_CLIENT_SECRET } = playground.secrets;
    const before = { tokens: playground.oidc.tokenRequests, rejected: playground.oidc.rejected };
    const run = await runScenario('authorization-code', 'oauth-authorization-code', {
      OIDC_CLIENT_SECRET,
      OIDC_REFRESH_TOKEN: refreshToken,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // One refresh to start (there is no access token yet), one after the 401.
    expect(playground.oidc.tokenRequests - before.tokens).toBe(2);
    expect(playground.oidc.rejected - before.rejected).toBe(1);
    expect(run.stdout.match(/\* token refreshed for web \(authorization_code\)/g)).toHaveLength(2);
    expectRunGolden(run, 'authorization-code');
    expectNoSecret(run.outputs, [
      OIDC_CLIENT_SECRET,
      encodeBasic('web-client', OIDC_CLIENT_SECRET),
      refreshToken,
      ...playground.oidc.acceptedTokens,
    ]);
  });

  it('signs in once with `sortie auth login` (loopback redirect), then runs from the encrypted token cache', async () => {
    const { OIDC_CLIENT_SECRET } = playground.secrets;
    const env = { OIDC_CLIENT_SECRET, ...createCacheEnv(TOKEN_KEY) };
    const beforeLogin = playground.oidc.tokenRequests;
    const signedIn = await login('web', 'oauth-authorization-code-login', env, async (prompt) => {
      expect(prompt).toContain('Open this URL in a browser to sign in:');
      const url = /https?:\/\/\S+/.exec(prompt)![0];
      // The browser logs in and follows the redirect to the CLI's loopback port.
      await fetch(await completeInteractions(url));
    });
    expect(playground.oidc.tokenRequests - beforeLogin).toBe(1);
    const before = playground.oidc.tokenRequests;
    const run = await runScenario('authorization-code', 'oauth-authorization-code-login', env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // The cached access token serves the first request; the 401 after the revocation costs one refresh.
    expect(playground.oidc.tokenRequests - before).toBe(1);
    expect(run.stdout).toContain('* token reused for web (authorization_code)');
    expectRunGolden(run, 'authorization-code-after-login');
    expectCliGolden('auth-login-web.out', normaliseAuthOutput(signedIn.stdout, env.SORTIE_TOKEN_CACHE));
    expectCliGolden('auth-login-web.err', normaliseAuthOutput(signedIn.stderr, env.SORTIE_TOKEN_CACHE));
    const cacheFile = readFileSync(env.SORTIE_TOKEN_CACHE, 'utf8');
    expectNoSecret(
      [...run.outputs, signedIn.stdout, signedIn.stderr, cacheFile],
      [OIDC_CLIENT_SECRET, TOKEN_KEY, ...playground.oidc.acceptedTokens],
    );
  });
});

describe('device_code', () => {
  it('shows the user code at `sortie auth login`; runs then use, refresh and rotate the cached tokens', async () => {
    const env = createCacheEnv(TOKEN_KEY);
    const signedIn = await login('tv', 'oauth-device-code', env, async (prompt) => {
      const [, uri, code] = /open (\S+) and enter the code (\S+)/.exec(prompt)!;
      // The user types the code on another device.
      await completeInteractions(`${uri}?user_code=${encodeURIComponent(code!)}`);
    });
    expect(signedIn.stdout).toContain('(device_code)');
    expectCliGolden('auth-login-tv.out', normaliseAuthOutput(signedIn.stdout, env.SORTIE_TOKEN_CACHE));
    expectCliGolden('auth-login-tv.err', normaliseAuthOutput(signedIn.stderr, env.SORTIE_TOKEN_CACHE));
    for (const attempt of [1, 2]) {
      const before = { tokens: playground.oidc.tokenRequests, rejected: playground.oidc.rejected };
      const run = await runScenario('device-code', 'oauth-device-code', env);
      expect(run.code, `run ${attempt}: ${run.stdout}`).toBe(0);
      expectRunGolden(run, `device-code-run-${attempt}`);
      // The revoked token costs one refresh; the second run can only pass if the first stored the rotated refresh token.
      expect(playground.oidc.tokenRequests - before.tokens).toBe(1);
      expect(playground.oidc.rejected - before.rejected).toBe(1);
      expectNoSecret([...run.outputs, signedIn.stdout, signedIn.stderr], [TOKEN_KEY, ...playground.oidc.acceptedTokens]);
    }
    // `sortie auth status` lists the cached sign-in without any value; `logout` removes it.
    const status = await runSortie(['auth', 'status'], { env });
    expect(status.code, status.stderr).toBe(0);
    expectCliGolden('auth-status.out', normaliseAuthOutput(status.stdout, env.SORTIE_TOKEN_CACHE));
    const logout = await runSortie(['auth', 'logout', 'tv'], { env });
    expect(logout.code, logout.stderr).toBe(0);
    expectCliGolden('auth-logout.out', normaliseAuthOutput(logout.stdout, env.SORTIE_TOKEN_CACHE));
    const empty = await runSortie(['auth', 'status'], { env });
    expectCliGolden('auth-status-empty.out', normaliseAuthOutput(empty.stdout, env.SORTIE_TOKEN_CACHE));
    expectNoSecret([status.stdout, status.stderr, logout.stdout, empty.stdout], [TOKEN_KEY, ...playground.oidc.acceptedTokens]);
  }, 30_000);

  it('without SORTIE_TOKEN_KEY the run cannot use the sign-in, says why, and asks for `sortie auth login`', async () => {
    const before = playground.oidc.tokenRequests;
    const run = await runScenario('device-code', 'oauth-device-code', createCacheEnv(''));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('token cache disabled: SORTIE_TOKEN_KEY is not set');
    expect(run.stdout).toContain('Login required: profile "tv": the device_code grant needs a person and there is no token');
    expectRunGolden(run, 'device-code-without-token-key');
    expect(playground.oidc.tokenRequests).toBe(before);
  });
});

describe('implicit (legacy)', () => {
  it('signs in once through the loopback page that posts the fragment back, then runs from the token cache', async () => {
    const env = createCacheEnv(TOKEN_KEY);
    const signedIn = await login('legacy', 'oauth-implicit', env, async (prompt) => {
      const url = /https?:\/\/\S+/.exec(prompt)![0];
      expect(new URL(url).searchParams.get('response_type')).toBe('token');
      // What a browser does: the fragment stays in the browser, and the callback page's script posts it back.
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
      const [page, fragment] = location.split('#');
      expect(await (await fetch(page!)).text()).toContain('location.hash');
      await fetch(`${page}?sortie_fragment=1`, { method: 'POST', body: fragment });
    });
    expect(playground.implicit.authorizations).toBe(1);
    const run = await runScenario('implicit', 'oauth-implicit', env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(playground.implicit.authorizations).toBe(1);
    expect(run.stdout).toContain('* token reused for legacy (implicit)');
    expectRunGolden(run, 'implicit');
    expectNoSecret([...run.outputs, signedIn.stdout, signedIn.stderr], [TOKEN_KEY, ...playground.implicit.issuedTokens]);
  });
});

describe('expiredBodyPattern', () => {
  it('treats a 200 whose body says "token expired" as a rejection: a new token, the request resent once', async () => {
    const { OIDC_CLIENT_SECRET } = playground.secrets;
    const before = { tokens: playground.oidc.tokenRequests, rejected: playground.oidc.rejected };
    const run = await runScenario('expired-body-pattern', 'oauth-client-credentials', { OIDC_CLIENT_SECRET });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // client_credentials has no refresh token: the grant runs again.
    expect(playground.oidc.tokenRequests - before.tokens).toBe(2);
    expect(playground.oidc.rejected - before.rejected).toBe(1);
    expect(run.stdout.match(/\* token obtained for soft \(client_credentials\)/g)).toHaveLength(2);
    expectRunGolden(run, 'expired-body-pattern');
    expectNoSecret(run.outputs, [OIDC_CLIENT_SECRET, encodeBasic('cc-client', OIDC_CLIENT_SECRET), ...playground.oidc.acceptedTokens]);
  });
});
