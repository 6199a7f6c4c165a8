/**
 * `sortie auth login` loads its environment the way `sortie run` does: by name from the project's
 * environments folder, secrets from `.env`, errors with line and column. Signs in against a real
 * OpenID provider (fixtures/src/oauth).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCode, type SortieError } from '@sortie/core';
import { completeInteractions, OIDC_CLIENT_SECRET, type OidcServer, startOidcServer } from '@sortie/fixtures/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authLoginCommand, parseAuthArgs } from '../src/commands/auth.js';

const TOKEN_KEY = 'auth-login-config-key-31c7';
let server: OidcServer;
let project: string;

function write(path: string, content: unknown): void {
  const file = join(project, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

function terminal(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    terminal: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), env, cwd: project },
    output: () => out.join(''),
    errors: () => err.join(''),
  };
}

beforeAll(async () => {
  server = await startOidcServer({ accessTokenTtl: 60 });
  project = mkdtempSync(join(tmpdir(), 'sortie-auth-config-'));
  write('sortie.config.json', { defaultEnvironment: 'dev' });
  write('environments/dev.json', {
    variables: { issuer: server.url },
    secrets: ['WEB_CLIENT_SECRET'],
    auth: {
      profiles: {
        web: {
          type: 'oauth2',
          grant: 'authorization_code',
          authUrl: '{{issuer}}/auth',
          tokenUrl: '{{issuer}}/token',
          clientId: 'web-client',
          clientSecret: '{{WEB_CLIENT_SECRET}}',
          scope: 'openid',
        },
      },
    },
  });
  write('environments/broken.json', '{\n  "variables": { "issuer": "x" },\n  "auth": "none"\n}\n');
  write('.env', `WEB_CLIENT_SECRET=${OIDC_CLIENT_SECRET}\n`);
}, 60_000);
afterAll(async () => {
  await server.close();
  rmSync(project, { recursive: true, force: true });
});

describe('sortie auth login and the project loader', () => {
  it('signs in with the project default environment and the client secret from .env', async () => {
    const cache = join(project, 'tokens.json');
    const { terminal: t, output, errors } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY, SORTIE_TOKEN_CACHE: cache });
    const login = authLoginCommand(parseAuthArgs(['auth', 'login', 'web', '--no-browser']), t);
    await expect.poll(errors, { timeout: 10_000 }).toContain('Open this URL in a browser to sign in:');
    const url = /https?:\/\/\S+/.exec(errors())![0];
    await fetch(await completeInteractions(url));
    expect(await login).toBe(0);
    expect(output()).toMatch(/✓ web: signed in \(authorization_code\)/);
    expect(output() + errors()).not.toContain(OIDC_CLIENT_SECRET);
  }, 60_000);

  it('reports an invalid environment, named with -e, at its line and column', async () => {
    const { terminal: t } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY });
    const error: SortieError = await authLoginCommand(parseAuthArgs(['auth', 'login', 'web', '-e', 'broken']), t).then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: SortieError) => e,
    );
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.details.map((d) => [d.location?.file, d.location?.line, d.location?.column, d.location?.path])).toEqual([
      [expect.stringMatching(/environments\/broken\.json$/), 3, 11, '$.auth'],
    ]);
  });

  it('reports a wrong profile of --file at its line and column', async () => {
    write(
      'profiles.json',
      '{\n  "auth": {\n    "profiles": {\n      "pw": { "type": "oauth2", "grant": "password", "clientId": "c", "scope": 5 }\n    }\n  }\n}\n',
    );
    write(
      'profiles-missing.json',
      '{\n  "auth": {\n    "profiles": {\n      "pw": { "type": "oauth2", "grant": "password", "clientId": "c" }\n    }\n  }\n}\n',
    );
    const { terminal: t } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY });
    const error: SortieError = await authLoginCommand(parseAuthArgs(['auth', 'login', 'pw', '-f', 'profiles.json']), t).then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: SortieError) => e,
    );
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toBe('profile "pw" of profiles.json has 1 problem');
    expect(error.details.map((d) => [d.location?.file, d.location?.line, d.location?.column, d.location?.path, d.message])).toEqual([
      ['profiles.json', 4, 80, '$.auth.profiles.pw.scope', 'expected a string, got 5'],
    ]);
  });

  it('reports the fields a grant needs that a profile of --file lacks, at the profile', async () => {
    const { terminal: t } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY });
    const error: SortieError = await authLoginCommand(parseAuthArgs(['auth', 'login', 'pw', '-f', 'profiles-missing.json']), t).then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: SortieError) => e,
    );
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.details.map((d) => [d.location?.line, d.location?.path, d.message])).toEqual([
      [4, '$.auth.profiles.pw.tokenUrl', '"tokenUrl" is required for the password grant'],
      [4, '$.auth.profiles.pw.username', '"username" is required for the password grant'],
      [4, '$.auth.profiles.pw.password', '"password" is required for the password grant'],
    ]);
  });

  it('says a signing scheme has nothing to log in, as for bearer, not that its type is unknown', async () => {
    write('digest.json', { auth: { profiles: { d: { type: 'digest', username: 'u', password: 'digest-pw-5e1' } } } });
    const { terminal: t } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY });
    await expect(authLoginCommand(parseAuthArgs(['auth', 'login', 'd', '-f', 'digest.json']), t)).rejects.toMatchObject({
      title: 'Nothing to log in',
      message: 'profile "d": the profile is of type digest, which has no token to obtain',
    });
  });

  it('renders a profile of --file with the variables of that file, without -e', async () => {
    // An environment file of its own, outside the project's environments folder, given only with -f.
    write('standalone/env.json', {
      variables: { base: server.url, client: 'cc-client' },
      auth: {
        profiles: {
          api: {
            type: 'oauth2',
            grant: 'client_credentials',
            tokenUrl: '{{base}}/token',
            clientId: '{{client}}',
            clientSecret: '{{CC_SECRET}}',
          },
        },
      },
    });
    const cache = join(project, 'tokens-file-vars.json');
    const { terminal: t, output, errors } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY, SORTIE_TOKEN_CACHE: cache });
    const args = parseAuthArgs(['auth', 'login', 'api', '-f', 'standalone/env.json', '--env-var', `CC_SECRET=${OIDC_CLIENT_SECRET}`]);
    expect(await authLoginCommand(args, t)).toBe(0);
    expect(output()).toMatch(/✓ api: signed in \(client_credentials\)/);
    expect(output() + errors()).not.toContain(OIDC_CLIENT_SECRET);
  });

  it('lets --env-var override a variable of --file', async () => {
    write('standalone/wrong-base.json', {
      variables: { base: 'http://127.0.0.1:9/nowhere' },
      auth: {
        profiles: {
          api: {
            type: 'oauth2',
            grant: 'client_credentials',
            tokenUrl: '{{base}}/token',
            clientId: 'cc-client',
            clientSecret: '{{CC_SECRET}}',
          },
        },
      },
    });
    const cache = join(project, 'tokens-file-vars-2.json');
    const { terminal: t, output } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY, SORTIE_TOKEN_CACHE: cache });
    const args = parseAuthArgs([
      'auth',
      'login',
      'api',
      '-f',
      'standalone/wrong-base.json',
      '--env-var',
      `base=${server.url}`,
      '--env-var',
      `CC_SECRET=${OIDC_CLIENT_SECRET}`,
    ]);
    expect(await authLoginCommand(args, t)).toBe(0);
    expect(output()).toMatch(/✓ api: signed in \(client_credentials\)/);
  });

  it('names the environments of the project for an unknown name', async () => {
    const { terminal: t } = terminal({ SORTIE_TOKEN_KEY: TOKEN_KEY });
    await expect(authLoginCommand(parseAuthArgs(['auth', 'login', 'web', '-e', 'prod']), t)).rejects.toMatchObject({
      code: ErrorCode.USAGE,
      hint: 'environments found: broken, dev',
    });
  });
});
