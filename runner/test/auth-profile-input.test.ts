/**
 * Auth profiles that are wrong whatever the variables are invalid input, found by `validate` and by
 * `run` before anything is sent (exit 2, at the place in the file): a scenario, group or request naming
 * a profile declared nowhere (it used to pass `validate`, then every request using it was an error of
 * the run, exit 1, located at the request's URL), a literal endpoint that is not an absolute http(s) URL
 * and a literal API key header name no header can have (both also exit 1 at the first request). A
 * profile declared in the environment or the project file may be named; a templated endpoint is
 * checked once rendered. Golden: runner/test/golden/auth-profile-input.err.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, type ListeningServer, normaliseText, ROOT, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden'));
let work: string;
let server: ListeningServer;
let received = 0;

const FILES: Record<string, string> = {
  'undeclared-request.yaml': `name: undeclared at a request
auth:
  profiles:
    api: { type: bearer, token: "{{TOKEN}}" }
steps:
  - request: { url: "{{base}}/a", auth: apj }
  - group:
      auth: nowhere
      steps:
        - request: { url: "{{base}}/b" }
`,
  'undeclared-use.yaml': `name: undeclared default
auth: { use: admin }
teardown:
  - request: { url: "{{base}}/c", auth: none }
steps:
  - request: { url: "{{base}}/d" }
`,
  'from-environment.yaml': `name: declared in the environment
steps:
  - request: { url: "{{base}}/e", auth: admin }
`,
  'env.yaml': `variables: { TOKEN: t }
auth:
  profiles:
    admin: { type: bearer, token: "{{TOKEN}}" }
    login:
      type: oauth2
      grant: client_credentials
      tokenUrl: "{{base}}/token"
      clientId: c
`,
  'bad-env.yaml': `auth:
  profiles:
    admin:
      type: oauth2
      grant: client_credentials
      tokenUrl: auth.example.com/token
      clientId: c
`,
  'literal-values.yaml': `name: literal values no request could use
auth:
  use: key
  profiles:
    key: { type: apiKey, name: "X Api Key", value: k }
    query: { type: apiKey, name: "api key", value: k, in: query }
    login: { type: oauth2, grant: authorization_code, authUrl: "https://a.example/authorize", tokenUrl: "ftp://a.example/token", clientId: c }
    custom: { type: customToken, request: { url: /login }, tokenPath: $.token }
steps:
  - request: { url: "{{base}}/f" }
`,
};

beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-auth-input-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(work, name), text);
  server = await startServer((_request, response) => {
    received += 1;
    response.end('{}');
  });
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

const sortie = (args: string[]) => runSortie(args[0] === 'run' ? [...args, '--env-var', `base=${server.url}`] : args, { cwd: work });

describe('auth profiles wrong whatever the variables', () => {
  it('validate and run refuse them (exit 2) at their place, before any request', async () => {
    const cases = [
      ['validate', 'undeclared-request.yaml'],
      ['run', 'undeclared-request.yaml'],
      ['run', 'undeclared-use.yaml'],
      ['run', 'from-environment.yaml'],
      ['run', 'from-environment.yaml', '-e', 'bad-env.yaml'],
      ['validate', 'literal-values.yaml'],
      ['run', 'literal-values.yaml'],
    ];
    const results = [];
    for (const args of cases) results.push(await sortie(args));
    for (const result of results) expect(result.code, result.stderr).toBe(2);
    expect(received).toBe(0);
    golden(
      'auth-profile-input.err',
      normaliseText(results.map((result, index) => `$ sortie ${cases[index]?.join(' ')}\n${result.stderr}`).join('---\n')),
    );
  });

  it('a profile of the environment may be named; a templated endpoint is checked once rendered', async () => {
    const result = await sortie(['run', 'from-environment.yaml', '-e', 'env.yaml']);
    expect(result.code, result.stderr).toBe(0);
    expect(received).toBe(1);
    const valid = await sortie(['validate', 'from-environment.yaml', '-e', 'env.yaml']);
    expect(valid.code, valid.stderr).toBe(0);
  });
});
