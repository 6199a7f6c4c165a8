import type { Scenario } from '@sortie/core';
import type { RunOptions, RunShard, SourceFile } from '../run-options.js';

/** One scenario run of the run: a file, and for data-driven runs its iteration and data row. */
export interface ScenarioRun {
  scenario: SourceFile<Scenario>;
  /** 0-based; undefined when the run is not data-driven. */
  iteration?: number;
  /** The `data` scope of this run. */
  row?: Record<string, unknown>;
}

/** The scenario runs of a run, computed on demand so 10,000 iterations allocate nothing up front (a row is read when its run is asked for). */
export interface ScenarioRunPlan {
  count: number;
  at(index: number): ScenarioRun;
  /** The run's place in the whole plan (what `scenario:end` events carry): `index` itself, except in a shard. */
  placeOf(index: number): number;
}

/**
 * Plans the scenario runs: every scenario runs once per iteration-data row, or `iterations` times
 * (cycling through the rows when both are given), or once. Runs are ordered by file, then iteration.
 */
export function planScenarioRuns(options: Pick<RunOptions, 'scenarios' | 'iterationData' | 'iterations' | 'shard'>): ScenarioRunPlan {
  const whole = planAllScenarioRuns(options);
  return options.shard === undefined ? whole : shardOf(whole, options.shard);
}

/**
 * The scenario runs of one shard: every `count`-th run of the whole plan from `index` on (runs 0, 2,
 * 4, … and 1, 3, 5, … for two shards), so each shard gets its share of every file and of the data
 * rows. Each keeps its iteration, data row and place in the whole plan: the shards' reports merge
 * into the report of the whole run.
 */
function shardOf(whole: ScenarioRunPlan, shard: RunShard): ScenarioRunPlan {
  const place = (index: number) => shard.index + index * shard.count;
  return {
    count: Math.max(0, Math.ceil((whole.count - shard.index) / shard.count)),
    at: (index) => whole.at(place(index)),
    placeOf: place,
  };
}

function planAllScenarioRuns(options: Pick<RunOptions, 'scenarios' | 'iterationData' | 'iterations'>): ScenarioRunPlan {
  const rows = options.iterationData !== undefined && options.iterationData.length > 0 ? options.iterationData : undefined;
  const dataDriven = rows !== undefined || options.iterations !== undefined;
  const perFile = options.iterations ?? rows?.length ?? 1;
  return {
    count: options.scenarios.length * perFile,
    at(index) {
      const scenario = options.scenarios[Math.floor(index / perFile)]!;
      if (!dataDriven) return { scenario };
      const iteration = index % perFile;
      return rows === undefined ? { scenario, iteration } : { scenario, iteration, row: rows.at(iteration % rows.length)! };
    },
    placeOf: (index) => index,
  };
}

/** The key of a scenario run in step events: the file, plus `#<iteration>` (as reporters' formatScenarioKey). */
export function formatRunKey(file: string, iteration: number | undefined): string {
  return iteration === undefined ? file : `${file}#${iteration}`;
}
