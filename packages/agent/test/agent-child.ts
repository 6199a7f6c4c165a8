/**
 * An agent in a process of its own, for the tests that kill one. Its executor takes `delayMs` from
 * the plan, emits a few events, writes a report and passes. Prints "ready" once it is listening.
 */
import { RunCancelled } from '@sortie/core';
import { startAgent } from '../src/agent.js';

const [redis, name, lockMs, pool = 'default'] = process.argv.slice(2) as [string, string, string, string?];
const agent = await startAgent({
  redis,
  name,
  pool,
  version: 'test',
  lockDurationMs: Number(lockMs),
  heartbeatMs: 100,
  execute: async (job, context) => {
    const { delayMs } = job.plan as { delayMs: number };
    context.onEvent({ type: 'run:start', agent: context.agent, attempt: context.attempt });
    const ended = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(true), delayMs);
      context.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    const report = Buffer.from(JSON.stringify({ by: context.agent, attempt: context.attempt }));
    const status = ended ? 'passed' : context.signal.reason instanceof RunCancelled ? 'cancelled' : 'interrupted';
    return {
      status,
      counts: { scenarios: 1, steps: 1, requests: 1, passed: ended ? 1 : 0, failed: 0, errored: 0, skipped: ended ? 0 : 1 },
      reports: new Map([['report.json', report]]),
    };
  },
});
process.on('SIGTERM', () => {
  agent.stop(Number(process.env.GRACE_MS ?? 30_000)).then(() => process.exit(0));
});
process.stdout.write('ready\n');
