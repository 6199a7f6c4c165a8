/**
 * `sortie run --remote --shards N`: one run split over the agents of a pool, against a real `sortie
 * server` and two `sortie agent`s (processes of the built CLI, a redis-server of the test's own) and
 * the fixture API. The same data-driven plan run here and as shards gives the same exit code and the
 * same JSON, JUnit and HTML reports (times aside): each scenario run once, in the plan's order, with
 * its iteration and data row. Both agents take part; a shard's --bail stops the others; a cancel
 * stops them all; a project with beforeAll/afterAll hooks is refused; the secret an agent sends never
 * reaches Redis, the server's data or the reports.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { goldenIn, normaliseHtmlPage, normaliseJunit, normaliseReport, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllOfRedis } from '../../packages/agent/test/redis-server.js';
import { type Fleet, type RunRecord, startFleet } from './support/fleet.js';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden', 'remote'));

/** The agents' (and the local run's) value of the project's secret: sent by every scenario run, echoed back. */
const SECRET = 'sh4rd-s3cret+/=&-9f1c';

/** A second secret, in awkward encodings: sent in a query (percent-encoded), in Basic auth (base64) and in a JSON body. */
const AWKWARD = 'wé\u00efrd "s3cr\\et"+/=&% ✓';

/** Sends AWKWARD every way: the echo answers each (redacted before anything leaves the agent). */
const AWKWARD_SCENARIO = `name: Awkward secret
steps:
  - name: echo it every way
    request:
      method: POST
      url: "{{base}}/echo?key={{awkwardKey}}"
      auth: { type: basic, username: user, password: "{{awkwardKey}}" }
      body: { json: { key: "{{awkwardKey}}" } }
    post:
      - assert: { status: { equals: 200 } }
`;

/** 8 rows: row 6 asks for a 500 (its scenario run fails); every run waits 150 ms so both agents take shards. */
const ROWS = ['id,code', '1,200', '2,200', '3,200', '4,200', '5,200', '6,500', '7,200', '8,200', ''].join('\n');

const ROW_SCENARIO = `name: Row check
steps:
  - name: slow call
    request:
      method: GET
      url: "{{base}}/slow?ms=150"
    post:
      - assert: { status: { equals: 200 } }
  - name: row status
    request:
      method: GET
      url: "{{base}}/status/{{code}}"
      headers:
        X-Api-Key: "{{apiKey}}"
    post:
      - assert: { status: { equals: 200 } }
`;

const ECHO_SCENARIO = `name: Echo the row
steps:
  - name: echo
    request:
      method: GET
      url: "{{base}}/echo?row={{id}}"
      headers:
        X-Api-Key: "{{apiKey}}"
    post:
      - assert: { status: { equals: 200 } }
      - assert: { jsonpath: { path: "$.query.row", equals: "{{id}}" } }
      - assert: { jsonpath: { path: "$.headers.x-api-key", equals: "{{apiKey}}" } }
`;

/** The secrets' values: the agents' (and the local runs') only. */
const AGENT_ENV = { apiKey: SECRET, awkwardKey: AWKWARD };

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet('shards', {
    'sortie.config.json': JSON.stringify({ secrets: ['apiKey', 'awkwardKey'] }),
    'awkward.yaml': AWKWARD_SCENARIO,
    'rows.yaml': ROW_SCENARIO,
    'echo.yaml': ECHO_SCENARIO,
    'rows.csv': ROWS,
    'hooked/sortie.config.json': JSON.stringify({ secrets: ['apiKey'], beforeAll: 'echo.yaml' }),
    'hooked/echo.yaml': ECHO_SCENARIO.replaceAll('{{id}}', '0'),
  });
  for (const name of ['agent-a', 'agent-b']) await fleet.agent(name, [], AGENT_ENV);
}, 120_000);

afterAll(() => fleet?.close());

const RUN_ARGS = ['rows.yaml', 'echo.yaml', '-d', 'rows.csv', '--env-var', `base=PLACEHOLDER`, '--no-color'];
const runArgs = () => RUN_ARGS.map((arg) => arg.replace('PLACEHOLDER', fleet.api.url));
const local = (args: string[]) => runSortie(['run', ...runArgs(), ...args], { cwd: fleet.project, env: AGENT_ENV });
const remote = (args: string[], cwd = fleet.project) =>
  runSortie(['run', '--remote', fleet.serverUrl, '--token', fleet.tokens.submit, ...runArgs(), ...args], { cwd });

