/**
 * `pm.variables`, `pm.environment`, `pm.globals`, `pm.collectionVariables`, `pm.iterationData`:
 * guest objects whose methods call the host's ScriptVariables. Values cross as JSON.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-reference/pm-variables/
 */
import type { CurrentRun, HostFunctions } from './host-bridge.js';
import type { ScriptScope } from './types.js';

/** Guest source: `createVariableScope(scope, setScope, label)`; scope '' is the merged view. */
export const PM_VARIABLES_SOURCE = `
function encodeVariable(value) {
  return value === undefined ? undefined : JSON.stringify(value);
}
function decodeVariable(json) {
  return json === undefined ? undefined : JSON.parse(json);
}
function createVariableScope(scope, setScope, label) {
  const readOnly = setScope === '';
  function write() {
    if (readOnly) throw new TypeError(label + ' is read-only');
  }
  return {
    get: (name) => decodeVariable(host.varGet(scope, String(name))),
    set: (name, value) => { write(); host.varSet(setScope, String(name), encodeVariable(value)); },
    unset: (name) => { write(); host.varUnset(setScope, String(name)); },
    has: (name) => host.varHas(scope, String(name)),
    clear: () => { write(); host.varClear(setScope); },
    toObject: () => JSON.parse(host.varToObject(scope)),
    toJSON: () => JSON.parse(host.varToObject(scope)),
    replaceIn: (template) => host.replaceIn(String(template)),
  };
}
function createVariableScopes() {
  return {
    variables: createVariableScope('', 'local', 'pm.variables'),
    environment: createVariableScope('environment', 'environment', 'pm.environment'),
    globals: createVariableScope('global', 'global', 'pm.globals'),
    collectionVariables: createVariableScope('scenario', 'scenario', 'pm.collectionVariables'),
    iterationData: createVariableScope('data', '', 'pm.iterationData'),
  };
}
`;

const SCOPES: ReadonlySet<string> = new Set(['local', 'data', 'scenario', 'environment', 'global']);

function toScope(value: unknown): ScriptScope | undefined {
  return typeof value === 'string' && SCOPES.has(value) ? (value as ScriptScope) : undefined;
}

function requireScope(value: unknown): ScriptScope {
  const scope = toScope(value);
  if (scope === undefined || scope === 'data') throw new TypeError(`cannot write to variable scope "${String(value)}"`);
  return scope;
}

/** Host functions behind the variable scopes. */
export function createVariableHostFunctions(currentRun: CurrentRun): HostFunctions {
  const variables = () => currentRun().ctx.variables;
  return {
    varGet: (scope, name) => {
      const value = variables().get(String(name), toScope(scope));
      return value === undefined ? undefined : JSON.stringify(value);
    },
    varSet: (scope, name, json) => {
      variables().set(requireScope(scope), String(name), json === undefined ? undefined : JSON.parse(String(json)));
      return undefined;
    },
    varUnset: (scope, name) => {
      variables().unset(requireScope(scope), String(name));
      return undefined;
    },
    varHas: (scope, name) => variables().has(String(name), toScope(scope)),
    varClear: (scope) => {
      variables().clear(requireScope(scope));
      return undefined;
    },
    varToObject: (scope) => JSON.stringify(variables().toObject(toScope(scope))),
    replaceIn: (template) => variables().replaceIn(String(template)),
  };
}
