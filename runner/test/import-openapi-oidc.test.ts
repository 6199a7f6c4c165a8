/**
 * `sortie import openapi` with an `openIdConnect` security scheme, against the repository's real
 * OpenID Connect provider (oidc-provider, fixtures/src/oauth): the discovery document is read at
 * import time and gives the auth profile (golden); the imported scenario then runs after one
 * `sortie auth login`, its token really obtained from the provider. A discovery document that cannot
 * be read, is not one, or names another issuer is an error at the scheme's openIdConnectUrl, exit 2 (goldens).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { completeInteractions, OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '@sortie/fixtures/oauth';
import { ensureBuilt, goldenIn, normaliseText, ROOT, runSortie, startSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden', 'import-oidc'));
const TOKEN_KEY = 'import-oidc-token-key-5d1e8b';
let oidc: OidcServer;
let api: FixtureServer;
let dir: string;
let impostor: HttpServer;

/** A description of the provider's own protected resource, signed in through OpenID Connect. */
function spec(discoveryUrl: string, server: string): string {
  return `openapi: 3.0.3
info: { title: Who am I, version: 1.0.0 }
servers:
  - url: ${server}
security:
  - oidc: [openid]
paths:
  /api/me:
    get:
      operationId: getMe
      tags: [me]
      responses:
        '200':
          description: whom the token was issued to
          content:
            application/json:
              schema: { type: object }
        '401':
          description: no valid token
components:
  securitySchemes:
    oidc:
      type: openIdConnect
      openIdConnectUrl: ${discoveryUrl}
`;
}

/** A port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Ports and the temporary folder vary from run to run. */
const normalise = (text: string) => normaliseText(text.replaceAll(dir, 'DIR'), 'any');

beforeAll(async () => {
  ensureBuilt();
  oidc = await startOidcServer();
  api = await startFixtureServer();
  dir = await mkdtemp(join(tmpdir(), 'sortie-import-oidc-'));
  await writeFile(join(dir, 'whoami.yaml'), spec(`${oidc.url}/.well-known/openid-configuration`, oidc.url));
  // Unreachable: a port nothing listens on any more. Not a discovery document: a JSON object without its fields.
  await writeFile(join(dir, 'unreachable.yaml'), spec(`http://127.0.0.1:${await closedPort()}/.well-known/openid-configuration`, oidc.url));
  await writeFile(join(dir, 'not-discovery.yaml'), spec(`${api.url}/echo`, oidc.url));
  // A copy of the provider's document served from another origin: its issuer is not where it was read (Discovery §4.3).
  const document = await (await fetch(`${oidc.url}/.well-known/openid-configuration`)).text();
  impostor = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(document));
  await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
  const impostorUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
  await writeFile(join(dir, 'wrong-issuer.yaml'), spec(`${impostorUrl}/.well-known/openid-configuration`, oidc.url));
}, 60_000);

afterAll(async () => {
  await oidc?.close();
  await api?.close();
  impostor?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import openapi: OpenID Connect through discovery', { timeout: 60_000 }, () => {
  it('writes the auth profile the discovery document describes, and the imported scenario runs with a real token', async () => {
    const imported = await runSortie(['import', 'openapi', 'whoami.yaml', '--out', 'out'], { cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    golden('import.out', normalise(imported.stdout));
    const environment = await readFile(join(dir, 'out', 'environments', 'default.yaml'), 'utf8');
    expect(environment).toContain(`tokenUrl: ${oidc.tokenUrl}`);
    golden('default.yaml', normalise(environment));

    // The user sets the secrets the import listed, signs in once, then runs from the token cache.
    const env = {
      OIDC_CLIENT_ID: 'web-client',
      OIDC_CLIENT_SECRET,
      SORTIE_TOKEN_KEY: TOKEN_KEY,
      SORTIE_TOKEN_CACHE: join(dir, 'tokens.json'),
    };
    const out = join(dir, 'out');
    const beforeLogin = oidc.tokenRequests;
    const login = startSortie(['auth', 'login', 'oidc', '--no-browser'], { cwd: out, env });
    await expect.poll(login.stderr, { timeout: 20_000 }).toMatch(/https?:\/\/\S+/);
    await fetch(await completeInteractions(/https?:\/\/\S+/.exec(login.stderr())?.[0] as string));
    const signedIn = await login.done;
    expect(signedIn.code, signedIn.stderr).toBe(0);
    expect(signedIn.stdout).toContain('✓ oidc: signed in (authorization_code)');
    expect(oidc.tokenRequests - beforeLogin).toBe(1);

    const accepted = oidc.acceptedTokens.length;
    const run = await runSortie(['run', 'scenarios', '--token-cache', '--no-color'], { cwd: out, env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // The provider's resource accepted the token the sign-in obtained: the request really carried it.
    expect(oidc.acceptedTokens.length).toBeGreaterThan(accepted);
    expect(run.stdout).toContain('PASSED');
    for (const secret of [OIDC_CLIENT_SECRET, ...oidc.acceptedTokens]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it.each(['unreachable', 'not-discovery', 'wrong-issuer'])('refuses a %s discovery document at the scheme, exit 2', async (name) => {
    const outcome = await runSortie(['import', 'openapi', `${name}.yaml`, '--out', `out-${name}`], { cwd: dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    golden(`${name}.err`, normalise(outcome.stderr));
  });
});
