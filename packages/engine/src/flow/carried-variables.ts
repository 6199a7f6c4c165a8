import type { Scenario } from '@sortie/core';
import type { ScopeName, Variables } from '@sortie/template';
import type { SourceFile } from '../run-options.js';

/** The scopes a scenario run owns (the data row's scope is its own, environment and globals are shared anyway). */
const CARRIED_SCOPES: readonly ScopeName[] = ['local', 'scenario', 'defaults'];

type Saved = Partial<Record<ScopeName, Record<string, unknown>>>;

/**
 * Newman's iterations share a collection's variables and the local ones: what `pm.collectionVariables.set`
 * or `pm.variables.set` stored in one iteration, the next one sees. A scenario with
 * `options.carryVariables` (every Postman collection) runs the same way: each of its runs starts with
 * the local, scenario and defaults scopes the last run of that scenario to end left. Runs side by side
 * (`--parallel`) each start from the last one that ended before them; a shard of `--remote --shards`
 * carries its own runs' variables.
 */
export class CarriedVariables {
  readonly #saved = new Map<SourceFile<Scenario>, Saved>();

  /** Puts what the scenario's last run left in place of what the scenario declares (after its variables were set). */
  restore(scenario: SourceFile<Scenario>, vars: Variables): void {
    const saved = carries(scenario) ? this.#saved.get(scenario) : undefined;
    if (saved === undefined) return;
    for (const scope of CARRIED_SCOPES) {
      vars.clear(scope);
      for (const [name, value] of Object.entries(saved[scope] ?? {})) vars.set(scope, name, value);
    }
  }

  /** Keeps what a run of the scenario left, for its next run. */
  save(scenario: SourceFile<Scenario>, vars: Variables): void {
    if (!carries(scenario)) return;
    this.#saved.set(scenario, Object.fromEntries(CARRIED_SCOPES.map((scope) => [scope, vars.toObject(scope)])));
  }
}

function carries(scenario: SourceFile<Scenario>): boolean {
  return scenario.value.options?.carryVariables === true;
}
