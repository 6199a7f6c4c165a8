/**
 * Auth state shared across agents, as a team deploys it: `sortie server` and three `sortie agent`s
 * with the same SORTIE_TOKEN_KEY, separate processes of the built CLI on a redis-server of the
 * test's own; 20 runs submitted with `sortie run --remote` against one client-credentials profile
 * make exactly one token request, and Redis never holds the token in clear.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT, runSortie, startCli } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, readAllOfRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

const CLIENT_ID = 'shared-client';
/** The client secret: only the agents have it. */
const CLIENT_SECRET = 'Cl13nt s3cr3t+/=&';
/** The one token the endpoint issues (it counts requests, so a second one would differ). */
const tokenOf = (n: number) => `shared-access-token-${n}-9fK2xQ`;
const RUNS = 20;

let redis: OwnRedis;
let api: Server;
let apiUrl: string;
let work: string;
let project: string;
let serverUrl: string;
const tokens = { submit: '', read: '' };
const processes: ChildProcess[] = [];
/** Token requests that presented the right client credentials; anything else is counted apart. */
const tokenRequests = { valid: 0, refused: 0 };

/**
 * The API under test and its token endpoint (RFC 6749 §4.4): `POST /token` checks the client's
 * Basic credentials and answers slowly, so the agents' first runs all ask at once; `GET /me` takes
 * only the issued token.
 */
async function startApi(): Promise<void> {
  api = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'POST' && request.url === '/token') {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        const [id, secret] = readBasicCredentials(request.headers.authorization);
        if (id !== CLIENT_ID || secret !== CLIENT_SECRET || new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
          tokenRequests.refused++;
          json(401, { error: 'invalid_client' });
          return;
        }
        tokenRequests.valid++;
        const n = tokenRequests.valid;
        setTimeout(() => json(200, { access_token: tokenOf(n), token_type: 'Bearer', expires_in: 600 }), 300);
      });
      return;
    }
    if (request.method === 'GET' && request.url === '/me') {
      if (request.headers.authorization === `Bearer ${tokenOf(1)}`) json(200, { client: CLIENT_ID });
      else json(401, { error: 'invalid_token' });
      return;
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
}

/** The client id and secret of an `Authorization: Basic` header, each form-urlencoded (RFC 6749 §2.3.1). */
function readBasicCredentials(header: string | undefined): [string?, string?] {
  const match = /^Basic (\S+)$/.exec(header ?? '');
  if (match === null) return [];
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const form = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return colon < 0 ? [] : [form(decoded.slice(0, colon)), form(decoded.slice(colon + 1))];
}

/** Starts a long-running CLI command (stopped in afterAll) once its stderr matches `ready`. */
async function startService(args: string[], ready: RegExp, env: Record<string, string> = {}, cwd = ROOT): Promise<RegExpMatchArray> {
  const service = await startCli(args, ready, { env, cwd });
  processes.push(service.child);
  return service.match;
}

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  await startApi();
  work = await mkdtemp(join(tmpdir(), 'sortie-shared-auth-'));
  project = join(work, 'project');
  await mkdir(project, { recursive: true });
  await writeFile(
    join(project, 'env.json'),
    JSON.stringify({
      secrets: ['CLIENT_SECRET'],
      variables: { base: apiUrl },
      auth: {
        use: 'api',
        profiles: {
          api: {
            type: 'oauth2',
            grant: 'client_credentials',
            tokenUrl: '{{base}}/token',
            clientId: CLIENT_ID,
            clientSecret: '{{CLIENT_SECRET}}',
          },
        },
      },
    }),
  );
  await writeFile(
    join(project, 'me.json'),
    JSON.stringify({
      name: 'who am I',
      steps: [{ name: 'me', request: { method: 'GET', url: '{{base}}/me' }, post: [{ assert: { status: { equals: 200 } } }] }],
    }),
  );
  const dataDir = join(work, 'server-data');
  for (const scope of ['submit', 'read'] as const) {
    const created = await runSortie(['server', 'token', 'create', '--scope', scope, '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    tokens[scope] = created.stdout.trim();
  }
  const server = await startService(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/);
  serverUrl = server[1] as string;
  // The agents share SORTIE_TOKEN_KEY and hold the client secret; the submitting folder has neither.
  await Promise.all(
    ['agent-1', 'agent-2', 'agent-3'].map((name) =>
      startService(
        ['agent', '--redis', redis.url, '--name', name, '--concurrency', '2'],
        /waiting for runs .*tokens shared through Redis/,
        { CLIENT_SECRET, SORTIE_TOKEN_KEY: 'team-token-key-for-the-test' },
        work,
      ),
    ),
  );
}, 120_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await new Promise((resolve) => api?.close(resolve));
  await redis?.close();
  await rm(work, { recursive: true, force: true });
});

