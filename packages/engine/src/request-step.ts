import {
  type Body,
  describeInterruption,
  ErrorCode,
  type HttpResponse,
  type PreparedRequest,
  type RequestStep,
  type Retry,
  type Scenario,
  SortieError,
  type StepResult,
  sleep,
  toErrorInfo,
} from '@sortie/core';
import type { ScenarioContext } from './context.js';
import { registerJarCookies } from './cookie-secrets.js';
import { finishLeafStep } from './finish-step.js';
import { sendWithRetry } from './flow/retry.js';
import { startResult } from './flow/step-results.js';
import { prepareRequest } from './prepare-request.js';
import { createProcessorState } from './processor-state.js';
import { checkScenarioContract, runProcessors } from './processors.js';
import { locateProfileField } from './profile-locations.js';
import { recordRequest, recordResponse } from './records.js';
import { cutByDeadline } from './run-deadline.js';
import type { SourceFile } from './run-options.js';
import { toScriptRequest } from './scripts/run-script.js';
import { applyScriptRequest, draftScriptRequest, hasScripts, needsCookies, sentScriptForm } from './scripts/script-request.js';
import { readStepCookies } from './step-cookies.js';
import type { StepPlace } from './step-place.js';

export type { StepPlace } from './step-place.js';

/**
 * One request step, shaped like the run cycle in RUN-CYCLE.md:
 * pre-processors → build the request → (auth) → send → post-processors → StepResult.
 * Never throws for the API's behaviour or for a step that cannot run: that is data in the result.
 */
export async function runRequestStep(step: RequestStep, place: StepPlace, ctx: ScenarioContext): Promise<StepResult> {
  const started = performance.now();
  const result = startResult(place, 'request');
  const state = createProcessorState(result);
  // pm.info.requestId of a converted Postman request is the collection item's id, as in Newman.
  if (step.postmanId !== undefined) state.stepId = step.postmanId;
  const retries = { exhausted: false };
  const limit = ctx.options.maxBodyInReport;
  let request: PreparedRequest | undefined;
  // The file whose profiles the request's auth name is looked up in (an error of a profile field points there).
  let authScenario = authScenarioOf(step.request, place, ctx);
  try {
    // 1–2. resolve variables, run pre-processors (a pre-request script sees and may change the request)
    let spec = step.request;
    if (hasScripts(step.pre)) state.request = draftScriptRequest(spec);
    state.phase = 'prerequest';
    await runProcessors(step.pre, state, ctx, 'pre');
    if (state.skip) return finishLeafStep(result, state, started, { status: 'skipped' });
    if (state.requestChanged && state.request !== undefined) spec = applyScriptRequest(spec, state.request);
    // 3. build the request
    const rendered: { body?: Body } = {};
    const unsigned = await prepareRequest(spec, ctx, rendered);
    request = unsigned;
    // 4. the auth session attaches credentials (or a signing scheme signs the final bytes)
    authScenario = authScenarioOf(spec, place, ctx);
    const authorize = () =>
      ctx.auth.authorize(spec.auth ?? place.auth, unsigned, {
        scenario: authScenario.value,
        environment: ctx.environment,
        vars: ctx.vars,
        render: ctx.options.render,
      });
    request = await authorize();
    // 5. send (after --delay-request); a rejected credential or an auth challenge is answered once (the session resends), then it decides
    if (ctx.options.delayRequest !== undefined) await sleep(ctx.options.delayRequest, ctx.signal);
    if (ctx.signal?.aborted) throw interrupted(ctx.signal);
    const response = await send(request, authorize, step.retry ?? ctx.options.retry, result, retries, ctx).catch((error: unknown) => {
      throw cutByDeadline(error, ctx.options.deadline, 'request');
    });
    const answer = await ctx.auth.answer(request, response, (again) => sendCuttable(again, ctx));
    request = answer.request;
    state.response = answer.response;
    await registerJarCookies(ctx.http, request.url, answer.response, ctx.redactor);
    if (answer.warning !== undefined) {
      const message = `${answer.warning.message}: ${answer.warning.hint}`;
      ctx.emit({ type: 'log', level: 'warn', message, scenario: ctx.key, stepId: result.id });
    }
    if (answer.error !== undefined) throw answer.error;
    ctx.lastResponse = answer.response;
    // 6. post-processors in order (extracting a secret registers it, so it is redacted in this step's record too)
    state.phase = 'test';
    // A form body is shown as its fields (pm.request.body.urlencoded / .formdata), variables resolved, as Newman shows it.
    if (hasScripts(step.post)) state.request = toScriptRequest(request, sentScriptForm(rendered.body));
    if (needsCookies(step.post)) state.cookies = await readStepCookies(ctx.http, request.url, answer.response);
    state.sent = { method: request.method, url: request.url };
    await runProcessors(step.post, state, ctx, 'post');
    checkScenarioContract(state, ctx);
  } catch (error) {
    result.error = toErrorInfo(error);
    const profileField = locateProfileField(error, ctx, authScenario);
    if (profileField !== undefined) state.errorLocation = profileField;
  }
  // Records are made (and their bodies cut) here: a body is redacted before it is cut, so no part of a secret survives the cut.
  if (request !== undefined) result.request = recordRequest(request, limit, ctx.redactor);
  if (state.response !== undefined) result.response = recordResponse(state.response, limit, ctx.redactor);
  return finishLeafStep(result, state, started, retries.exhausted ? { notFlaky: true } : {});
}

/** Sends once, or with retries (every attempt recorded in the step result; a signed request signed again for each retry). */
async function send(
  request: PreparedRequest,
  authorizeAgain: () => Promise<PreparedRequest>,
  retry: Retry | undefined,
  result: StepResult,
  retries: { exhausted: boolean },
  ctx: ScenarioContext,
): Promise<HttpResponse> {
  if (retry === undefined || retry.count === 0) return sendCuttable(request, ctx);
  let attempts = 0;
  // A retry of a signed request is signed again (a new nonce, timestamp, Digest count): Hawk and OAuth 1.0a
  // servers refuse a replayed nonce, so resending the first attempt's signature failed every retry.
  const sendAttempt = async (r: PreparedRequest) => {
    attempts += 1;
    return sendCuttable(attempts === 1 || r.resignHop === undefined ? r : await authorizeAgain(), ctx);
  };
  const outcome = await sendWithRetry(sendAttempt, request, retry, ctx.signal);
  result.attempts = outcome.attempts;
  retries.exhausted = outcome.exhausted;
  if (outcome.response === undefined) throw outcome.error;
  return outcome.response;
}

/**
 * Where a request's auth name is declared: its own `auth` in its own file; an inherited one where the
 * place says (an included scenario's step inheriting its caller's choice), else in its own file too.
 */
function authScenarioOf(spec: RequestStep['request'], place: StepPlace, ctx: ScenarioContext): SourceFile<Scenario> {
  return spec.auth === undefined ? (place.authScenario ?? ctx.scenario) : ctx.scenario;
}

/**
 * Sends with the run's signal: an interrupt (Ctrl-C, SIGTERM) cuts the request on its way instead of
 * waiting for it, so the teardowns get their grace period; for a teardown's request the signal is the
 * grace signal, which cuts it when the grace period ends.
 */
function sendCuttable(request: PreparedRequest, ctx: ScenarioContext): Promise<HttpResponse> {
  return ctx.http.send(request, ctx.signal);
}

function interrupted(signal: AbortSignal): SortieError {
  return new SortieError(ErrorCode.INTERRUPTED, 'Interrupted', `${describeInterruption(signal)} before this request was sent`);
}
