/**
 * `--timeout-run` of a run split into shards (`sortie run --remote --shards N`), against a real `sortie
 * server`, one `sortie agent` (processes of the built CLI), a redis-server of the test's own and the
 * fixture API: the run's time limit counts from when its first shard started, as a run's counts from
 * its start. A shard that waited for the agent until the time was up runs none of its scenario runs
 * (they are reported not run), rather than getting a time limit of its own.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, redisServerMissing, startFleet } from './support/fleet.js';

/** 8 rows, each run waiting 400 ms: two shards of 4 runs (1.6 s each), run one after the other by the one agent. */
const ROWS = ['id', '1', '2', '3', '4', '5', '6', '7', '8', ''].join('\n');
const SCENARIO = `name: Slow row
steps:
  - name: slow call
    request:
      method: GET
      url: "{{base}}/slow?ms=400&row={{id}}"
    post:
      - assert: { status: { equals: 200 } }
`;

describe.skipIf(redisServerMissing('the shards-timeout tests'))('--timeout-run of a run split into shards', { timeout: 120_000 }, () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet('shards-timeout', { 'slow.yaml': SCENARIO, 'rows.csv': ROWS });
    await fleet.agent('only-agent');
  }, 120_000);

  afterAll(() => fleet?.close());

  it('counts the time limit from when the first shard started: the shard that waited runs nothing', async () => {
    const out = join(fleet.work, 'out');
    const there = await runSortie(
      ['run', '--remote', fleet.serverUrl, '--token', fleet.tokens.submit, '--shards', '2', '--timeout-run', '1000'].concat([
        'slow.yaml',
        '-d',
        'rows.csv',
        '--env-var',
        `base=${fleet.api.url}`,
        '-r',
        'json',
        '--out-dir',
        out,
      ]),
      { cwd: fleet.project },
    );
    expect(there.code, there.stderr).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      status: string;
      scenarios: { iteration: number; notRun?: string }[];
    };
    expect(report.status).toBe('interrupted');
    expect(report.scenarios.map((scenario) => scenario.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The first shard ran until the time was up (runs 0, 2 and 4 started within the second); the
    // second, which the agent took after it, started with no time left: none of its runs ran.
    const ran = report.scenarios.filter((scenario) => scenario.notRun === undefined).map((scenario) => scenario.iteration);
    expect(ran.length).toBeGreaterThan(0);
    const second = ran.includes(0) ? [1, 3, 5, 7] : [0, 2, 4, 6];
    expect(ran.filter((iteration) => second.includes(iteration))).toEqual([]);
  });
});