describe('auth state shared across agents', { timeout: 180_000 }, () => {
  it(`${RUNS} runs over 3 agents against one client-credentials profile make exactly one token request`, async () => {
    const outcomes: Array<{ code: number; stdout: string; stderr: string }> = [];
    // Submitted 5 at a time: each submission is a CLI process of its own on a small machine.
    for (let batch = 0; batch < RUNS; batch += 5) {
      outcomes.push(
        ...(await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            runSortie(
              [
                'run',
                '--remote',
                serverUrl,
                '--token',
                tokens.submit,
                'me.json',
                '-e',
                'env.json',
                '-r',
                'cli,json',
                '--out-dir',
                `out-${batch + i}`,
              ],
              { cwd: project },
            ),
          ),
        )),
      );
    }
    expect(outcomes.map((o) => (o.code === 0 ? 0 : `${o.code}: ${o.stdout} ${o.stderr}`))).toEqual(Array(RUNS).fill(0));
    expect(tokenRequests).toEqual({ valid: 1, refused: 0 });

    const response = await fetch(`${serverUrl}/api/runs?limit=500`, { headers: { authorization: `Bearer ${tokens.read}` } });
    const { runs } = (await response.json()) as { runs: Array<{ agent?: string; status: string }> };
    expect(runs.filter((r) => r.status === 'passed')).toHaveLength(RUNS);
    expect(new Set(runs.map((r) => r.agent))).toEqual(new Set(['agent-1', 'agent-2', 'agent-3']));

    // One run obtained the token; every other run took it from the shared store (reported as reused).
    const activity = { obtained: 0, refreshed: 0, reused: 0, failed: 0 };
    for (let i = 0; i < RUNS; i++) {
      const text = await readFile(join(project, `out-${i}`, 'report.json'), 'utf8');
      expect(text).not.toContain(tokenOf(1));
      const report = JSON.parse(text) as { auth?: Array<typeof activity> };
      for (const entry of report.auth ?? [])
        for (const action of Object.keys(activity) as Array<keyof typeof activity>) activity[action] += entry[action];
    }
    expect(activity.obtained).toBe(1);
    expect(activity.refreshed + activity.failed).toBe(0);
    expect(activity.reused).toBeGreaterThanOrEqual(RUNS - 1);
  });

  it('keeps the token and the client secret out of every Redis key and value', async () => {
    const client = new Redis(redis.url);
    try {
      const forms = [tokenOf(1), CLIENT_SECRET].flatMap((value) => [
        value,
        encodeURIComponent(value),
        Buffer.from(value).toString('base64'),
        Buffer.from(value).toString('base64url'),
        Buffer.from(value).toString('hex'),
      ]);
      const entries = await readAllOfRedis(client);
      expect(entries.filter(({ key }) => key.startsWith('sortie:auth:token:'))).toHaveLength(1);
      for (const { key, text } of entries) {
        for (const form of forms) expect(text, `${key} holds a secret`).not.toContain(form);
      }
    } finally {
      client.disconnect();
    }
  });
});