/** Every event a pool's runs have streamed so far (the run streams' text), to wait for a run to be under way. */
async function redisText(pool: string): Promise<string> {
  const client = new Redis(fleet.redis.url);
  try {
    const { runs } = await fleet.call<{ runs: RunRecord[] }>(`/api/runs?pool=${pool}&status=running`);
    const texts = await Promise.all(runs.map((run) => client.xrange(`sortie:run:${run.id}:events`, '-', '+')));
    return JSON.stringify(texts);
  } finally {
    client.disconnect();
  }
}

/** `sortie server schedule create` of a schedule `name` every `every`, with the run's arguments. */
const createSchedule = (name: string, every: string, args: string[], cwd: string) =>
  runSortie(
    ['server', 'schedule', 'create', '--remote', fleet.serverUrl, '--token', fleet.tokens.admin, '--name', name, '--every', every, ...args],
    { cwd },
  );

const runIdOf = (stderr: string) => /Run (\S+) queued/.exec(stderr)?.[1] as string;

describe('sortie run --remote --shards', { timeout: 120_000 }, () => {
  it('gives the exit code and the JSON, JUnit and HTML reports of the same run made here, with both agents taking part', async () => {
    const reports = ['-r', 'cli,json,junit,html'];
    const here = await local([...reports, '--out-dir', join(fleet.work, 'here')]);
    const there = await remote([...reports, '--out-dir', join(fleet.work, 'there'), '--shards', '3']);
    expect(here.code, here.stderr).toBe(1);
    expect(there.code, there.stderr).toBe(1);
    expect(there.stderr).toMatch(/queued in 3 shards on pool default/);
    const read = (side: string, name: string) => readFile(join(fleet.work, side, name), 'utf8');
    const port = Number(new URL(fleet.api.url).port);
    expect(normaliseReport(await read('there', 'report.json'), port)).toBe(normaliseReport(await read('here', 'report.json'), port));
    expect(normaliseJunit(await read('there', 'junit.xml'), port)).toBe(normaliseJunit(await read('here', 'junit.xml'), port));
    expect(normaliseHtmlPage(await read('there', 'report.html'), port)).toBe(normaliseHtmlPage(await read('here', 'report.html'), port));
    // 16 scenario runs (2 files × 8 rows), each once; the one of row 6 failed.
    const report = JSON.parse(await read('there', 'report.json')) as { scenarios: { name: string; iteration: number; status: string }[] };
    expect(report.scenarios.map((run) => `${run.name}#${run.iteration}`)).toEqual([
      ...Array.from({ length: 8 }, (_, row) => `Row check#${row}`),
      ...Array.from({ length: 8 }, (_, row) => `Echo the row#${row}`),
    ]);
    expect(report.scenarios.filter((run) => run.status !== 'passed').map((run) => `${run.name}#${run.iteration}`)).toEqual(['Row check#5']);
    // The CLI shows every scenario run once, and the summary of the whole run.
    const summary = (text: string) => normaliseText(text).trim().split('\n').slice(-6).join('\n');
    expect(summary(there.stdout)).toBe(summary(here.stdout));
    golden('shards-summary.out', summary(there.stdout));
    golden('shards.err', there.stderr.replace(/Run \S+ queued/, 'Run RUN_ID queued').replace(fleet.serverUrl, 'http://SERVER'));
    for (const row of [0, 5, 7]) expect(there.stdout.split(`▶ Row check [iteration ${row}]`).length - 1, there.stdout).toBe(1);

    const run = await fleet.call<RunRecord>(`/api/runs/${runIdOf(there.stderr)}`);
    expect(run.status).toBe('failed');
    expect(run.agent?.split(', ').sort()).toEqual(['agent-a', 'agent-b']);
    expect(run.counts).toMatchObject({ scenarios: 16, requests: 24, failed: 1 });
    expect(run.reports.sort()).toEqual(['junit.xml', 'report.html', 'report.json']);
    // The plan was stored once for the shards, not in each job, and went with the run's end.
    const client = new Redis(fleet.redis.url);
    try {
      const jobs = await Promise.all([0, 1, 2].map((shard) => client.hget(`bull:sortie-runs-default:${run.id}-shard-${shard}`, 'data')));
      for (const data of jobs)
        expect(JSON.parse(data as string)).toMatchObject({ runId: run.id, shard: { count: 3 }, reports: ['events'] });
      for (const data of jobs) expect(JSON.parse(data as string).plan).toBeUndefined();
      expect(await client.exists(`sortie:run:${run.id}:plan`, `sortie:run:${run.id}:shard:0:reports`)).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  it('never puts a secret the agents send, in any encoding, into Redis, the server data dir, the reports or the output', async () => {
    const there = await remote([
      'awkward.yaml',
      '-r',
      'cli,json,junit,html',
      '--out-dir',
      join(fleet.work, 'secret'),
      '--shards',
      '2',
      '--verbose',
    ]);
    expect(there.code, there.stderr).toBe(1);
    const forms = [
      SECRET,
      AWKWARD,
      JSON.stringify(AWKWARD).slice(1, -1),
      encodeURIComponent(AWKWARD),
      encodeURIComponent(SECRET),
      Buffer.from(`user:${AWKWARD}`).toString('base64'),
      Buffer.from(AWKWARD).toString('base64'),
    ];
    const client = new Redis(fleet.redis.url);
    try {
      const entries = await readAllOfRedis(client);
      expect(entries.length).toBeGreaterThan(0);
      for (const { key, text } of entries) for (const form of forms) expect(text, key).not.toContain(form);
    } finally {
      client.disconnect();
    }
    const files = await readdir(fleet.dataDir, { recursive: true, withFileTypes: true });
    for (const file of files.filter((entry) => entry.isFile())) {
      const text = (await readFile(join(file.parentPath, file.name))).toString('utf8');
      for (const form of forms) expect(text, file.name).not.toContain(form);
    }
    for (const name of ['report.json', 'junit.xml', 'report.html']) {
      const text = await readFile(join(fleet.work, 'secret', name), 'utf8');
      for (const form of forms) expect(text, name).not.toContain(form);
    }
    for (const form of forms) expect(there.stdout + there.stderr).not.toContain(form);
    // The awkward scenario ran on an agent, with its secret sent: the echo's answer is in the report, redacted.
    expect(await readFile(join(fleet.work, 'secret', 'report.json'), 'utf8')).toContain('[REDACTED]');
  });

  it('stops every shard at the first failure with --bail: the run failed, the report says bailed', async () => {
    const there = await remote(['-r', 'cli,json', '--out-dir', join(fleet.work, 'bail'), '--shards', '2', '--bail']);
    expect(there.code, there.stderr).toBe(1);
    const report = JSON.parse(await readFile(join(fleet.work, 'bail', 'report.json'), 'utf8')) as {
      status: string;
      bailed?: boolean;
      scenarios: { status: string; notRun?: string }[];
    };
    expect(report.status).toBe('failed');
    expect(report.bailed).toBe(true);
    expect(report.scenarios.length).toBe(16);
    expect(report.scenarios.filter((run) => run.status === 'failed').length).toBe(1);
    // Row 6 fails as the 3rd run of its shard: the runs after it, in both shards, never started, and
    // are listed as a local --bail lists them.
    const notRun = report.scenarios.filter((run) => run.notRun !== undefined);
    expect(notRun.length).toBeGreaterThan(4);
    expect(notRun.every((run) => run.notRun === 'bail' && run.status === 'skipped')).toBe(true);
    const here = await local(['-r', 'json', '--out-dir', join(fleet.work, 'bail-here'), '--bail']);
    const onePiece = JSON.parse(await readFile(join(fleet.work, 'bail-here', 'report.json'), 'utf8')) as typeof report;
    expect(here.code).toBe(1);
    expect(new Set(onePiece.scenarios.flatMap((run) => (run.notRun === undefined ? [] : [run.notRun])))).toEqual(new Set(['bail']));
    const run = await fleet.call<RunRecord>(`/api/runs/${runIdOf(there.stderr)}`);
    expect(run.status).toBe('failed');
  });

  it('cancels every shard of a run through the API', async () => {
    const first = await fleet.call<{ runs: RunRecord[] }>('/api/runs?limit=1');
    const planId = first.runs[0]?.planId as string;
    const submitted = await fleet.call<RunRecord>(
      '/api/runs',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ planId, options: { envVars: { base: fleet.api.url }, shards: 2, iterations: 20 }, reports: ['json'] }),
      },
      'submit',
    );
    let run = submitted;
    for (let i = 0; i < 100 && run.status !== 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await fleet.call<RunRecord>(`/api/runs/${submitted.id}`);
    }
    expect(run.status).toBe('running');
    await fleet.call(`/api/runs/${submitted.id}/cancel`, { method: 'POST' }, 'submit');
    for (let i = 0; i < 200 && (run.status === 'running' || run.status === 'queued'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await fleet.call<RunRecord>(`/api/runs/${submitted.id}`);
    }
    expect(run.status).toBe('cancelled');
    // Every scenario run is counted; those the cancel stopped before they started as skipped.
    expect(run.counts).toMatchObject({ scenarios: 40 });
    expect(run.counts?.skipped).toBeGreaterThan(0);
    const report = await fetch(`${fleet.serverUrl}/api/runs/${submitted.id}/reports/report.json`, {
      headers: { authorization: `Bearer ${fleet.tokens.read}` },
    });
    expect(report.status).toBe(200);
    const body = (await report.json()) as { status: string; scenarios: unknown[] };
    expect(body.status).toBe('interrupted');
    expect(body.scenarios.length).toBe(40);
  });

  it('hands the shard of an agent killed with -9 to another agent: every scenario run reported once, the same reports as here', async () => {
    const fragile = ['--pool', 'fragile', '--lock-duration', '1000'];
    const doomed = await fleet.agent('fragile-1', fragile, AGENT_ENV);
    const reports = ['-r', 'cli,json,junit'];
    const submitted = remote([...reports, '--out-dir', join(fleet.work, 'lost'), '--shards', '2', '--pool', 'fragile']);
    // Killed once it has run a few of its first shard's scenario runs (150 ms each).
    for (let i = 0; i < 200 && !/Row check/.test(await redisText('fragile')); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 200));
    doomed.child.kill('SIGKILL');
    await fleet.agent('fragile-2', fragile, AGENT_ENV);
    const there = await submitted;
    expect(there.code, there.stderr).toBe(1);
    expect(there.stderr).toMatch(/The agent running shard 1 was lost; agent fragile-2 runs shard 1 again \(attempt 2\)/);
    await local([...reports, '--out-dir', join(fleet.work, 'lost-here')]);
    const read = (side: string, name: string) => readFile(join(fleet.work, side, name), 'utf8');
    const port = Number(new URL(fleet.api.url).port);
    expect(normaliseReport(await read('lost', 'report.json'), port)).toBe(normaliseReport(await read('lost-here', 'report.json'), port));
    expect(normaliseJunit(await read('lost', 'junit.xml'), port)).toBe(normaliseJunit(await read('lost-here', 'junit.xml'), port));
    const run = await fleet.call<RunRecord & { attempt: number }>(`/api/runs/${runIdOf(there.stderr)}`);
    expect(run).toMatchObject({ status: 'failed', attempt: 2 });
    expect(run.counts).toMatchObject({ scenarios: 16, failed: 1 });
  });

  it('runs a schedule of a split run as shards', async () => {
    const created = await createSchedule('sharded', '1s', [...runArgs(), '--shards', '2'], fleet.project);
    expect(created.code, created.stderr).toBe(0);
    const scheduleId = /Schedule (\S+) created/.exec(created.stderr)?.[1] as string;
    let runs: RunRecord[] = [];
    for (let i = 0; i < 200 && !runs.some((run) => run.status === 'failed'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      runs = (await fleet.call<{ runs: RunRecord[] }>(`/api/runs?schedule=${scheduleId}`)).runs;
    }
    await fetch(`${fleet.serverUrl}/api/schedules/${scheduleId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${fleet.tokens.admin}` },
    });
    const run = runs.find((one) => one.status === 'failed') as RunRecord;
    expect(run.counts).toMatchObject({ scenarios: 16, failed: 1 });
    expect(run.reports.sort()).toEqual(['junit.xml', 'report.json']);
  });

  it('refuses to split a project with beforeAll/afterAll hooks (exit 2), and --shards without --remote', async () => {
    const hooked = await runSortie(
      [
        'run',
        '--remote',
        fleet.serverUrl,
        '--token',
        fleet.tokens.submit,
        'echo.yaml',
        '--env-var',
        `base=${fleet.api.url}`,
        '--shards',
        '2',
      ],
      { cwd: join(fleet.project, 'hooked') },
    );
    expect(hooked.code, hooked.stderr).toBe(2);
    expect(hooked.stderr).toMatch(/Cannot split the run.*beforeAll\/afterAll hooks/s);
    golden('shards-hooks.err', hooked.stderr);
    const scheduled = await createSchedule('hooked', '1h', ['echo.yaml', '--shards', '2'], join(fleet.project, 'hooked'));
    expect(scheduled.code, scheduled.stderr).toBe(2);
    expect(scheduled.stderr).toMatch(/Cannot split the run/);
    const here = await runSortie(['run', 'echo.yaml', '--shards', '2'], { cwd: fleet.project });
    expect(here.code).toBe(2);
    expect(here.stderr).toMatch(/--shards goes with --remote/);
    const tooMany = await remote(['--shards', '65']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--shards expects at most 64, got 65/);
    golden('shards-too-many.err', tooMany.stderr);
  });
});
