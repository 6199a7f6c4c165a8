/**
 * The element ids of a page's scenario runs, unique in the page. `formatScenarioAnchor` keeps only
 * letters, digits, `_` and `-` of a scenario key, so different files can make the same id
 * (`a b.json` and `a-b.json` are both `s-a-b-json`): their sections, the index's links, the
 * scenario filter and every step anchor then pointed at the first file only. A run whose id is
 * taken by another run's gets `~2`, `~3`… (`~` is never in a formatted anchor), in the order the
 * page first asks for them; a scenario run keeps one id however often it is asked for.
 */
import type { RunHookName } from '@sortie/core';
import { formatScenarioKey } from '../shared/scenario-key.js';

export class ScenarioAnchors {
  readonly #prefix: string;
  readonly #byRun = new Map<string, string>();
  readonly #taken = new Set<string>();

  /** `prefix` goes before every id (the dashboard's live page: `live-`). */
  constructor(prefix = '') {
    this.#prefix = prefix;
  }

  /** The id of a scenario run. */
  of(scenario: { file: string; iteration?: number; hook?: RunHookName }): string {
    return this.forKey(formatScenarioKey(scenario.file, scenario.iteration), scenario.hook);
  }

  /** The id of a scenario run by its key (`file` or `file#iteration`) and project hook. */
  forKey(key: string, hook?: RunHookName): string {
    const run = `${hook ?? ''}\u0000${key}`;
    const known = this.#byRun.get(run);
    if (known !== undefined) return known;
    const base = `${this.#prefix}${formatScenarioAnchor(key, hook)}`;
    let anchor = base;
    for (let n = 2; this.#taken.has(anchor); n++) anchor = `${base}~${n}`;
    this.#byRun.set(run, anchor);
    this.#taken.add(anchor);
    return anchor;
  }

  /** Forgets every id (a run that starts again from the beginning). */
  clear(): void {
    this.#byRun.clear();
    this.#taken.clear();
  }
}

/**
 * The element id (and anchor prefix of its steps) of a scenario key (`file` or `file#iteration`); a project hook's starts with the
 * hook (both may be in the project file). Letters and digits of every script are kept (an id and a
 * fragment may hold them): with only ASCII kept, `用户.json` and `订单.json` were both `s--json`.
 * Different keys can still make the same id: a page takes its ids from `ScenarioAnchors`.
 */
function formatScenarioAnchor(key: string, hook?: RunHookName): string {
  return `s-${hook === undefined ? '' : `${hook}-`}${key.replace(/[^\p{L}\p{N}\p{M}_-]+/gu, '-')}`;
}
