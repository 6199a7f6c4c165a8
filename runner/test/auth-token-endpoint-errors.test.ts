/**
 * Token endpoint failures through the built CLI and Sortie's own HTTP client (not a stand-in): what the step's
 * error says, in the CLI output and the JSON report, about an endpoint that cannot be reached.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sortie-auth-endpoint-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an unreachable token endpoint', () => {
  it('is named by origin and path only: the query of the token request reaches no output', async () => {
    const port = await closedPort();
    const scenario = join(dir, 'down.json');
    writeFileSync(
      scenario,
      JSON.stringify(
        {
          name: 'token endpoint down',
          auth: {
            profiles: {
              api: {
                type: 'oauth2',
                grant: 'client_credentials',
                tokenUrl: `http://127.0.0.1:${port}/token?tenant=tenant-key-31337`,
                clientId: 'cid',
                clientSecret: 'client-secret-0001',
                params: { token: [{ name: 'sig', value: 'query-signature-42', in: 'query' }] },
              },
            },
            use: 'api',
          },
          steps: [{ name: 'call', request: { url: `http://127.0.0.1:${port}/api` } }],
        },
        null,
        2,
      ), // one line per field: the code frame under the error shows the step's url, not the profile
    );
    const result = await runSortie(['run', scenario, '-r', 'cli,json', '--out-dir', dir, '--verbose']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain(
      `Authorization server unreachable: profile "api": token request (client_credentials) to http://127.0.0.1:${port}/token failed`,
    );
    const report = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(report).toContain('SORTIE_AUTH_UNREACHABLE');
    for (const output of [result.stdout, result.stderr, report]) {
      expect(output).not.toContain('tenant-key-31337');
      expect(output).not.toContain('query-signature-42');
    }
  });
});
