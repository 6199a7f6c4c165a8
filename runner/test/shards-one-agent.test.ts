/**
 * A run split into two shards (`sortie run --remote --shards 2`) with one agent to run them, one after
 * the other: a real `sortie server`, one `sortie agent` (processes of the built CLI), a redis-server of
 * the test's own and the fixture API.
 * - Cancelled while every shard is queued (no agent on its pool), the run ends as "cancelled before
 *   it started", as a run not split does: no shard ends apart, nothing says it started.
 * - Cancelled while one shard runs and the other waits for the agent, the run's report still lists
 *   every scenario run of the plan (those never started as not run), as a cancelled run's report does.
 * - `--timeout-run`: the run's time limit counts from when its first shard started, as a run's counts
 *   from its start. A shard that waited for the agent until the time was up runs none of its scenario
 *   runs (they are reported not run), rather than getting a time limit of its own.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runSortie } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ended, type Fleet, type RunRecord, redisServerMissing, startFleet } from './support/fleet.js';

/** 8 rows, each run waiting 400 ms: two shards of 4 runs (1.6 s each), the second queued while the one agent runs the first. */
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

describe.skipIf(redisServerMissing('the tests of a split run on one agent'))(
  'a run split into shards, one agent',
  { timeout: 120_000 },
  () => {
    let fleet: Fleet;
    let planId: string;

    beforeAll(async () => {
      fleet = await startFleet('shards-one-agent', { 'slow.yaml': SCENARIO, 'rows.csv': ROWS });
      await fleet.agent('only-agent');
      // The plan, stored by a first run (not split) that the agent runs to its end.
      const first = await runSortie(
        ['run', '--remote', fleet.serverUrl, '--token', fleet.tokens.submit, 'slow.yaml', '-d', 'rows.csv'].concat([
          '--env-var',
          `base=${fleet.api.url}`,
          '-r',
          'json',
        ]),
        { cwd: fleet.project },
      );
      expect(first.code, first.stderr).toBe(0);
      planId = (await fleet.call<{ runs: RunRecord[] }>('/api/runs?limit=1')).runs[0]?.planId as string;
    }, 120_000);

    afterAll(() => fleet?.close());

    const submit = (pool: string) =>
      fleet.call<RunRecord>(
        '/api/runs',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ planId, pool, options: { envVars: { base: fleet.api.url }, shards: 2 }, reports: ['json'] }),
        },
        'submit',
      );
    const cancel = (runId: string) => fleet.call<RunRecord>(`/api/runs/${runId}/cancel`, { method: 'POST' }, 'submit');

    it('ends a run whose shards are all queued as cancelled before it started, with one end and no shard ending apart', async () => {
      const submitted = await submit('nobody-serves-it');
      expect(submitted.status).toBe('queued');
      await cancel(submitted.id);
      const run = await fleet.waitForRun(submitted.id, ended);
      expect(run.status).toBe('cancelled');
      // Once the tracker has read the stream too, the record is still the cancel's.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const settled = await fleet.call<RunRecord>(`/api/runs/${submitted.id}`);
      expect(settled.status).toBe('cancelled');
      expect(settled.message).toBe('cancelled before it started');
      expect(settled.startedAt).toBeUndefined();
      const client = new Redis(fleet.redis.url);
      try {
        const kinds = (await client.xrange(`sortie:run:${submitted.id}:events`, '-', '+')).map(
          ([, fields]) => (JSON.parse(fields[1] as string) as { kind: string }).kind,
        );
        expect(kinds).toEqual(['end']);
      } finally {
        client.disconnect();
      }
    });

    it('lists every scenario run in the report of a run cancelled while a shard waited for an agent', async () => {
      const submitted = await submit('default');
      // The one agent runs shard 1; shard 2 waits on the queue.
      const running = await fleet.waitForRun(submitted.id, (run) => run.status === 'running' || ended(run));
      expect(running.status).toBe('running');
      await cancel(submitted.id);
      const run = await fleet.waitForRun(submitted.id, ended);
      expect(run.status).toBe('cancelled');
      // 8 scenario runs, as in the plan: those the cancel stopped before they started are skipped.
      expect(run.counts?.scenarios).toBe(8);
      expect(run.counts?.skipped).toBeGreaterThanOrEqual(4);
      const response = await fetch(`${fleet.serverUrl}/api/runs/${submitted.id}/reports/report.json`, {
        headers: { authorization: `Bearer ${fleet.tokens.read}` },
      });
      expect(response.status).toBe(200);
      const report = (await response.json()) as { status: string; cancelled?: true; scenarios: { iteration: number; notRun?: string }[] };
      expect(report.status).toBe('interrupted');
      expect(report.cancelled).toBe(true);
      expect(report.scenarios.map((scenario) => scenario.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      // The shard that waited (iterations 1, 3, 5, 7, or 0, 2, 4, 6 if the agent took the second first) never started.
      const notRun = report.scenarios.filter((scenario) => scenario.notRun === 'cancelled').map((scenario) => scenario.iteration);
      const waited = notRun.includes(1) ? [1, 3, 5, 7] : [0, 2, 4, 6];
      expect(notRun).toEqual(expect.arrayContaining(waited));
      // The record says, in shard order, which shard ran and which never started.
      const [ran, waitedOnly] = ['cancelled while it ran', 'cancelled before it started'];
      expect(run.message).toBe(
        waited[0] === 1 ? `shard 1/2: ${ran}; shard 2/2: ${waitedOnly}` : `shard 1/2: ${waitedOnly}; shard 2/2: ${ran}`,
      );
    });

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
  },
);
