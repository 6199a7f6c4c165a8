/**
 * An openIdConnect scheme whose discovery document does not list `scopes_supported` (it is only
 * RECOMMENDED, OpenID Connect Discovery 1.0 §3): the profile had no scope, so the sign-in was a
 * plain OAuth 2.0 request, no OpenID Connect one (Core 1.0 §3.1.2.1: scope MUST contain openid).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sortie-oidc-scope-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ISSUER = 'https://id.example.com';
const SPEC = `openapi: 3.0.3
info: {title: Me, version: "1"}
servers: [{url: "https://api.example.com"}]
security: [{oidc: [openid]}]
components:
  securitySchemes:
    oidc: {type: openIdConnect, openIdConnectUrl: "${ISSUER}/.well-known/openid-configuration"}
paths:
  /me: {get: {operationId: me, responses: {"200": {description: ok}}}}
`;

describe('sortie import openapi: an OpenID Connect profile asks for the openid scope', () => {
  it.each([
    ['without scopes_supported', {}],
    ['with scopes_supported', { scopes_supported: ['openid', 'profile'] }],
  ])('%s', async (_label, extra) => {
    const spec = join(dir, 'me.yaml');
    writeFileSync(spec, SPEC);
    const discovery = {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      ...extra,
    };
    const result = await importOpenApi(spec, { outDir: join(dir, 'out'), cwd: dir, fetchJson: async () => discovery });
    const environment = result.files.find((file) => file.kind === 'environment')?.value as {
      auth: { profiles: Record<string, Record<string, unknown>> };
    };
    expect(environment.auth.profiles.oidc).toMatchObject({ grant: 'authorization_code', scope: 'openid' });
  });
});
