/**
 * A value set from a script, as JSON. One JSON cannot write (undefined, a function, a symbol) is stored as null,
 * as Newman stores it: `has` is true, `get` gives null and `{{name}}` renders "null".
 */
function encodeVariable(value) {
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : json;
}
function decodeVariable(json) {
  return json === undefined ? undefined : JSON.parse(json);
}
/** Sends the queued variable writes of the current run to the host (before anything that reads variables). */
function flushVariableWrites() {
  if (run === null || run.writes.length === 0) return;
  const writes = run.writes;
  run.writes = [];
  host.varWrite(JSON.stringify(writes));
}
function queueVariableWrite(write) {
  if (run !== null) run.writes.push(write);
}
function createVariableScope(scope, setScope, label) {
  const readOnly = setScope === '';
  function write() {
    if (readOnly) throw new TypeError(label + ' is read-only');
  }
  function read() {
    flushVariableWrites();
    return scope;
  }
  return {
    get: (name) => decodeVariable(host.varGet(read(), String(name))),
    set: (name, value) => {
      write();
      queueVariableWrite(['set', setScope, String(name), encodeVariable(value)]);
    },
    unset: (name) => {
      write();
      queueVariableWrite(['unset', setScope, String(name)]);
    },
    has: (name) => host.varHas(read(), String(name)),
    clear: () => {
      write();
      queueVariableWrite(['clear', setScope]);
    },
    toObject: () => JSON.parse(host.varToObject(read())),
    toJSON: () => JSON.parse(host.varToObject(read())),
    replaceIn: (template) => {
      flushVariableWrites();
      // A scope's replaceIn (pm.environment, pm.globals…) replaces only that scope's variables: the host renders it.
      return scope === '' ? host.replaceIn(String(template)) : host.replaceIn(String(template), scope);
    },
  };
}
function createVariableScopes() {
  return {
    variables: createVariableScope('', 'local', 'pm.variables'),
    environment: createVariableScope('environment', 'environment', 'pm.environment'),
    globals: createVariableScope('global', 'global', 'pm.globals'),
    // 'collection': the host maps it onto the scenario's defaults or variables (ScriptContext.collectionScope).
    collectionVariables: createVariableScope('collection', 'collection', 'pm.collectionVariables'),
    // Writable as in postman-sandbox: what a script sets or unsets lasts until the script ends (the host restores the row).
    iterationData: createVariableScope('data', 'data', 'pm.iterationData'),
  };
}
