/**
 * OAuth 2.0 end to end through the real CLI against a real authorization server (oidc-provider):
 * the token is obtained once and shared, "none" turns auth off, and no secret — client secret or
 * access token — appears in any output or report of any reporter.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '@sortie/fixtures/oauth';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let oidc: OidcServer;
let out: string;
beforeAll(async () => {
  ensureBuilt();
  oidc = await startOidcServer();
  out = mkdtempSync(join(tmpdir(), 'sortie-auth-'));
});
afterAll(async () => {
  await oidc.close();
  rmSync(out, { recursive: true, force: true });
});

describe('OAuth 2.0 client credentials in a scenario', () => {
  it('obtains one token for the whole run, and nothing secret reaches any output', async () => {
    const result = await runSortie([
      'run',
      'fixtures/scenarios/auth/client-credentials.json',
      '-e',
      'fixtures/environments/oauth.json',
      '--env-var',
      `issuer=${oidc.url}`,
      '--env-var',
      `CLIENT_SECRET=${OIDC_CLIENT_SECRET}`,
      '-r',
      'cli,json,junit',
      '--out-dir',
      out,
      '--verbose',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(oidc.tokenRequests).toBe(1);
    expect(oidc.acceptedTokens).toHaveLength(1);

    const outputs = [result.stdout, result.stderr, ...readdirSync(out).map((file) => readFileSync(join(out, file), 'utf8'))];
    const secrets = [OIDC_CLIENT_SECRET, ...oidc.acceptedTokens, Buffer.from(`cc-client:${OIDC_CLIENT_SECRET}`).toString('base64')];
    for (const secret of secrets) {
      for (const output of outputs) expect(output.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`).toBe(false);
    }
    expect(result.stdout).toContain('[REDACTED]');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.auth).toEqual([
      expect.objectContaining({ profile: 'api', grant: 'client_credentials', obtained: 1, refreshed: 0, failed: 0, reused: 1 }),
    ]);
  });

  it('refuses a profile declared nowhere (no environment) before anything runs: invalid input, at the name', async () => {
    const result = await runSortie(['run', 'fixtures/scenarios/auth/client-credentials.json', '--env-var', `issuer=${oidc.url}`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/client-credentials\.json:\d+:\d+ +\$\.auth\.use\n +auth profile "api" is not declared/);
  });
});
