/**
 * Cancelling a run split into shards (`sortie run --remote --shards N`), against a real `sortie
 * server`, one `sortie agent` (processes of the built CLI), a redis-server of the test's own and the
 * fixture API:
 * - cancelled while every shard is queued (no agent on its pool), the run ends as "cancelled before
 *   it started", as a run not split does: no shard ends apart, nothing says it started;
 * - cancelled while one shard runs and the other waits for the agent, the run's report still lists
 *   every scenario run of the plan (those never started as not run), as a cancelled run's report does.
 */
import { runSortie } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ended, type Fleet, type RunRecord, redisServerMissing, startFleet } from './support/fleet.js';

/** 6 rows, each run waiting 400 ms: two shards of 3 runs, the second queued while the one agent runs the first. */
const ROWS = ['id', '1', '2', '3', '4', '5', '6', ''].join('\n');
const SCENARIO = `name: Slow row
steps:
  - name: slow call
    request:
      method: GET
      url: "{{base}}/slow?ms=400&row={{id}}"
    post:
      - assert: { status: { equals: 200 } }
`;

describe.skipIf(redisServerMissing('the shards-cancel tests'))('cancelling a run split into shards', { timeout: 120_000 }, () => {
  let fleet: Fleet;
  let planId: string;

  beforeAll(async () => {
    fleet = await startFleet('shards-cancel', { 'slow.yaml': SCENARIO, 'rows.csv': ROWS });
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
    // 6 scenario runs, as in the plan: those the cancel stopped before they started are skipped.
    expect(run.counts?.scenarios).toBe(6);
    expect(run.counts?.skipped).toBeGreaterThanOrEqual(3);
    const response = await fetch(`${fleet.serverUrl}/api/runs/${submitted.id}/reports/report.json`, {
      headers: { authorization: `Bearer ${fleet.tokens.read}` },
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as { status: string; scenarios: { iteration: number; notRun?: string }[] };
    expect(report.status).toBe('interrupted');
    expect(report.scenarios.map((scenario) => scenario.iteration)).toEqual([0, 1, 2, 3, 4, 5]);
    // The shard that waited (iterations 1, 3, 5, or 0, 2, 4 if the agent took the second first) never started.
    const notRun = report.scenarios.filter((scenario) => scenario.notRun === 'interrupted').map((scenario) => scenario.iteration);
    const waited = notRun.includes(1) ? [1, 3, 5] : [0, 2, 4];
    expect(notRun).toEqual(expect.arrayContaining(waited));
    // The record says, in shard order, which shard ran and which never started.
    const [ran, waitedOnly] = ['cancelled while it ran', 'cancelled before it started'];
    expect(run.message).toBe(
      waited[0] === 1 ? `shard 1/2: ${ran}; shard 2/2: ${waitedOnly}` : `shard 1/2: ${waitedOnly}; shard 2/2: ${ran}`,
    );
  });
});
