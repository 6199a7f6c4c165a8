import { getHeader, type HttpResponse, type PreparedRequest, type ScriptSpec } from '@sortie/core';
import { findLibraryScript } from '@sortie/project';
import type { ScriptForm, ScriptOutcome, ScriptRequest } from '@sortie/sandbox';
import type { ScenarioContext } from '../context.js';
import { normaliseUrl } from '../prepare-request.js';
import { rawBodyLanguage } from './script-request.js';
import { createScriptVariables } from './script-variables.js';

/** One script call: where it runs and what it sees. */
export interface ScriptCall {
  eventName: 'prerequest' | 'test';
  /** Name used for an inline script in errors, e.g. `login.post[2]`. */
  defaultName: string;
  requestName: string;
  requestId: string;
  /** pm.execution.location: the scenario's name, the enclosing groups' names, the step's name. */
  location: string[];
  request?: ScriptRequest;
  response?: HttpResponse;
  cookies?: Record<string, string>;
}

/** Resolves a script (inline, file or library) and runs it in the run's sandbox. Never throws for the script's own errors. */
export async function runScript(
  spec: ScriptSpec,
  call: ScriptCall,
  ctx: ScenarioContext,
): Promise<{ outcome: ScriptOutcome; name: string }> {
  const { source, name, file, args } = await resolveScript(spec, call.defaultName, ctx);
  const sandbox = await ctx.scripts.sandbox.get();
  const scriptContext: Parameters<typeof sandbox.run>[1] = {
    eventName: call.eventName,
    scriptName: name,
    requestName: call.requestName,
    requestId: call.requestId,
    location: call.location,
    iteration: ctx.iteration ?? 0,
    iterationCount: ctx.iterationCount ?? 1,
    variables: createScriptVariables(ctx),
    cookiesFor: (url) => ctx.http.cookiesFor(normaliseUrl(url)),
    sendRequest: (request, signal) =>
      ctx.http.send(toPreparedRequest(request, ctx), ctx.signal === undefined ? signal : AbortSignal.any([signal, ctx.signal])),
  };
  // A scenario declaring `defaults` (every converted Postman collection does) keeps pm.collectionVariables there.
  if (ctx.scenario.value.defaults !== undefined) scriptContext.collectionScope = 'defaults';
  if (file !== undefined) scriptContext.scriptFile = file;
  if (call.request !== undefined) scriptContext.request = call.request;
  if (call.response !== undefined) scriptContext.response = call.response;
  if (call.cookies !== undefined) scriptContext.cookies = call.cookies;
  if (args !== undefined) scriptContext.args = args;
  // An interrupted run stops the script too (a teardown's signal is its grace period's).
  if (ctx.signal !== undefined) scriptContext.signal = ctx.signal;
  // …and so does the run's --timeout, even while the script keeps the thread busy (not in teardowns:
  // their options have no deadline, the grace period's signal bounds them).
  if (ctx.options.deadline !== undefined) scriptContext.deadline = ctx.options.deadline;
  const environmentName = ctx.environment?.name;
  if (environmentName !== undefined) scriptContext.environmentName = environmentName;
  // pm.iterationData.set/unset/clear last until the script ends, as in postman-sandbox (postman-runtime
  // gives every script the data row as it was read): the row is put back afterwards.
  const row = ctx.vars.toObject('data');
  const outcome = await sandbox.run(source, scriptContext).finally(() => restoreScope(ctx, 'data', row));
  // pm.cookies.jar() set/unset/clear go to the run's cookie jar, for the next requests.
  if (outcome.cookieWrites !== undefined) await ctx.http.writeCookies(outcome.cookieWrites);
  return { outcome, name };
}

function restoreScope(ctx: ScenarioContext, scope: 'data', values: Record<string, unknown>): void {
  ctx.vars.clear(scope);
  for (const [name, value] of Object.entries(values)) ctx.vars.set(scope, name, value);
}

async function resolveScript(
  spec: ScriptSpec,
  defaultName: string,
  ctx: ScenarioContext,
): Promise<{ source: string; name: string; file?: string; args: Record<string, unknown> | undefined }> {
  if (typeof spec === 'string') return { source: spec, name: defaultName, args: undefined };
  if (spec.source !== undefined) return { source: spec.source, name: spec.name ?? defaultName, args: undefined };
  if (spec.file !== undefined)
    return { source: await ctx.scripts.readFile(ctx.scenario.dir, spec.file), name: spec.name ?? spec.file, args: undefined };
  const id = spec.use ?? '';
  // The library, the script and its `with` arguments were checked when the run was planned.
  const script = findLibraryScript(ctx.scripts.libraries, id);
  // Named by its id (or `name`), located in its file: `Script "team/boom" failed at libs/team/boom.js:2:29`.
  return { source: script.source, name: spec.name ?? id, file: script.file, args: spec.with ?? {} };
}

/** `pm.sendRequest` goes through the run's HTTP client with the scenario's settings. */
function toPreparedRequest(request: ScriptRequest | string, ctx: ScenarioContext): PreparedRequest {
  const base = {
    timeout: ctx.options.timeoutRequest,
    followRedirects: ctx.options.followRedirects,
    maxRedirects: ctx.options.maxRedirects,
    maxResponseBytes: ctx.options.maxResponseBytes,
  };
  if (typeof request === 'string') return { method: 'GET', url: normaliseUrl(request), headers: [], ...base };
  const prepared: PreparedRequest = {
    method: request.method.toUpperCase(),
    url: normaliseUrl(request.url),
    headers: [...request.headers],
    ...base,
  };
  if (request.body !== undefined && request.body !== '') prepared.body = request.body;
  return prepared;
}

/**
 * The request a test script sees: a sent request, its body as text (bodies that are not text are left
 * out), or as its form fields when `form` is given (Postman's urlencoded / formdata modes).
 */
export function toScriptRequest(request: PreparedRequest, form?: ScriptForm): ScriptRequest {
  const script: ScriptRequest = { method: request.method, url: request.url, headers: [...request.headers] };
  if (form !== undefined) script.form = form;
  else if (typeof request.body === 'string') script.body = request.body;
  else if (request.body !== undefined && isTextual(getHeader(request.headers, 'content-type')))
    script.body = Buffer.from(request.body).toString('utf8');
  if (script.body !== undefined) script.bodyLanguage = rawBodyLanguage(getHeader(request.headers, 'content-type'));
  return script;
}

function isTextual(contentType: string | undefined): boolean {
  return contentType === undefined || /json|xml|text|x-www-form-urlencoded|graphql/i.test(contentType);
}
