/**
 * An agent killed with `kill -9` in a run, with no other agent serving its pool. BullMQ's stalled
 * check, which hands such a run on, runs in the agents: with none left the run stayed `running` for
 * ever and the dead agent was listed with its slot busy (`busy: 1`). Now the agents list shows it
 * lost with no busy slot, and once its lock on the job expires the server ends the run as
 * `error: agent lost …`, naming the agent and the pool, and removes its job, so an agent started
 * later does not run it again; the shards of a split run still queued then end with it (not run), so
 * the run ends. A real server, agent processes and a redis-server of the test's own.
 */

import { runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ended, type Fleet, type RunRecord, redisServerMissing, startFleet } from './support/fleet.js';

const skip = redisServerMissing('the lost-agent tests');
let fleet: Fleet;

interface AgentListed {
  name: string;
  state: string;
  busy: number;
}

async function until<T>(read: () => Promise<T>, holds: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (holds(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  if (skip) return;
  fleet = await startFleet('lost-agent', {
    'slow.json': JSON.stringify({ name: 'slow', steps: [{ name: 'pause', wait: 120_000 }] }),
  });
}, 60_000);

afterAll(async () => {
  await fleet?.close();
});

describe.skipIf(skip)('an agent killed with -9 while no other agent serves its pool', () => {
  it('is listed lost and not busy, and its run ends as "agent lost" instead of running for ever', async () => {
    const doomed = await fleet.agent('doomed', ['--pool', 'lonely', '--lock-duration', '1000']);
    const remote = runSortie(['run', '--remote', fleet.serverUrl, '--token', fleet.tokens.submit, '--pool', 'lonely', 'slow.json'], {
      cwd: fleet.project,
    });
    const { runs } = await until(
      () => fleet.call<{ runs: RunRecord[] }>('/api/runs?pool=lonely&status=running'),
      (list) => list.runs.length === 1,
      'the run to start',
    );
    const runId = (runs[0] as RunRecord).id;
    await until(
      () => fleet.call<{ agents: AgentListed[] }>('/api/agents'),
      ({ agents }) => agents.some((agent) => agent.name === 'doomed' && agent.busy === 1),
      'the agent listed busy',
    );
    doomed.child.kill('SIGKILL');

    const { agents } = await until(
      () => fleet.call<{ agents: AgentListed[] }>('/api/agents'),
      (list) => list.agents.some((agent) => agent.name === 'doomed' && agent.state === 'lost'),
      'the agent listed lost',
    );
    expect(agents.find((agent) => agent.name === 'doomed')).toMatchObject({ state: 'lost', busy: 0 });

    const run = await until(() => fleet.call<RunRecord>(`/api/runs/${runId}`), ended, 'the run to end');
    expect(run).toMatchObject({ status: 'error', agent: 'doomed' });
    const message =
      'agent lost: agent doomed stopped answering (its lock on the run expired) and no live agent serves pool lonely to hand the run on; submit it again';
    expect(run.message).toBe(message);
    // `sortie run --remote`, which followed it, ends with it.
    const outcome = await remote;
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(outcome.stderr).toContain(message);

    // An agent of the pool started now finds nothing to run: the job left the queue with the run's end.
    await fleet.agent('late', ['--pool', 'lonely']);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await fleet.call<RunRecord>(`/api/runs/${runId}`)).toMatchObject({ status: 'error', agent: 'doomed', attempt: 1 });
    expect((await fleet.call<{ agents: AgentListed[] }>('/api/agents')).agents.find((agent) => agent.name === 'late')).toMatchObject({
      state: 'live',
      busy: 0,
    });
  }, 90_000);

  it('ends a run split into shards whose agent was killed, each shard as "agent lost"', async () => {
    const doomed = await fleet.agent('doomed-shards', ['--pool', 'lonely2', '--concurrency', '2', '--lock-duration', '1000']);
    const remote = runSortie(
      ['run', '--remote', fleet.serverUrl, '--token', fleet.tokens.submit, '--pool', 'lonely2', '--shards', '2', '-n', '2', 'slow.json'],
      { cwd: fleet.project },
    );
    await until(
      () => fleet.call<{ agents: AgentListed[] }>('/api/agents'),
      ({ agents }) => agents.some((agent) => agent.name === 'doomed-shards' && agent.busy === 2),
      'both shards running',
    );
    doomed.child.kill('SIGKILL');
    const outcome = await remote;
    expect(outcome.code, outcome.stderr).toBe(1);
    const { runs } = await fleet.call<{ runs: RunRecord[] }>('/api/runs?pool=lonely2');
    // Each shard names the agent it was lost with (it said "its agent"), and so does the record.
    const lost =
      'agent lost: agent doomed-shards stopped answering (its lock on the run expired) and no live agent serves pool lonely2 to hand the run on; submit it again';
    expect(runs[0]).toMatchObject({ status: 'error', agent: 'doomed-shards', message: `shard 1/2: ${lost}; shard 2/2: ${lost}` });
  }, 90_000);

  it('ends a split run whose only agent was killed with shards still queued, instead of leaving them queued for ever', async () => {
    // One slot for three shards: shard 1 runs, shards 2 and 3 wait for the agent that is then killed.
    const doomed = await fleet.agent('doomed-queue', ['--pool', 'lonely3', '--lock-duration', '1000']);
    const remote = runSortie(
      ['run', '--remote', fleet.serverUrl, '--token', fleet.tokens.submit, '--pool', 'lonely3', '--shards', '3', '-n', '3', 'slow.json'],
      { cwd: fleet.project },
    );
    await until(
      () => fleet.call<{ agents: AgentListed[] }>('/api/agents'),
      ({ agents }) => agents.some((agent) => agent.name === 'doomed-queue' && agent.busy === 1),
      'the first shard running',
    );
    doomed.child.kill('SIGKILL');
    const outcome = await remote;
    expect(outcome.code, outcome.stderr).toBe(1);
    const { runs } = await fleet.call<{ runs: RunRecord[] }>('/api/runs?pool=lonely3');
    const run = runs[0] as RunRecord;
    const lost =
      'agent lost: agent doomed-queue stopped answering (its lock on the run expired) and no live agent serves pool lonely3 to hand the run on; submit it again';
    const notRun = 'not run: the agent of shard 1/3 was lost and no live agent serves pool lonely3 to run this one; submit the run again';
    expect(run).toMatchObject({
      status: 'error',
      agent: 'doomed-queue',
      message: `shard 1/3: ${lost}; shard 2/3: ${notRun}; shard 3/3: ${notRun}`,
    });
    expect(outcome.stderr).toContain(`Run ${run.id} error: shard 1/3: ${lost}`);

    // The queued shards left the queue with the run's end: an agent of the pool started now runs none of them.
    await fleet.agent('late-queue', ['--pool', 'lonely3']);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await fleet.call<{ agents: AgentListed[] }>('/api/agents')).agents.find((agent) => agent.name === 'late-queue')).toMatchObject({
      busy: 0,
    });
    expect(await fleet.call<RunRecord>(`/api/runs/${run.id}`)).toMatchObject({ status: 'error', message: run.message });
  }, 90_000);
});
