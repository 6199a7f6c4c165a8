/**
 * A run split into shards (`options.shards`, `sortie run --remote --shards N`): N jobs on the pool's
 * queue, each running every N-th scenario run of the plan on whichever agent takes it and recording
 * its events. The run ends when every shard has; its reports are then made here, from the shards'
 * event logs (mergeShards), as one run of the plan would have made them.
 */
import { emptyCounts, jobStatusOf, type RunJobData, type RunJobResult, reportersFor, unpackReport } from '@sortie/agent';
import { mergeShards, Redactor, type RunPlan, type RunResult } from '@sortie/api';

/** What the tracker knows of a sharded run while it runs. */
export class ShardedRun {
  readonly count: number;
  /** Each ended shard's outcome, by shard. */
  readonly ended = new Map<number, RunJobResult>();
  /** Its other shards were told to stop (a shard's --bail). */
  stopping = false;
  /** The highest attempt a shard reached (2 when an agent was lost and a shard handed on). */
  attempt = 1;
  /** The agent of each shard's newest attempt, by shard (from the stream's `attempt-start` entries). */
  readonly agents = new Map<number, string>();

  constructor(count: number) {
    this.count = count;
  }

  /** Records a shard's end; false when it was already recorded (the stream and the job both tell it). */
  end(result: RunJobResult): boolean {
    const shard = result.shard;
    if (shard === undefined || shard < 0 || shard >= this.count || this.ended.has(shard)) return false;
    this.ended.set(shard, result);
    return true;
  }

  get done(): boolean {
    return this.ended.size === this.count;
  }
}

/** What a sharded run's end comes to: its outcome, the report files made, and the whole run's result (for `--remote`). */
export interface MergedRun {
  result: RunJobResult;
  files: { name: string; content: Buffer }[];
  runResult?: RunResult;
}

/**
 * The end of a run whose shards have all ended: its reports made from the shards' event logs (in
 * shard order, undefined where a shard left none), its status, counts, agents and times from the
 * shards' outcomes.
 */
export async function mergeShardedRun(input: {
  runId: string;
  results: readonly RunJobResult[];
  logs: readonly (Buffer | undefined)[];
  /** A shard job's data: the plan (the HTML report names its environment) and the reports the run asked for. */
  job: Pick<RunJobData, 'plan' | 'runReports'> | undefined;
  version: string;
}): Promise<MergedRun> {
  const { results } = input;
  const bailed = results.some((result) => result.bailed === true);
  const problems: string[] = [];
  for (const result of results) {
    if (result.message !== undefined && result.status !== 'passed' && result.status !== 'failed') {
      // A shard the bail stopped says "cancelled while it ran": not news.
      if (!(bailed && result.status === 'cancelled'))
        problems.push(`shard ${(result.shard ?? 0) + 1}/${results.length}: ${result.message}`);
    }
  }
  let runResult: RunResult | undefined;
  let files: { name: string; content: Buffer }[] = [];
  if (input.job !== undefined) {
    const { reporters, made } = reportersFor(input.job.runReports ?? [], input.job.plan as RunPlan, {
      redactor: new Redactor(),
      toolVersion: input.version,
    });
    try {
      runResult = await mergeShards(input.logs, reporters);
      files = [...made].map(([name, content]) => ({ name, content }));
    } catch (error) {
      problems.push(`the shards' reports could not be put together: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (runResult === undefined && input.job === undefined) problems.push("the run's shard jobs are gone: its reports cannot be made");
  const counts = emptyCounts();
  for (const result of results) for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += result.counts[key];
  const agents = [...new Set(results.map((result) => result.agent).filter((agent) => agent !== ''))];
  const result: RunJobResult = {
    runId: input.runId,
    agent: agents.join(', '),
    status: statusOf(results, bailed, runResult),
    counts,
    startedAt: Math.min(...results.map((one) => one.startedAt)),
    endedAt: Math.max(...results.map((one) => one.endedAt)),
    reports: files.map(({ name }) => name),
  };
  if (problems.length > 0) result.message = problems.join('; ');
  if (bailed) result.bailed = true;
  const merged: MergedRun = { result, files };
  if (runResult !== undefined) merged.runResult = runResult;
  return merged;
}

/**
 * The split run's status: a shard's error, else a cancel (not one a shard's --bail made), else an
 * interruption, else the merged run's result.
 */
function statusOf(results: readonly RunJobResult[], bailed: boolean, runResult: RunResult | undefined): RunJobResult['status'] {
  const has = (status: RunJobResult['status']) => results.some((result) => result.status === status);
  if (has('error')) return 'error';
  if (has('cancelled') && !bailed) return 'cancelled';
  if (has('interrupted')) return 'interrupted';
  return runResult === undefined ? 'error' : jobStatusOf(runResult);
}

/** A shard's event log from what its agent left in Redis (undefined when there is none). */
export function shardLog(packed: Buffer | null | undefined): Buffer | undefined {
  return packed === null || packed === undefined ? undefined : unpackReport(packed);
}
