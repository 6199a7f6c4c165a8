/**
 * A run result of the engine's keepResults 'problems' lists only the runs that did not simply pass:
 * the file reporters then list every run from the scenario:end events, placed by their `index`, and
 * write the same bytes as from a run result that lists every run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent, RunResult, ScenarioResult } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHtmlReporter } from '../src/index.js';
import { driveCli, driveJson, driveJunit, feed } from './support/drive.js';
import { interleavedRun, placed, sequentialRun } from './support/events.js';
import { iterationPlan, parallelPlans } from './support/plans.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-placed-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function driveHtml(name: string, events: RunEvent[]): Promise<string> {
  const file = join(dir, name, 'report.html');
  await feed(createHtmlReporter({ file, toolVersion: '1.2.3' }), events);
  return readFile(file, 'utf8');
}

describe("reports of a run result of keepResults 'problems'", () => {
  const runs = {
    // The second run ends first (--parallel): the reports keep the planned order.
    interleaved: () => {
      const [alpha, beta] = parallelPlans();
      return interleavedRun(alpha, beta);
    },
    iterations: () => sequentialRun([iterationPlan(0), iterationPlan(1), iterationPlan(2)]),
    // More runs than a chunk of the reporters' per-run numbers holds (1,024), planned in the reverse
    // of the order they ended: every run's place and bytes are found across chunks.
    'many, planned in reverse': (): RunEvent[] => {
      const events = sequentialRun(Array.from({ length: 1_100 }, (_, iteration) => iterationPlan(iteration)));
      const end = events.at(-1) as { type: 'run:end'; result: RunResult };
      return [...events.slice(0, -1), { type: 'run:end', result: { ...end.result, scenarios: end.result.scenarios.toReversed() } }];
    },
    // Runs that end in planned order keep no planned list (the run is its place); the last two swapped
    // fill it in at the first run out of order, after more than a chunk of runs.
    'many, in order': (): RunEvent[] => sequentialRun(Array.from({ length: 1_100 }, (_, iteration) => iterationPlan(iteration))),
    'many, the last two swapped': (): RunEvent[] => {
      const events = sequentialRun(Array.from({ length: 1_100 }, (_, iteration) => iterationPlan(iteration)));
      const end = events.at(-1) as { type: 'run:end'; result: RunResult };
      const order = end.result.scenarios;
      const swapped = [...order.slice(0, -2), order[1_099], order[1_098]] as ScenarioResult[];
      return [...events.slice(0, -1), { type: 'run:end', result: { ...end.result, scenarios: swapped } }];
    },
  };

  it('lists every run of many where it belongs, with its own steps', async () => {
    for (const name of ['many, in order', 'many, the last two swapped', 'many, planned in reverse'] as const) {
      const report = JSON.parse(await driveJson(dir, `${name}-check`, placed(runs[name]()))) as {
        scenarios: Array<{ iteration: number; steps: Array<{ name: string }> }>;
      };
      const expected = Array.from({ length: 1_100 }, (_, iteration) => iteration);
      if (name === 'many, the last two swapped') expected.splice(1_098, 2, 1_099, 1_098);
      if (name === 'many, planned in reverse') expected.reverse();
      expect(report.scenarios.map((scenario) => scenario.iteration)).toEqual(expected);
      // Each run's bytes are its own: its step is named after its row.
      expect(report.scenarios.every((scenario) => scenario.steps[0]?.name === `row ${scenario.iteration}`)).toBe(true);
    }
  }, 30_000);

  for (const [name, events] of Object.entries(runs)) {
    it(`writes the same JSON, JUnit and HTML reports and CLI summary (${name})`, async () => {
      const all = events();
      const problems = placed(events());
      expect((problems.at(-1) as { result: RunResult }).result.omittedScenarios).toBeGreaterThan(0);
      expect(await driveJson(dir, `${name}-problems`, problems)).toBe(await driveJson(dir, `${name}-all`, all));
      expect(await driveJunit(dir, `${name}-problems`, problems)).toBe(await driveJunit(dir, `${name}-all`, all));
      expect(await driveHtml(`${name}-problems`, problems)).toBe(await driveHtml(`${name}-all`, all));
      expect(await driveCli(problems)).toBe(await driveCli(all));
      // 1,100 runs through four reporters: 2–4 s, and on a busy machine more than vitest's default 5 s.
    }, 30_000);
  }

  it('lists a rerun in place of the earlier run of the same index', async () => {
    const events = sequentialRun([iterationPlan(0), iterationPlan(1)]);
    const end = events.at(-1) as { type: 'run:end'; result: RunResult };
    const [first, second] = end.result.scenarios as [ScenarioResult, ScenarioResult];
    const failed: ScenarioResult = { ...first, status: 'failed' };
    // Run 0 failed, run 1 passed, run 0 passed on a rerun: the report lists the rerun first.
    const rerun = events.slice(1, events.findIndex((e) => e.type === 'scenario:end' && e.result === first) + 1);
    const withRerun: RunEvent[] = [
      ...events
        .slice(0, -1)
        .map((e) =>
          e.type === 'scenario:end' ? { ...e, result: e.result === first ? failed : e.result, index: e.result === first ? 0 : 1 } : e,
        ),
      ...rerun.map((e) => (e.type === 'scenario:end' ? { ...e, index: 0 } : e)),
      {
        type: 'run:end',
        result: { ...end.result, scenarios: [], omittedScenarios: 2, omittedCounts: { passed: 2, skipped: 0, teardowns: 0 } },
      },
    ];
    const all: RunEvent[] = [...withRerun.slice(0, -1), { type: 'run:end', result: { ...end.result, scenarios: [first, second] } }];
    expect(await driveJson(dir, 'rerun-problems', withRerun)).toBe(await driveJson(dir, 'rerun-all', all));
    expect(await driveJunit(dir, 'rerun-problems', withRerun)).toBe(await driveJunit(dir, 'rerun-all', all));
  });
});
