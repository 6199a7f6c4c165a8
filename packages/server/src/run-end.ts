import { emptyCounts, type RunJobResult } from '@sortie/agent';
import type { RunRecord } from './store/store.js';

/** The `end` entry of a run that ended without its agent writing one. */
export function endResult(run: RunRecord): RunJobResult {
  const result: RunJobResult = {
    runId: run.id,
    agent: run.agent ?? '',
    status: run.status === 'queued' || run.status === 'running' ? 'error' : run.status,
    counts: run.counts ?? emptyCounts(),
    startedAt: run.startedAt ?? run.createdAt,
    endedAt: run.endedAt ?? Date.now(),
    reports: [],
  };
  if (run.message !== undefined) result.message = run.message;
  return result;
}
