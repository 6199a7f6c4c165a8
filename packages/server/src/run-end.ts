import type { RunJobResult } from '@sortie/agent';
import type { RunRecord } from './store/store.js';

/** The `end` entry of a run that ended without its agent writing one. */
export function endResult(run: RunRecord): RunJobResult {
  const result: RunJobResult = {
    runId: run.id,
    agent: run.agent ?? '',
    status: run.status === 'queued' || run.status === 'running' ? 'error' : run.status,
    counts: run.counts ?? { scenarios: 0, steps: 0, requests: 0, passed: 0, failed: 0, errored: 0, skipped: 0 },
    startedAt: run.startedAt ?? run.createdAt,
    endedAt: run.endedAt ?? Date.now(),
    reports: [],
  };
  if (run.message !== undefined) result.message = run.message;
  return result;
}
