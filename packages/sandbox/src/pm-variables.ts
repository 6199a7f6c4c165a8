/**
 * `pm.variables`, `pm.environment`, `pm.globals`, `pm.collectionVariables`, `pm.iterationData`:
 * guest objects whose methods call the host's ScriptVariables. Values cross as JSON. Writes (set,
 * unset, clear) are queued in the guest and sent in one batch: before the next read, before a
 * `pm.sendRequest`, and with the outcome at the end of the run — one host call fewer per write.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-variables/
 */
import type { CurrentRun, HostFunctions } from './host-bridge.js';
import type { CollectionScope, ScriptScope, ScriptVariables } from './types.js';

const SCOPES: ReadonlySet<string> = new Set(['local', 'data', 'scenario', 'environment', 'defaults', 'global']);

/**
 * The scope a guest names. `'collection'` is `pm.collectionVariables`: the scenario's `defaults` (below the
 * environment, as Postman's collection variables are) when the scenario declares them — a converted collection
 * always does — else its `variables` (`'scenario'`), as native scenarios always had it.
 */
function toScope(value: unknown, collectionScope: CollectionScope | undefined): ScriptScope | undefined {
  if (value === 'collection') return collectionScope ?? 'scenario';
  return typeof value === 'string' && SCOPES.has(value) ? (value as ScriptScope) : undefined;
}

function requireScope(value: unknown, collectionScope: CollectionScope | undefined): ScriptScope {
  const scope = toScope(value, collectionScope);
  if (scope === undefined) throw new TypeError(`cannot write to variable scope "${String(value)}"`);
  return scope;
}

/** A queued write: `['set', scope, name, json?]`, `['unset', scope, name]` or `['clear', scope]`. */
export type VariableWrite = [op: string, scope: string, name?: string, json?: string];

/** Applies the guest's queued writes in order; `collectionScope` is where `pm.collectionVariables` writes go (default `'scenario'`). */
export function applyVariableWrites(variables: ScriptVariables, writes: readonly VariableWrite[], collectionScope?: CollectionScope): void {
  for (const [op, scope, name, json] of writes) {
    if (op === 'set') variables.set(requireScope(scope, collectionScope), String(name), json === undefined ? undefined : JSON.parse(json));
    else if (op === 'unset') variables.unset(requireScope(scope, collectionScope), String(name));
    else if (op === 'clear') variables.clear(requireScope(scope, collectionScope));
    else throw new TypeError(`unknown variable operation "${op}"`);
  }
}

/** Host functions behind the variable scopes. */
export function createVariableHostFunctions(currentRun: CurrentRun): HostFunctions {
  const variables = () => currentRun().ctx.variables;
  const collectionScope = () => currentRun().ctx.collectionScope;
  return {
    varWrite: (json) => {
      applyVariableWrites(variables(), JSON.parse(String(json)) as VariableWrite[], collectionScope());
      return undefined;
    },
    varGet: (scope, name) => {
      const value = variables().get(String(name), toScope(scope, collectionScope()));
      return value === undefined ? undefined : JSON.stringify(value);
    },
    varHas: (scope, name) => variables().has(String(name), toScope(scope, collectionScope())),
    varToObject: (scope) => JSON.stringify(variables().toObject(toScope(scope, collectionScope()))),
    // With a scope (pm.environment.replaceIn…): only that scope's variables are replaced.
    replaceIn: (template, scope) =>
      variables().replaceIn(String(template), scope === undefined ? undefined : requireScope(scope, collectionScope())),
  };
}
