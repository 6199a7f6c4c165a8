/**
 * `sortie server schedule create|list|pause|resume|delete|run-now` against a real `sortie server`
 * (a process of the built CLI on a redis-server of the test's own), through its HTTP API with API
 * tokens: the outputs and the errors are golden files (ids normalised).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, ROOT, runSortie, startCli } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden', 'schedule'));
let redis: OwnRedis;
let work: string;
let project: string;
let serverUrl: string;
const tokens: Record<string, string> = {};
const processes: ChildProcess[] = [];

/** Ids, plan hashes and the server's port vary from run to run. */
function normalise(text: string): string {
  return text
    .replaceAll(serverUrl, 'http://SERVER')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'ID')
    .replace(/\bplan [0-9a-zA-Z_-]{12,}/g, 'plan PLAN')
    .replace(/\bnext \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'next TIME');
}

const schedule = (args: string[], token = tokens.admin as string) =>
  runSortie(['server', 'schedule', ...args, '--remote', serverUrl, '--token', token], { cwd: project });

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  work = await mkdtemp(join(tmpdir(), 'sortie-schedule-cli-'));
  project = join(work, 'project');
  await mkdir(project, { recursive: true });
  const scenario = {
    name: 'nightly check',
    steps: [{ name: 'get', request: { method: 'GET', url: '{{base}}/echo' }, post: [{ assert: { status: { equals: 200 } } }] }],
  };
  await writeFile(join(project, 'check.json'), JSON.stringify(scenario));
  await writeFile(join(project, 'broken.json'), '{"name": "broken", "steps": [{"name": "x", "request": {"method": "FETCH"}}]}');
  const dataDir = join(work, 'server-data');
  for (const scope of ['read', 'submit', 'admin']) {
    const created = await runSortie(['server', 'token', 'create', '--scope', scope, '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    tokens[scope] = created.stdout.trim();
  }
  const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/, {
    cwd: work,
  });
  processes.push(server.child);
  serverUrl = server.match[1] as string;
}, 60_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await redis?.close();
  await rm(work, { recursive: true, force: true });
});

