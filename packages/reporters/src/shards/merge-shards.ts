/**
 * One run's reports from its shards' event logs (`sortie run --remote --shards`). Each shard ran
 * every n-th scenario run of the plan on some agent and recorded its events (createEventLogReporter);
 * replayed one shard after the other into the run's reporters, with one `run:start` and one
 * `run:end` for the whole run, they make the reports a single run of the plan would have made: the
 * `scenario:end` events carry each scenario run's place in the whole plan, and the reporters list
 * the runs in that order.
 */
import { addTotals, emptyTotals, type RunResult, type RunStartEvent, type StepStatus, worstStatus, wrongArgument } from '@sortie/core';
import { closeReporters, dispatchEvent } from '../dispatch.js';
import type { Reporter } from '../reporter.js';
import { readEventLog } from './event-log.js';

/** Events replayed between two turns of the event loop. */
const YIELD_EVERY = 2_000;

/**
 * Replays the shards' event logs (in shard order; undefined for a shard that left none) into
 * `reporters` as one run and closes them. Resolves with the merged run result, or undefined when no
 * shard left a whole log (nothing was written then). Rejects on a log that is not an event log, or
 * when a reporter fails (after closing every reporter).
 */
export async function mergeShards(logs: readonly (Buffer | string | undefined)[], reporters: Reporter[]): Promise<RunResult | undefined> {
  if (!Array.isArray(logs)) throw wrongArgument('mergeShards', 'logs', 'a list of event logs (Buffer, string or undefined)', logs);
  if (!Array.isArray(reporters)) throw wrongArgument('mergeShards', 'reporters', 'a list of reporters', reporters);
  const present = logs.filter((log): log is Buffer | string => log !== undefined && log.length > 0);
  const results: RunResult[] = [];
  try {
    // Each log starts with its run:start; the whole run started with the earliest.
    let first: RunStartEvent | undefined;
    for (const log of present) {
      const start = readEventLog(log).next().value;
      if (start?.type !== 'run:start') throw new Error('an event log does not start with run:start');
      if (first === undefined || start.startedAt < first.startedAt) first = start;
    }
    if (first === undefined) return undefined;
    dispatchEvent(reporters, first);
    let replayed = 0;
    for (const log of present) {
      for (const event of readEventLog(log)) {
        // A server merges while it answers requests: a run of 100,000 scenario runs is some 400,000
        // events, seconds of replay, given back to the event loop in slices.
        if (++replayed % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        if (event.type === 'run:start') continue;
        if (event.type === 'run:end') results.push(event.result);
        else dispatchEvent(reporters, event);
      }
    }
    if (results.length === 0) throw new Error('an event log has no run:end');
    const merged = mergeRunResults(results);
    dispatchEvent(reporters, { type: 'run:end', result: merged });
    return merged;
  } finally {
    await closeReporters(reporters);
  }
}

/**
 * The result of the whole run from its shards' results: totals and the runs left out summed, from
 * the first start to the last end, the worst status. A shard that an other shard's `--bail` stopped
 * ended as interrupted: the run is the bailing shard's failure, not an interruption.
 */
export function mergeRunResults(results: readonly RunResult[]): RunResult {
  const bailed = results.some((result) => result.bailed === true);
  const startedAt = Math.min(...results.map((result) => result.startedAt));
  const endedAt = Math.max(...results.map((result) => result.startedAt + result.durationMs));
  const totals = emptyTotals();
  let status: StepStatus | undefined;
  let interrupted = false;
  let timedOut = false;
  let cancelled = false;
  let omitted: { scenarios: number; passed: number; skipped: number; teardowns: number } | undefined;
  for (const result of results) {
    addTotals(totals, result.totals);
    if (result.timedOut === true) timedOut = true;
    if (result.cancelled === true) cancelled = true;
    if (result.status === 'interrupted') interrupted ||= !bailed;
    else status = status === undefined ? result.status : worstStatus(status, result.status);
    if (result.omittedScenarios !== undefined) {
      omitted ??= { scenarios: 0, passed: 0, skipped: 0, teardowns: 0 };
      omitted.scenarios += result.omittedScenarios;
      omitted.passed += result.omittedCounts?.passed ?? 0;
      omitted.skipped += result.omittedCounts?.skipped ?? 0;
      omitted.teardowns += result.omittedCounts?.teardowns ?? 0;
    }
  }
  const merged: RunResult = {
    status: interrupted ? 'interrupted' : (status ?? 'passed'),
    startedAt,
    durationMs: endedAt - startedAt,
    totals,
    scenarios: results.flatMap((result) => result.scenarios),
  };
  if (omitted !== undefined) {
    merged.omittedScenarios = omitted.scenarios;
    merged.omittedCounts = { passed: omitted.passed, skipped: omitted.skipped, teardowns: omitted.teardowns };
  }
  if (bailed) merged.bailed = true;
  if (interrupted && timedOut) merged.timedOut = true;
  // A cancel stops every shard; one that ended first (its time limit) does not make the run's end a time-out.
  else if (interrupted && cancelled) merged.cancelled = true;
  if (results.some((result) => result.failOnFlaky === true)) merged.failOnFlaky = true;
  return merged;
}
