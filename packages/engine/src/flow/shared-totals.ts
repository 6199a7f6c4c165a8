import type { ScenarioResult, Totals } from '@sortie/core';

/** Distinct totals kept for sharing; past this many, a result keeps its own object. */
const MAX_SHARED = 1024;

/**
 * One Totals object for the finished scenario runs that counted alike. The run keeps every
 * ScenarioResult until it ends (RunResult.scenarios), and the iterations of a data-driven run mostly
 * count alike: 100,000 rows held 100,000 equal Totals objects, 8 MB of the heap (heap snapshot,
 * BENCHMARKS.md 2026-12-03). A shared object is frozen: a result's totals are only read once its
 * scenario:end has gone out (sums are made into fresh objects, see addTotals).
 */
export class SharedTotals {
  readonly #known = new Map<string, Totals>();

  /** Gives `result` the shared object equal to its totals (the first one seen becomes the shared one). */
  share(result: ScenarioResult): void {
    const t = result.totals;
    const key = `${t.steps},${t.requests},${t.assertions},${t.failedAssertions},${t.passed},${t.failed},${t.errors},${t.skipped},${t.flaky}`;
    const known = this.#known.get(key);
    if (known !== undefined) {
      result.totals = known;
    } else if (this.#known.size < MAX_SHARED) {
      this.#known.set(key, Object.freeze(t));
    }
  }
}
