/**
 * Runner agents end to end, as a team deploys them: `sortie server` and two `sortie agent`s as
 * separate processes of the built CLI on a redis-server of the test's own, `sortie run --remote`
 * submitting from another folder, the fixture API as the API under test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { CLI, ensureBuilt, ROOT, runSortie, type ServiceCli, startCli } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, readAllOfRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

/** The agents' secret: it must never reach Redis, the server or a report, in any encoding. */
const SECRET = 'Ag3nt s3cr3t+/=&"é';

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let project: string;
let serverUrl: string;
const tokens = { submit: '', read: '' };
const processes: ChildProcess[] = [];

/** Starts a long-running CLI command (stopped in afterAll) once its stderr matches `ready`. */
async function startService(args: string[], ready: RegExp, env: Record<string, string> = {}, cwd = ROOT): Promise<ServiceCli> {
  const service = await startCli(args, ready, { env, cwd });
  processes.push(service.child);
  return service;
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${serverUrl}${path}`, { headers: { authorization: `Bearer ${tokens.read}` } });
  return (await response.json()) as T;
}

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  api = await startFixtureServer();
  work = await mkdtemp(join(tmpdir(), 'sortie-agents-'));
  project = join(work, 'project');
  await mkdir(join(project, 'scenarios'), { recursive: true });
  await writeFile(join(project, 'sortie.config.json'), JSON.stringify({ secrets: ['API_KEY'] }));
  const step = (status: number) => ({
    name: 'send the key',
    request: { method: 'POST', url: '{{base}}/echo', headers: { 'X-Api-Key': '{{API_KEY}}' }, body: { form: { key: '{{API_KEY}}' } } },
    post: [{ assert: { status: { equals: status } } }, { assert: { jsonpath: { path: '$.headers["x-api-key"]', exists: true } } }],
  });
  await writeFile(join(project, 'scenarios', 'ok.json'), JSON.stringify({ name: 'ok', steps: [step(200)] }));
  await writeFile(join(project, 'scenarios', 'fails.json'), JSON.stringify({ name: 'fails', steps: [step(201)] }));
  await writeFile(join(project, 'broken.json'), '{ "name": "broken", "steps": [ { "request": { "method": "GET" } ] }');
  const dataDir = join(work, 'server-data');
  for (const scope of ['submit', 'read'] as const) {
    const created = await runSortie(['server', 'token', 'create', '--scope', scope, '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    tokens[scope] = created.stdout.trim();
  }
  const server = await startService(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/);
  serverUrl = server.match[1] as string;
  // Agents run where the secret is: their own environment. The submitting folder has none.
  for (const name of ['agent-a', 'agent-b']) {
    await startService(
      ['agent', '--redis', redis.url, '--name', name, '--lock-duration', '2000'],
      /waiting for runs/,
      { API_KEY: SECRET },
      work,
    );
  }
}, 120_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await api?.close();
  await redis?.close();
  await rm(work, { recursive: true, force: true });
});

const remote = (args: string[]) =>
  runSortie(['run', '--remote', serverUrl, '--token', tokens.submit, ...args, '--env-var', `base=${api.url}`], { cwd: project });

describe('sortie agent, sortie server and sortie run --remote', { timeout: 120_000 }, () => {
  it('exits 0 for a passing remote run, prints its steps and downloads its reports', async () => {
    const outcome = await remote(['scenarios/ok.json', '-r', 'cli,json,junit', '--out-dir', join(work, 'out-ok')]);
    expect(outcome.stderr).toMatch(/^Run \S+ queued on pool default/m);
    expect(outcome.stdout).toContain('✓ send the key');
    expect(outcome.stdout).toContain('PASSED');
    expect(outcome.code).toBe(0);
    const report = JSON.parse(await readFile(join(work, 'out-ok', 'report.json'), 'utf8')) as { summary?: unknown; status?: string };
    expect(JSON.stringify(report)).toContain('send the key');
    expect(await readFile(join(work, 'out-ok', 'junit.xml'), 'utf8')).toContain('<testsuites');
  });

  it('downloads the HTML report an agent made: -r html to --out-dir, --report-html to its own file', async () => {
    const outcome = await remote(['scenarios/ok.json', '-r', 'html', '--out-dir', join(work, 'out-html')]);
    expect(outcome.code).toBe(0);
    const page = await readFile(join(work, 'out-html', 'report.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('send the key');
    expect(page).not.toContain(SECRET);
    const file = join(work, 'html-elsewhere', 'remote.html');
    const flagged = await remote(['scenarios/fails.json', '-r', 'json', '--report-html', file, '--out-dir', join(work, 'out-html-2')]);
    expect(flagged.code).toBe(1);
    expect(await readFile(file, 'utf8')).toContain('send the key');
    expect(JSON.parse(await readFile(join(work, 'out-html-2', 'report.json'), 'utf8'))).toBeTruthy();
  });

  it('runs the project hooks once per run plan on the agents, whatever --parallel, the afterAll file shipped in the bundle', async () => {
    const hooked = join(work, 'hooked');
    await mkdir(join(hooked, 'scenarios'), { recursive: true });
    await mkdir(join(hooked, 'hooks'), { recursive: true });
    const mark = (name: string) => ({ name: `mark ${name}`, request: { method: 'PUT', url: `{{base}}/marks/${name}` } });
    const before = {
      steps: [{ ...mark('remote-before'), post: [{ extract: { var: 'tenant', jsonpath: '$.name' } }] }],
      export: ['tenant'],
    };
    await writeFile(join(hooked, 'sortie.config.json'), JSON.stringify({ beforeAll: before, afterAll: 'hooks/after.json' }));
    await writeFile(join(hooked, 'hooks', 'after.json'), JSON.stringify({ name: 'after', steps: [mark('remote-after-{{tenant}}')] }));
    for (const name of ['a', 'b', 'c'])
      await writeFile(join(hooked, 'scenarios', `${name}.json`), JSON.stringify({ name, steps: [mark(`remote-{{tenant}}-${name}`)] }));
    const outcome = await runSortie(
      ['run', '--remote', serverUrl, '--token', tokens.submit, 'scenarios', '--parallel', '3', '--env-var', `base=${api.url}`],
      { cwd: hooked },
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('Hooks       beforeAll passed, afterAll passed');
    const { marks } = (await (await fetch(`${api.url}/marks`)).json()) as { marks: Record<string, number> };
    expect(marks).toMatchObject({
      'remote-before': 1,
      'remote-remote-before-a': 1,
      'remote-remote-before-b': 1,
      'remote-remote-before-c': 1,
      'remote-after-remote-before': 1,
    });
  });

  it('runs a data-driven plan on the agents: the data file travels in the plan and each iteration reads its own row', async () => {
    await mkdir(join(project, 'rows'), { recursive: true });
    await writeFile(join(project, 'rows', 'users.csv'), 'user\nann\n"bob, jr"\n');
    const greet = {
      name: 'greet {{user}}',
      request: { url: '{{base}}/echo', query: { user: '{{user}}' } },
      post: [{ assert: { jsonpath: { path: '$.query.user', equals: '{{user}}' } } }],
    };
    await writeFile(join(project, 'rows', 'greet.json'), JSON.stringify({ name: 'greet', steps: [greet] }));
    const outcome = await remote(['rows/greet.json', '-d', 'rows/users.csv', '-r', 'cli,json', '--out-dir', join(work, 'out-rows')]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('✓ greet ann');
    expect(outcome.stdout).toContain('✓ greet bob, jr');
    const report = JSON.parse(await readFile(join(work, 'out-rows', 'report.json'), 'utf8')) as {
      scenarios: { iteration?: number; status: string }[];
    };
    expect(report.scenarios.map((scenario) => [scenario.iteration, scenario.status])).toEqual([
      [0, 'passed'],
      [1, 'passed'],
    ]);
  });

  it('exits 1 for a failing remote run, as a local run would', async () => {
    const outcome = await remote(['scenarios/fails.json']);
    expect(outcome.stdout).toContain('FAILED');
    expect(outcome.code).toBe(1);
  });

  it('exits 2 before uploading when a report cannot be written here (--out-dir, --report-html), naming the path as a local run does', async () => {
    await writeFile(join(project, 'a-file'), 'not a folder');
    for (const flags of [
      ['-r', 'json', '--out-dir', 'a-file/reports'],
      ['--report-html', 'a-file/report.html'],
    ]) {
      const local = await runSortie(['run', 'scenarios/ok.json', ...flags, '--env-var', `base=${api.url}`], {
        cwd: project,
        env: { API_KEY: SECRET },
      });
      const outcome = await remote(['scenarios/ok.json', ...flags]);
      expect([local.code, outcome.code]).toEqual([2, 2]);
      const error = local.stderr.slice(local.stderr.indexOf('error: '));
      // Refused before the run, here as locally (the remote run was uploaded and ran first, then exited 2).
      expect(error).toMatch(
        /^error: Usage error: (--out-dir \(-r json\)|--report-html) would write a-file\/report\S+, but a-file is not a folder\n {2}hint: /,
      );
      expect(outcome.stderr).not.toMatch(/Run \S+ queued/);
      expect(outcome.stderr).not.toContain('internal error');
      expect(outcome.stderr.slice(outcome.stderr.indexOf('error: '))).toBe(error);
    }
  });

  it('exits 2 for invalid input, with the local error, before anything is uploaded', async () => {
    const local = await runSortie(['validate', 'broken.json'], { cwd: project });
    const outcome = await remote(['broken.json']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(local.stderr);
    expect(outcome.stderr).not.toContain('queued');
  });

  it('exits 2 without a valid token, and refuses to send a secret given with --env-var', async () => {
    const noToken = await runSortie(['run', '--remote', serverUrl, '--token', 'sortie_wrong', 'scenarios/ok.json'], { cwd: project });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('the server refused the API token');
    const userinfo = await runSortie(['run', '--remote', 'http://ops:hunter2@127.0.0.1:1', '--token', 'x', 'scenarios/ok.json'], {
      cwd: project,
    });
    expect(userinfo.code).toBe(2);
    expect(userinfo.stderr).toContain('--remote takes no credentials in the URL');
    expect(userinfo.stderr).not.toContain('hunter2');
    const secretVar = await remote(['scenarios/ok.json', '--env-var', 'API_KEY=x']);
    expect(secretVar.code).toBe(2);
    expect(secretVar.stderr).toContain('would send a secret value to the server');
  });

  it('shares the queue between the two agents and lists them live', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => remote(['scenarios/ok.json', '-r', 'json', '--out-dir', join(work, 'out-many')])),
    );
    expect(outcomes.map((o) => (o.code === 0 ? 0 : `${o.code}: ${o.stdout} ${o.stderr}`))).toEqual([0, 0, 0, 0, 0, 0]);
    const { runs } = await apiGet<{ runs: Array<{ agent?: string; status: string }> }>('/api/runs?limit=500');
    expect(new Set(runs.filter((r) => r.status === 'passed').map((r) => r.agent))).toEqual(new Set(['agent-a', 'agent-b']));
    const { agents } = await apiGet<{ agents: Array<{ name: string; state: string }> }>('/api/agents');
    expect(agents.map((a) => [a.name, a.state === 'lost' ? 'lost' : 'up'])).toEqual([
      ['agent-a', 'up'],
      ['agent-b', 'up'],
    ]);
  });

  it('keeps the secret out of every Redis key and value, job payloads included, and out of the server', async () => {
    const client = new Redis(redis.url);
    try {
      const forms = [
        SECRET,
        encodeURIComponent(SECRET),
        new URLSearchParams({ k: SECRET }).toString().slice(2),
        JSON.stringify(SECRET).slice(1, -1),
        Buffer.from(SECRET).toString('base64'),
        Buffer.from(SECRET).toString('base64url'),
      ];
      const entries = await readAllOfRedis(client);
      expect(entries.some(({ key }) => key.startsWith('bull:sortie-runs-default:'))).toBe(true);
      let scanned = 0;
      for (const { key, text } of entries) {
        scanned += text.length;
        for (const form of forms) expect(text, `${key} holds the secret`).not.toContain(form);
      }
      expect(scanned).toBeGreaterThan(10_000);
      const runs = JSON.stringify(await apiGet('/api/runs?limit=500'));
      for (const form of forms) expect(runs).not.toContain(form);
    } finally {
      client.disconnect();
    }
  });

  it('cancels the remote run on Ctrl-C: the agent stops it, the server records it cancelled, the CLI exits 1', async () => {
    await writeFile(
      join(project, 'scenarios', 'slow.json'),
      JSON.stringify({ name: 'slow', steps: [{ name: 'wait long', wait: 60_000 }] }),
    );
    await writeFile(join(project, 'scenarios', 'never.json'), JSON.stringify({ name: 'never', steps: [{ name: 'not reached', wait: 1 }] }));
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        '--remote',
        serverUrl,
        '--token',
        tokens.submit,
        'scenarios/slow.json',
        'scenarios/never.json',
        '--env-var',
        `base=${api.url}`,
      ],
      { cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    processes.push(child);
    let stderr = '';
    let stdout = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 200 && !/queued/.test(stderr); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const runId = /Run (\S+) queued/.exec(stderr)?.[1] as string;
    // Let an agent start it, so the cancel reaches a running run.
    for (let i = 0; i < 200; i++) {
      if ((await apiGet<{ status: string }>(`/api/runs/${runId}`)).status === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toContain(`Cancelling run ${runId}`);
    // Only what is true of a remote run: not a local run's "finishing the current step".
    expect(stderr).not.toContain('finishing the current step');
    // The scenario that never started says the run was cancelled (it said interrupted).
    expect(stdout).toContain('not run: the run was cancelled');
    expect(stdout).not.toContain('interrupted');
    const run = await apiGet<{ status: string; agent?: string }>(`/api/runs/${runId}`);
    expect(run.status).toBe('cancelled');
    expect(['agent-a', 'agent-b']).toContain(run.agent);
    // The summary and the step say what happened: cancelled, as the record and the last line say (it said INTERRUPTED).
    expect(stdout).toContain('Interrupted: the run was cancelled during this wait');
    expect(stdout).toMatch(/\nCANCELLED\n$/);
    expect(stderr).toContain(`Run ${runId} cancelled: cancelled while it ran`);
  });

  it('says what a run still queued after 5 s waits for: no live agent on its pool, or its agents all busy', async () => {
    /** A `--remote` run of `file` on `pool`, its stderr, and a way to interrupt it (Ctrl-C cancels the run). */
    const follow = (file: string, pool: string) => {
      const child = spawn(
        process.execPath,
        [CLI, 'run', '--remote', serverUrl, '--token', tokens.submit, file, '--pool', pool, '--env-var', `base=${api.url}`],
        { cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      processes.push(child);
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const until = async (pattern: RegExp) => {
        for (let i = 0; i < 300 && !pattern.test(stderr); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        return stderr;
      };
      return { until, exited, interrupt: () => child.kill('SIGINT'), stderr: () => stderr };
    };
    const nobody = follow('scenarios/ok.json', 'nobody-serves');
    expect(await nobody.until(/Waiting for an agent/)).toContain(
      'Waiting for an agent on pool nobody-serves: no live agent serves it (start one with `sortie agent --pool nobody-serves`)',
    );
    nobody.interrupt();
    expect(await nobody.exited).toBe(1);

    await startService(
      ['agent', '--redis', redis.url, '--name', 'agent-solo', '--pool', 'solo'],
      /waiting for runs/,
      { API_KEY: SECRET },
      work,
    );
    const slow = follow('scenarios/slow.json', 'solo');
    await slow.until(/queued/);
    const behind = follow('scenarios/ok.json', 'solo');
    expect(await behind.until(/Waiting for an agent/)).toContain('Waiting for an agent on pool solo: its agent is busy');
    // The run that started at once said nothing of the kind.
    expect(slow.stderr()).not.toContain('Waiting for an agent');
    slow.interrupt();
    behind.interrupt();
    expect([await slow.exited, await behind.exited]).toEqual([1, 1]);
  }, 60_000);

  it('ends a run as an error naming the agent when that agent lacks a secret the plan declares', async () => {
    await startService(['agent', '--redis', redis.url, '--name', 'agent-without-key', '--pool', 'bare'], /waiting for runs/, {}, work);
    const outcome = await remote(['scenarios/ok.json', '--pool', 'bare']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/error: agent agent-without-key: .*API_KEY/);
    expect(outcome.stderr).not.toContain(SECRET);
  });

  it('with --retries 0, a run whose agent is killed with -9 ends as "agent lost" instead of running again', async () => {
    const agentArgs = (name: string) => [
      'agent',
      '--redis',
      redis.url,
      '--name',
      name,
      '--pool',
      'fragile',
      '--retries',
      '0',
      '--lock-duration',
      '1000',
    ];
    const doomed = await startService(agentArgs('fragile-1'), /waiting for runs/, { API_KEY: SECRET }, work);
    const out = join(work, 'out-lost');
    const submitted = remote([
      'scenarios/slow.json',
      '--pool',
      'fragile',
      '-r',
      'cli,junit',
      '--out-dir',
      out,
      '--report-json',
      join(out, 'lost.json'),
    ]);
    let runId: string | undefined;
    for (let i = 0; i < 200 && runId === undefined; i++) {
      const { runs } = await apiGet<{ runs: Array<{ id: string; status: string; pool: string }> }>('/api/runs?pool=fragile');
      runId = runs.find((r) => r.status === 'running')?.id;
      if (runId === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    doomed.child.kill('SIGKILL');
    await startService(agentArgs('fragile-2'), /waiting for runs/, { API_KEY: SECRET }, work);
    const outcome = await submitted;
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('agent lost');
    // No agent made the reports asked for: the CLI says which files it did not write, and why (it said nothing).
    expect(outcome.stderr).toContain(
      `Not written: ${join(out, 'junit.xml')}, ${join(out, 'lost.json')}: run ${runId} ended error before an agent made these reports`,
    );
    expect(existsSync(join(out, 'junit.xml')) || existsSync(join(out, 'lost.json'))).toBe(false);
    const run = await apiGet<{ status: string; message?: string }>(`/api/runs/${runId}`);
    expect(run).toMatchObject({ status: 'error' });
    expect(run.message).toMatch(/^agent lost/);
  });
});
