/**
 * A captured request with an API-key header next to the Authorization header (a Bearer token, or
 * curl's -u): the key's header became a profile, the Authorization profile replaced it as the step's
 * auth, and the imported step was sent without the key (the API answered 401). The key now stays a
 * header of the step whose value is a secret; the imported scenario runs against a real server
 * that requires both credentials.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const API_KEY = 'two-cred-key-77a1';
const TOKEN = 'two-cred-token-3b90';
const PASSWORD = 'two-cred-pw-c4e2';
let api: ListeningServer;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  api = await startServer((request, response) => {
    const basic = `Basic ${Buffer.from(`ann:${PASSWORD}`).toString('base64')}`;
    const authorized = request.headers.authorization === `Bearer ${TOKEN}` || request.headers.authorization === basic;
    const ok = authorized && request.headers['x-api-key'] === API_KEY;
    response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  });
  dir = await mkdtemp(join(tmpdir(), 'sortie-import-two-credentials-'));
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sortie import: an API-key header next to the Authorization header', { timeout: 60_000 }, () => {
  it.each([
    ['bearer', `-H 'Authorization: Bearer ${TOKEN}'`, { BEARER_TOKEN: TOKEN }],
    ['basic', `-u ann:${PASSWORD}`, { BASIC_USERNAME: 'ann', BASIC_PASSWORD: PASSWORD }],
  ])('sends both (%s): the key is a secret header of the step', async (name, credential, env) => {
    const command = `curl -H 'X-API-Key: ${API_KEY}' ${credential} ${api.url}/account`;
    const imported = await runSortie(['import', 'curl', command, '--out', name], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const scenario = await readFile(join(dir, name, 'scenarios', 'curl.yaml'), 'utf8');
    const environment = await readFile(join(dir, name, 'environments', 'default.yaml'), 'utf8');
    expect(scenario).toContain('X-API-Key: "{{X_API_KEY}}"');
    expect(scenario).toContain(`auth: ${name}`);
    for (const secret of [API_KEY, TOKEN, PASSWORD]) expect(scenario + environment).not.toContain(secret);
    // A profile for the key would be unused: only the Authorization profile is written.
    expect(environment).not.toContain('type: apiKey');

    const run = await runSortie(['run', 'scenarios', '--no-color'], { cwd: join(dir, name), env: { X_API_KEY: API_KEY, ...env } });
    expect(run.stdout).toContain('→ 200');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const secret of [API_KEY, TOKEN, PASSWORD]) expect(run.stdout + run.stderr).not.toContain(secret);
  });
});