describe('sortie server schedule', { timeout: 60_000 }, () => {
  it('creates, lists, pauses, resumes, runs now and deletes schedules', async () => {
    const createdFrom = Date.now();
    const every = await schedule([
      'create',
      '--name',
      'every quarter hour',
      '--every',
      '15m',
      'check.json',
      '--env-var',
      'base=http://api.test',
    ]);
    expect(every.code, every.stderr).toBe(0);
    golden('create-every.out', normalise(every.stdout));
    golden('create-every.err', normalise(every.stderr));
    // Its first run one interval after it was made, not "now".
    const firstRun = Date.parse(/ next (\S+)$/m.exec(every.stdout)?.[1] as string);
    expect(firstRun).toBeGreaterThanOrEqual(createdFrom + 15 * 60_000 - 1_000);
    expect(firstRun).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    const id = /^(\S+)/.exec(every.stdout)?.[1] as string;

    const cron = await schedule(['create', '--name', 'nightly', '--cron', '0 2 * * *', '--pool', 'eu', 'check.json']);
    expect(cron.code, cron.stderr).toBe(0);
    golden('create-cron.out', normalise(cron.stdout));

    const listedAt = Date.now();
    const list = await schedule(['list'], tokens.read);
    expect(list.code).toBe(0);
    golden('list.out', normalise(list.stdout));
    // Each active schedule's next fire time: the 15-minute one within 15 minutes, the nightly one on the hour.
    const nexts = [...list.stdout.matchAll(/ next (\S+)$/gm)].map((match) => Date.parse(match[1] as string));
    expect(nexts).toHaveLength(2);
    expect(nexts[0]).toBeGreaterThan(listedAt - 1_000);
    expect(nexts[0]).toBeLessThanOrEqual(listedAt + 15 * 60_000);
    expect((nexts[1] as number) % 3_600_000).toBe(0);

    const paused = await schedule(['pause', id]);
    expect(paused.code).toBe(0);
    golden('pause.out', normalise(paused.stdout));
    const resumed = await schedule(['resume', id]);
    expect(resumed.code).toBe(0);
    golden('resume.out', normalise(resumed.stdout));

    const now = await schedule(['run-now', id], tokens.submit);
    expect(now.code).toBe(0);
    golden('run-now.out', normalise(now.stdout));
    const runId = /^Run (\S+) queued/.exec(now.stdout)?.[1] as string;
    const run = (await (await fetch(`${serverUrl}/api/runs/${runId}`, { headers: { authorization: `Bearer ${tokens.read}` } })).json()) as {
      scheduleId?: string;
      options: unknown;
    };
    // The run carries the schedule's plan options: the --env-var given at create.
    expect(run).toMatchObject({ scheduleId: id, options: { envVars: { base: 'http://api.test' } } });

    const deleted = await schedule(['delete', id]);
    expect(deleted.code).toBe(0);
    golden('delete.out', normalise(deleted.stdout));
    const after = await schedule(['list'], tokens.read);
    expect(normalise(after.stdout)).toBe(normalise(cron.stdout));
  });

  it.each([
    ['no-name', ['create', '--every', '1h', 'check.json']],
    ['no-when', ['create', '--name', 'n', 'check.json']],
    ['both-when', ['create', '--name', 'n', '--every', '1h', '--cron', '* * * * *', 'check.json']],
    ['bad-every', ['create', '--name', 'n', '--every', 'soon', 'check.json']],
    ['bad-cron', ['create', '--name', 'n', '--cron', 'every day', 'check.json']],
    ['terminal-only-flag', ['create', '--name', 'n', '--every', '1h', '-r', 'json', 'check.json']],
    ['invalid-plan', ['create', '--name', 'n', '--every', '1h', 'broken.json']],
    ['unknown-id', ['pause', '00000000-0000-4000-8000-000000000000']],
    ['no-id', ['delete']],
    ['unknown-action', ['edit']],
    ['misspelt-action', ['pasue', 'x']],
    ['misspelt-option', ['list', '--tokne', 'x']],
  ])('refuses %s with exit 2 and a clear error', async (name, args) => {
    const outcome = await schedule(args);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    golden(`${name}.err`, normalise(outcome.stderr));
  });

  it.each([
    ['create', 'submit', ['create', '--name', 'n', '--every', '1h', 'check.json']],
    ['pause', 'submit', ['pause', '00000000-0000-4000-8000-000000000000']],
    ['resume', 'read', ['resume', '00000000-0000-4000-8000-000000000000']],
    ['delete', 'submit', ['delete', '00000000-0000-4000-8000-000000000000']],
    ['run-now', 'read', ['run-now', '00000000-0000-4000-8000-000000000000']],
  ])('names the scope %s really needs when a %s token is refused', async (action, scope, args) => {
    const outcome = await schedule(args, tokens[scope]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    golden(`forbidden-${action}-${scope}.err`, normalise(outcome.stderr));
  });

  it('names the submit scope when sortie run --remote is refused a read token', async () => {
    const outcome = await runSortie(['run', 'check.json', '--remote', serverUrl, '--token', tokens.read as string], { cwd: project });
    expect(outcome.code).toBe(2);
    golden('forbidden-run-read.err', normalise(outcome.stderr));
    const unknown = await runSortie(['server', 'schedule', 'pause', 'x', '--remote', serverUrl, '--token', 'sortie_nope'], {
      cwd: project,
    });
    expect(unknown.code).toBe(2);
    golden('unauthorized-pause.err', normalise(unknown.stderr));
  });

  it('is in the help of sortie server', async () => {
    const help = await runSortie(['server', '--help']);
    expect(help.code).toBe(0);
    golden('server-help.out', help.stdout);
  });

  it('needs a token with the admin scope to change schedules, and --remote', async () => {
    const readOnly = await schedule(['create', '--name', 'n', '--every', '1h', 'check.json'], tokens.read);
    expect(readOnly.code).toBe(2);
    golden('forbidden.err', normalise(readOnly.stderr));
    // Nothing was stored for the refused schedule: no plan upload happens before the scope check.
    const listed = await schedule(['list'], tokens.read);
    expect(listed.stdout).not.toContain(' n  every');
    const noRemote = await runSortie(['server', 'schedule', 'list', '--token', tokens.read as string], { cwd: project });
    expect(noRemote.code).toBe(2);
    golden('no-remote.err', normalise(noRemote.stderr));
  });
});
