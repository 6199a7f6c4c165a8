/**
 * A run split into shards (`sortie run --remote --shards`): each shard's events recorded as an event
 * log, then replayed into the run's reporters one shard after the other (mergeShards), make the same
 * JSON, JUnit and HTML reports as the events of one run of the whole plan.
 */
import { Redactor, type RunEvent, type RunResult } from '@sortie/core';
import { normaliseReport } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import {
  createEventLogReporter,
  createHtmlReporter,
  createJsonReporter,
  createJunitReporter,
  dispatchEvent,
  mergeRunResults,
  mergeShards,
  readEventLog,
} from '../src/index.js';
import { feed } from './support/drive.js';
import { failedAssertion, placed, requestStep, type ScenarioPlan, sequentialRun, T0 } from './support/events.js';
import { iterationPlan } from './support/plans.js';

/** Row 3 fails; the others pass. */
function plans(): ScenarioPlan[] {
  return Array.from({ length: 7 }, (_, iteration) => {
    if (iteration !== 3) return iterationPlan(iteration);
    const failed = requestStep({ id: '0', name: 'row 3', url: 'http://127.0.0.1:4010/rows/3', status: 'failed' });
    failed.assertions = [failedAssertion('status', 'equals', 200, 500, 'expected 200, got 500')];
    return { ...iterationPlan(iteration), steps: [failed] };
  });
}

/** The events of the runs `places` of the plan, as the engine sends them with keepResults 'problems'. */
function runEvents(all: ScenarioPlan[], places: number[]): RunEvent[] {
  return placed(sequentialRun(places.map((place) => all[place] as ScenarioPlan)), places);
}

async function eventLog(events: RunEvent[], redactor?: Redactor): Promise<Buffer> {
  let log: Buffer | undefined;
  await feed(createEventLogReporter({ ...(redactor === undefined ? {} : { redactor }), onReport: (content) => (log = content) }), events);
  return log as Buffer;
}

/** The three file reports, in memory, of events fed in (`events`) or of shard logs merged (`logs`). */
async function reports(source: { events: RunEvent[] } | { logs: Buffer[] }): Promise<{ json: string; junit: string; html: string }> {
  const made: Record<string, string> = {};
  const options = (name: string) => ({
    file: name,
    toolVersion: '1.2.3',
    onReport: (content: Buffer) => (made[name] = content.toString()),
  });
  const reporters = [createJsonReporter(options('json')), createJunitReporter(options('junit')), createHtmlReporter(options('html'))];
  if ('events' in source) {
    for (const reporter of reporters) await feed(reporter, source.events);
  } else {
    await mergeShards(source.logs, reporters);
  }
  return { json: made.json as string, junit: made.junit as string, html: made.html as string };
}

