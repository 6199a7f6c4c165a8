/**
 * The `pm` object of one run (info, variables, request, response, cookies, test, expect,
 * sendRequest, visualizer, execution, require) and the legacy `postman` object.
 *
 * @see https://learning.postman.com/docs/tests-and-scripts/write-scripts/postman-sandbox-api-reference/
 */

/** Guest source: `createPm(run)`, `createPostman(pm)`. */
export const PM_OBJECT_SOURCE = String.raw`
function createPm(run) {
  const ctx = run.ctx;
  const scopes = createVariableScopes();
  const setNextRequest = (name) => {
    run.hasNext = true;
    run.nextRequest = name === null || name === undefined ? null : String(name);
  };
  const pm = {
    info: Object.freeze({
      eventName: ctx.eventName, iteration: ctx.iteration, iterationCount: ctx.iterationCount,
      requestName: ctx.requestName, requestId: ctx.requestId,
    }),
    variables: scopes.variables,
    environment: scopes.environment,
    globals: scopes.globals,
    collectionVariables: scopes.collectionVariables,
    iterationData: scopes.iterationData,
    request: run.request,
    response: run.response,
    cookies: createCookies(ctx.cookies || {}),
    test: createTest(run),
    sendRequest: createSendRequest(),
    visualizer: {
      set: (template, data) => { run.visualizer = { template: String(template), data }; },
      clear: () => { run.visualizer = undefined; },
    },
    execution: {
      skipRequest: () => { if (ctx.eventName === 'prerequest') run.skipRequest = true; },
      setNextRequest,
      location: Object.freeze([ctx.requestName]),
    },
    require: requireModule,
  };
  Object.defineProperty(pm, 'expect', { enumerable: true, get: () => loadChai().expect });
  return pm;
}
function createPostman(pm) {
  return {
    setNextRequest: pm.execution.setNextRequest,
    getEnvironmentVariable: (name) => pm.environment.get(name),
    setEnvironmentVariable: (name, value) => pm.environment.set(name, value),
    clearEnvironmentVariable: (name) => pm.environment.unset(name),
    getGlobalVariable: (name) => pm.globals.get(name),
    setGlobalVariable: (name, value) => pm.globals.set(name, value),
    clearGlobalVariable: (name) => pm.globals.unset(name),
    getVariable: (name) => pm.variables.get(name),
  };
}
`;
