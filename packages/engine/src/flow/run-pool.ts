import { letSignalsIn, shouldLetSignalsIn } from './let-signals-in.js';

/**
 * Runs `count` jobs with at most `concurrency` at a time, in index order of starting. A job resolving
 * `true` stops new jobs from starting (running ones finish). Resolves when every started job is done.
 */
export async function runPool(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<boolean>,
  signal?: AbortSignal,
  /** Asked before each job starts: true stops the pool as a job's own bail does. */
  isStopped = (): boolean => false,
): Promise<void> {
  let next = 0;
  let stopped = false;
  const mayStart = (): boolean => !stopped && next < count && signal?.aborted !== true && !isStopped();
  const worker = async (): Promise<void> => {
    while (mayStart()) {
      // A signal or --timeout is seen between two jobs even when the jobs do no I/O (see let-signals-in.ts).
      if (shouldLetSignalsIn()) {
        await letSignalsIn();
        if (!mayStart()) break;
      }
      const index = next++;
      if (await job(index)) stopped = true;
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency), count));
  await Promise.all(Array.from({ length: workers }, worker));
}