describe('mergeShards', () => {
  it.each([1, 2, 3, 7, 9])('%i shards make the reports of the whole run, in the plan order', async (count) => {
    const all = plans();
    const whole = runEvents(
      all,
      all.map((_, place) => place),
    );
    const logs = await Promise.all(
      Array.from({ length: count }, (_, shard) =>
        eventLog(
          runEvents(
            all,
            all.map((_, place) => place).filter((place) => place % count === shard),
          ),
        ),
      ),
    );
    const [merged, expected] = [await reports({ logs }), await reports({ events: whole })];
    // The scenario runs' own times differ (a shard's runs started at other moments): compared without times.
    expect(normaliseReport(merged.json)).toBe(normaliseReport(expected.json));
    const json = JSON.parse(merged.json) as { status: string; totals: { failed: number }; scenarios: { iteration: number }[] };
    expect(json.scenarios.map((run) => run.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(json).toMatchObject({ status: 'failed', totals: { failed: 1 } });
    const untimed = (text: string) =>
      text.replace(/ time="[\d.]+"| timestamp="[^"]+"/g, '').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|[\d.]+ (ms|s)\b/g, 'T');
    expect(untimed(merged.junit)).toBe(untimed(expected.junit));
    expect(untimed(merged.html)).toBe(untimed(expected.html));
  });

  it('resolves with undefined and writes nothing when no shard left a log', async () => {
    let written = false;
    const reporter = createJsonReporter({ file: 'x', onReport: () => (written = true) });
    expect(await mergeShards([undefined, Buffer.alloc(0)], [reporter])).toBeUndefined();
    expect(written).toBe(false);
  });

  it('rejects a log that is not an event log, or one cut before its run:end', async () => {
    await expect(mergeShards(['{"type":"scenario:start"}\n'], [])).rejects.toThrow(/does not start with run:start/);
    await expect(mergeShards(['not json\n'], [])).rejects.toThrow(SyntaxError);
    const cut = (await eventLog(sequentialRun([iterationPlan(0)]))).toString().split('\n').slice(0, -2).join('\n');
    await expect(mergeShards([cut], [])).rejects.toThrow(/no run:end/);
  });
});

describe('createEventLogReporter', () => {
  it('redacts, at the end, a secret the run learned after an event that holds it was recorded', async () => {
    const redactor = new Redactor();
    const events = sequentialRun([iterationPlan(0)]);
    let log: Buffer | undefined;
    const reporter = createEventLogReporter({ redactor, onReport: (content) => (log = content) });
    const secret = 'rows/0';
    for (const event of events) {
      // Learned at the end of the run: the step events recorded before hold it as they were.
      if (event.type === 'run:end') redactor.add(secret);
      dispatchEvent([reporter], event);
    }
    await reporter.close?.();
    const text = (log as Buffer).toString();
    expect(text).not.toContain(secret);
    expect([...readEventLog(text)].map((event) => event.type)).toEqual(['run:start', ...events.slice(1, -1).map((e) => e.type), 'run:end']);
  });
});

describe('mergeRunResults', () => {
  const result = (over: Partial<RunResult>): RunResult => ({
    status: 'passed',
    startedAt: T0,
    durationMs: 100,
    totals: { steps: 1, requests: 1, assertions: 1, failedAssertions: 0, passed: 1, failed: 0, errors: 0, skipped: 0 },
    scenarios: [],
    ...over,
  });

  it('sums the totals and the runs left out, from the first start to the last end, with the worst status', () => {
    const merged = mergeRunResults([
      result({ startedAt: T0 + 50, durationMs: 500, omittedScenarios: 1, omittedCounts: { passed: 1, skipped: 0, teardowns: 0 } }),
      result({ status: 'failed', omittedScenarios: 2, omittedCounts: { passed: 1, skipped: 1, teardowns: 1 } }),
    ]);
    expect(merged).toMatchObject({ status: 'failed', startedAt: T0, durationMs: 550, omittedScenarios: 3 });
    expect(merged.omittedCounts).toEqual({ passed: 2, skipped: 1, teardowns: 1 });
    expect(merged.totals).toMatchObject({ steps: 2, requests: 2, passed: 2 });
  });

  it('is interrupted when a shard was, unless an other shard bailed (it stopped them)', () => {
    expect(mergeRunResults([result({}), result({ status: 'interrupted' })]).status).toBe('interrupted');
    const bailed = mergeRunResults([result({ status: 'failed', bailed: true }), result({ status: 'interrupted' })]);
    expect(bailed).toMatchObject({ status: 'failed', bailed: true });
  });

  it('says the run timed out when a shard reached the time limit, and not when it was only interrupted', () => {
    const timedOut = mergeRunResults([result({ status: 'interrupted', timedOut: true }), result({ status: 'interrupted' })]);
    expect(timedOut).toMatchObject({ status: 'interrupted', timedOut: true });
    expect(mergeRunResults([result({}), result({ status: 'interrupted' })]).timedOut).toBeUndefined();
  });

  it('says the run was cancelled when its shards were (a split run cancelled on the server said INTERRUPTED)', () => {
    const cancelled = mergeRunResults([
      result({ status: 'interrupted', cancelled: true }),
      result({ status: 'interrupted', cancelled: true }),
    ]);
    expect(cancelled).toMatchObject({ status: 'interrupted', cancelled: true });
    expect(mergeRunResults([result({}), result({ status: 'interrupted' })]).cancelled).toBeUndefined();
  });
});
