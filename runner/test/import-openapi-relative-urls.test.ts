/**
 * `sortie import openapi` with OAuth 2.0 flows whose URLs are relative (`tokenUrl: /oauth/token`), as
 * OpenAPI allows (3.1.0 §4.4, 3.0.3 §4.6: resolved against the server URL, RFC 3986 §5.2). The profile
 * kept `/oauth/token` and every run failed with "Invalid URL"; the URLs are now absolute, and the
 * imported scenario runs against a real server that issues the token and checks it. With a relative
 * server URL there is nothing to resolve against: the URL is kept and the notes say to set it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLIENT_SECRET = 'rel-url-client-secret-91c4';
const ACCESS_TOKEN = 'rel-url-access-token-5e07';
let api: ListeningServer;
let dir: string;
const seen: string[] = [];

function spec(server: string): string {
  return `openapi: 3.0.3
info: { title: Relative URLs, version: 1.0.0 }
servers:
  - url: ${server}
security:
  - oauth: [read]
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      responses:
        '200':
          description: the things
          content:
            application/json:
              schema: { type: array, items: { type: string } }
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          refreshUrl: refresh
          scopes: { read: read things }
`;
}

beforeAll(async () => {
  ensureBuilt();
  api = await startServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    seen.push(`${request.method} ${request.url}`);
    if (request.method === 'POST' && request.url === '/oauth/token') {
      const basic = Buffer.from(`app:${CLIENT_SECRET}`).toString('base64');
      const ok = request.headers.authorization === `Basic ${basic}` && new URLSearchParams(body).get('grant_type') === 'client_credentials';
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(ok ? { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300 } : { error: 'invalid_client' }),
      );
      return;
    }
    if (request.method === 'GET' && request.url === '/v1/things' && request.headers.authorization === `Bearer ${ACCESS_TOKEN}`) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('["a","b"]');
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-import-relative-'));
  await writeFile(join(dir, 'api.yaml'), spec(`${api.url}/v1`));
  await writeFile(join(dir, 'relative-server.yaml'), spec('/v1'));
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import openapi: relative OAuth 2.0 URLs', { timeout: 60_000 }, () => {
  it('resolves them against the server URL, and the imported scenario gets its token', async () => {
    const imported = await runSortie(['import', 'openapi', 'api.yaml', '--out', 'out'], { cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const environment = await readFile(join(dir, 'out', 'environments', 'default.yaml'), 'utf8');
    // RFC 3986 §5.2: "/oauth/token" replaces the path, "refresh" the last segment of /v1.
    expect(environment).toContain(`tokenUrl: ${api.url}/oauth/token`);
    expect(environment).toContain(`refreshUrl: ${api.url}/refresh`);

    const run = await runSortie(['run', 'scenarios', '--no-color'], {
      cwd: join(dir, 'out'),
      env: { OAUTH_CLIENT_ID: 'app', OAUTH_CLIENT_SECRET: CLIENT_SECRET },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(seen).toEqual(['POST /oauth/token', 'GET /v1/things']);
    for (const secret of [CLIENT_SECRET, ACCESS_TOKEN]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('resolves them against the stand-in the service got, with a note, when the server URL is relative too', async () => {
    const imported = await runSortie(['import', 'openapi', 'relative-server.yaml', '--out', 'out-relative'], { cwd: dir });
    // Before: the profile kept "/oauth/token", which the environment schema refuses (an endpoint is an
    // absolute URL): the import failed, exit 1, with the schema's raw JSON.
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      'security scheme oauth: clientCredentials.tokenUrl "/oauth/token" is relative and the server URL is not absolute: it is written as http://localhost/oauth/token; set the profile\'s URL by hand',
    );
    const environment = await readFile(join(dir, 'out-relative', 'environments', 'default.yaml'), 'utf8');
    // Resolved against the stand-in the service got (http://localhost/v1), RFC 3986 §5.2.
    expect(environment).toContain('baseUrl: http://localhost/v1');
    expect(environment).toContain('tokenUrl: http://localhost/oauth/token');
    expect(environment).toContain('refreshUrl: http://localhost/refresh');
    // The written project is valid as it is.
    const validated = await runSortie(['validate', 'scenarios'], { cwd: join(dir, 'out-relative') });
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
  });
});
