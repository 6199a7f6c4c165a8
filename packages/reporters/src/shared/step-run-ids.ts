/**
 * The run ids of one scenario run's steps: a step's id, unique in the scenario run although a step
 * that `setNextRequest` runs again keeps its step id. A step's second run in its list is
 * `<step id>~2`, its third `~3`…, and the steps inside a container's later run carry that run's id
 * in front (`1~2.0`). A run with no jump back gets the plain ids. The JSON report's step ids, the
 * JUnit test case names of runs again and the HTML anchors (`<prefix>.<run id>`) all come from here.
 *
 * Memory: the steps open now, and for each list that jumped back, a count per step run again (at
 * most the steps written in that list), whatever the number of steps.
 */
import type { StepKind, StepResult } from '@sortie/core';

interface ListState {
  /** The highest step index seen in this list. */
  last: number;
  /** Runs of the steps run again (set on the list's first jump back). */
  runs?: Map<number, number>;
}

export class StepRunIds {
  /** Run ids of the steps started and not ended, by step id. */
  readonly #open = new Map<string, string>();
  /** Lists of the open containers (`''` the scenario's), by their container's step id. */
  readonly #lists = new Map<string, ListState>();

  /** The run id of a step that starts (the same one until it ends). */
  start(id: string, kind: StepKind): string {
    const known = this.#open.get(id);
    if (known !== undefined) return known;
    const cut = id.lastIndexOf('.');
    const list = cut === -1 ? '' : id.slice(0, cut);
    const segment = id.slice(cut + 1);
    // A loop's pass never runs again in one run of its loop: its list keeps no count.
    const run = kind === 'iteration' ? 1 : this.#countRun(list, segment);
    const own = `${segment}${run === 1 ? '' : `~${run}`}`;
    const runId = list === '' ? own : `${this.#runIdOf(list)}.${own}`;
    this.#open.set(id, runId);
    return runId;
  }

  /** A step ends: its run id, forgotten with the lists inside it. */
  end(id: string, kind: StepKind): string {
    const runId = this.start(id, kind);
    this.#open.delete(id);
    for (const list of this.#lists.keys()) if (list === id || list.startsWith(`${id}.`)) this.#lists.delete(list);
    return runId;
  }

  /**
   * A step that ended with its run id as `id`, and the steps nested in it (which came in no event of
   * their own) with theirs; the result itself when no id changes.
   */
  endNested(result: StepResult): StepResult {
    const id = this.start(result.id, result.kind);
    const nested = result.children?.map((child) => this.endNested(child));
    this.end(result.id, result.kind);
    const changed = nested?.some((child, index) => child !== result.children?.[index]) === true;
    if (id === result.id && !changed) return result;
    return nested === undefined ? { ...result, id } : { ...result, id, children: nested };
  }

  /** The run id of a list's container: an open step's, else built from the nearest open step around it. */
  #runIdOf(list: string): string {
    for (let cut = list.length; cut > 0; cut = list.lastIndexOf('.', cut - 1)) {
      const open = this.#open.get(list.slice(0, cut));
      if (open !== undefined) return `${open}${list.slice(cut)}`;
    }
    return list;
  }

  /** How many times the step at `segment` of `list` has run, counting this one (1 unless the list jumped back to it). */
  #countRun(list: string, segment: string): number {
    const index = /^\d+$/.test(segment) ? Number(segment) : undefined;
    if (index === undefined) return 1;
    const state = this.#lists.get(list);
    if (state === undefined) {
      this.#lists.set(list, { last: index });
      return 1;
    }
    if (index > state.last) {
      state.last = index;
      return 1;
    }
    state.runs ??= new Map();
    const run = (state.runs.get(index) ?? 1) + 1;
    state.runs.set(index, run);
    return run;
  }
}
