/**
 * A secret value never travels (docs/agents.md, security model): `sortie run --remote` refuses
 * `--env-var` of a secret the plan declares and `--global-var` of a global typed secret, and the
 * server refuses the same in the run options of any other client (the API, a script, a schedule):
 * it took them, kept the value in the run history, the job on Redis and every answer about the run.
 */
import { join } from 'node:path';
import { goldenIn } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawTarGz } from './hostile-tar.js';
import { startTestServer, type TestServer } from './test-server.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden', 'api'));
const VALUE = 'hunter2-secret-value';

let running: TestServer;
const tokens = { read: '', submit: '', admin: '' };
let planId: string;

const bundle = () =>
  rawTarGz([
    { name: 'sortie-bundle.json', data: JSON.stringify({ version: 1, files: ['a.json'] }) },
    { name: 'a.json', data: '{}' },
  ]);

async function call(method: string, path: string, scope: keyof typeof tokens, body?: unknown): Promise<{ status: number; text: string }> {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${tokens[scope]}` } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const response = await fetch(`${running.server.url}${path}`, init);
  return { status: response.status, text: await response.text() };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  data.append('bundle', new Blob([bundle()]), 'plan.tgz');
  return data;
}

beforeAll(async () => {
  // The plan declares API_KEY a secret of its project or environment (loadPlan's `secrets`: names only).
  running = await startTestServer({ loadPlan: async () => ({ secrets: ['API_KEY'] }) });
  for (const scope of ['read', 'submit', 'admin'] as const) tokens[scope] = await running.token(scope);
  const stored = await call('POST', '/api/plans', 'submit', form({}));
  planId = (JSON.parse(stored.text) as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await running?.close();
});

describe('secret values in run options', { timeout: 60_000 }, () => {
  it('refuses a declared secret in envVars and a secret global in globals, from every route, and stores nothing', async () => {
    const envVars = { envVars: { base: 'http://api', API_KEY: VALUE } };
    const globals = { globals: { TOKEN: VALUE, plain: 'x' }, globalSecrets: ['TOKEN'] };
    const answers = [
      ['run (JSON), envVars', await call('POST', '/api/runs', 'submit', { planId, pool: 'nobody', options: envVars })],
      ['run (JSON), globals', await call('POST', '/api/runs', 'submit', { planId, pool: 'nobody', options: globals })],
      ['run (multipart)', await call('POST', '/api/runs', 'submit', form({ pool: 'nobody', options: JSON.stringify(envVars) }))],
      ['schedule (JSON)', await call('POST', '/api/schedules', 'admin', { name: 'n', planId, every: 60_000, options: envVars })],
      [
        'schedule (multipart)',
        await call('POST', '/api/schedules', 'admin', form({ name: 'n', every: '60000', options: JSON.stringify(globals) })),
      ],
    ] as const;
    const lines: string[] = [];
    for (const [label, answer] of answers) {
      expect(answer.status, `${label}: ${answer.text}`).toBe(400);
      expect(answer.text, label).not.toContain(VALUE);
      lines.push(`${label}\n  ${answer.status} ${answer.text}`);
    }
    expectGolden('secret-options.txt', `${lines.join('\n')}\n`);
    expect(JSON.parse((await call('GET', '/api/runs', 'read')).text)).toEqual({ runs: [], total: 0 });
    expect(JSON.parse((await call('GET', '/api/schedules', 'read')).text)).toEqual({ schedules: [] });
  });

  it('still takes variables that are not secrets, and a secret global given by name only', async () => {
    const options = { envVars: { base: 'http://api', api_key: 'not the secret' }, globals: { plain: 'x' }, globalSecrets: ['TOKEN'] };
    const run = await call('POST', '/api/runs', 'submit', { planId, pool: 'nobody', options });
    expect(run.status, run.text).toBe(201);
    expect(JSON.parse(run.text).options).toEqual(options);
  });
});
