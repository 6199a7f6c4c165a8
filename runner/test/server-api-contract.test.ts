/**
 * The server's HTTP API against its OpenAPI description (docs/server-api.openapi.yaml): Sortie runs
 * its own scenario (runner/test/server-api/contract.yaml) over every operation of a real `sortie
 * server`, with a real `sortie agent` and a redis-server of the test's own, and checks each response
 * with the `openapi` contract assertion (options.contract). The description must also name every
 * /api route the server registers, and nothing else.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSourceText } from '@sortie/config';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, ROOT, runSortie, startCli } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

const DESCRIPTION = join(ROOT, 'docs', 'server-api.openapi.yaml');
const SCENARIO_DIR = join(ROOT, 'runner', 'test', 'server-api');

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let serverUrl: string;
const tokens: Record<'READ_TOKEN' | 'SUBMIT_TOKEN' | 'ADMIN_TOKEN', string> = { READ_TOKEN: '', SUBMIT_TOKEN: '', ADMIN_TOKEN: '' };
const processes: ChildProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  api = await startFixtureServer();
  work = await mkdtemp(join(tmpdir(), 'sortie-server-contract-'));
  const dataDir = join(work, 'data');
  for (const [name, scope] of [
    ['READ_TOKEN', 'read'],
    ['SUBMIT_TOKEN', 'submit'],
    ['ADMIN_TOKEN', 'admin'],
  ] as const) {
    const created = await runSortie(['server', 'token', 'create', '--scope', scope, '--data-dir', dataDir]);
    expect(created.code, created.stderr).toBe(0);
    tokens[name] = created.stdout.trim();
  }
  const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/);
  processes.push(server.child);
  serverUrl = server.match[1] as string;
  const agent = await startCli(['agent', '--redis', redis.url, '--name', 'contract-agent'], /waiting for runs/, { cwd: work });
  processes.push(agent.child);
  // The plan the scenario uploads: one request to the fixture API ({{base}}, given with the run's options).
  const plan = join(work, 'plan');
  await mkdir(join(plan, 'scenarios'), { recursive: true });
  const scenario = {
    name: 'echo',
    steps: [{ name: 'echo', request: { url: '{{base}}/echo' }, post: [{ assert: { status: { equals: 200 } } }] }],
  };
  await writeFile(join(plan, 'scenarios', 'echo.json'), JSON.stringify(scenario));
  await writeFile(join(plan, 'sortie-bundle.json'), JSON.stringify({ version: 1, files: ['scenarios/echo.json'], scripts: [] }));
  execFileSync('tar', ['-czf', join(work, 'plan.tar.gz'), '-C', plan, '.']);
}, 120_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await api?.close();
  await redis?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

interface ReportStep {
  name: string;
  kind: string;
  status: string;
  assertions?: { selector: string; operator: string; passed: boolean; source: string; message?: string }[];
  steps?: ReportStep[];
}

/** Every request step of the JSON report, containers' children included. */
function requestSteps(steps: ReportStep[]): ReportStep[] {
  return steps.flatMap((step) => [...(step.kind === 'request' ? [step] : []), ...requestSteps(step.steps ?? [])]);
}

describe('the server HTTP API and its OpenAPI description', { timeout: 120_000 }, () => {
  it('answers every operation as docs/server-api.openapi.yaml describes it (Sortie contract assertions on a real server)', async () => {
    const out = join(work, 'out');
    const outcome = await runSortie(
      [
        'run',
        'contract.yaml',
        '--env-var',
        `server=${serverUrl}`,
        '--env-var',
        `bundle=${join(work, 'plan.tar.gz')}`,
        '--env-var',
        `api=${api.url}`,
        '-r',
        'cli,json',
        '--out-dir',
        out,
      ],
      { cwd: SCENARIO_DIR, env: tokens },
    );
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0);
    const text = await readFile(join(out, 'report.json'), 'utf8');
    for (const token of Object.values(tokens)) expect(text).not.toContain(token);
    const report = JSON.parse(text) as { scenarios: { steps: ReportStep[] }[] };
    const steps = requestSteps(report.scenarios[0]?.steps ?? []);
    // Every request was checked against the description and kept it, by the operation its method and path name.
    const checked = steps.map((step) => step.assertions?.find((assertion) => assertion.source === 'contract'));
    expect(checked.every((assertion) => assertion?.operator === 'contract' && assertion.passed)).toBe(true);
    const operations = new Set(checked.map((assertion) => assertion?.selector.replace(/^openapi /, '')));
    const described = await describedOperations();
    expect([...described.keys()].filter((id) => !operations.has(id))).toEqual([]);
  });

  it('describes exactly the /api routes the server registers', async () => {
    const source = await readFile(join(ROOT, 'packages', 'server', 'src', 'app.ts'), 'utf8');
    const registered = [...source.matchAll(/\bapp\.(get|post|put|patch|delete)\(\s*'(\/api\/[^']*)'/g)].map(
      ([, method, path]) => `${method?.toUpperCase()} ${path?.replace(/:(\w+)/g, '{$1}')}`,
    );
    expect(registered.length).toBeGreaterThan(10);
    expect([...(await describedOperations()).values()].sort()).toEqual(registered.sort());
  });

  it("names the server's default port (8787) where it says what the default is", async () => {
    const source = await readFile(join(ROOT, 'runner', 'src', 'commands', 'server.ts'), 'utf8');
    const port = /values\.port === undefined \? (\d+)/.exec(source)?.[1];
    expect(port).toBe('8787');
    const { data } = parseSourceText(await readFile(DESCRIPTION, 'utf8'), DESCRIPTION);
    const [first] = (data as { servers: { url: string; description: string }[] }).servers;
    expect(first?.url).toBe(`http://127.0.0.1:${port}`);
    expect(first?.description).toContain(`the default port, ${port}`);
  });
});

/** The description's operations: operationId → `METHOD /path`. */
async function describedOperations(): Promise<Map<string, string>> {
  const { data } = parseSourceText(await readFile(DESCRIPTION, 'utf8'), DESCRIPTION);
  const operations = new Map<string, string>();
  for (const [path, item] of Object.entries((data as { paths: Record<string, Record<string, { operationId?: string }>> }).paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation === 'object' && operation !== null && typeof operation.operationId === 'string') {
        operations.set(operation.operationId, `${method.toUpperCase()} ${path}`);
      }
    }
  }
  return operations;
}
