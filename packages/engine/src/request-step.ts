import {
  ErrorCode,
  type HttpResponse,
  type PreparedRequest,
  type RequestStep,
  type Retry,
  SENSITIVE_HEADERS,
  SortieError,
  type StepResult,
  toErrorInfo,
} from '@sortie/core';
import { answerChallenge, authorize } from './auth/apply-auth.js';
import { type ResolvedAuth, resolveAuth } from './auth/resolve-auth.js';
import type { ScenarioContext } from './context.js';
import { finishLeafStep } from './finish-step.js';
import { sendWithRetry } from './flow/retry.js';
import { startResult } from './flow/step-results.js';
import { prepareRequest } from './prepare-request.js';
import { createProcessorState } from './processor-state.js';
import { runProcessors } from './processors.js';
import { recordRequest, recordResponse } from './records.js';
import { toScriptRequest } from './scripts/run-script.js';
import { applyScriptRequest, draftScriptRequest, hasScripts, needsCookies } from './scripts/script-request.js';
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
  const limit = ctx.options.maxBodyInReport;
  let request: PreparedRequest | undefined;
  try {
    // 1–2. resolve variables, run pre-processors (a pre-request script sees and may change the request)
    let spec = step.request;
    if (hasScripts(step.pre)) state.request = draftScriptRequest(spec);
    state.phase = 'prerequest';
    await runProcessors(step.pre, state, ctx);
    if (state.skip) return finishLeafStep(result, state, started, { status: 'skipped' });
    if (state.requestChanged && state.request !== undefined) spec = applyScriptRequest(spec, state.request);
    // 3. build the request
    const unsigned = await prepareRequest(spec, ctx);
    request = unsigned;
    // 4. the auth-state manager attaches credentials (or a signing scheme signs the final bytes)
    const auth = resolveAuth(spec, place.auth, ctx);
    if (auth !== undefined) request = await authorize(auth, unsigned, ctx);
    // 5. send; a rejected credential or an auth challenge is answered once, then the request is resent
    if (ctx.signal?.aborted) throw interrupted();
    registerCredentials(request, ctx);
    let response = await send(request, step.retry ?? ctx.options.retry, result, ctx);
    if (auth !== undefined) {
      const again = await answerChallenge(auth, request, unsigned, response, ctx);
      if (again !== undefined) {
        request = again;
        registerCredentials(request, ctx);
        response = await ctx.http.send(request);
        if (await stillRejected(auth, request, response, ctx)) {
          state.response = response;
          throw new SortieError(
            ErrorCode.AUTH,
            'Credential rejected',
            `the server rejected the credential of auth profile "${auth.name}" again after it was renewed (HTTP ${response.status})`,
            {
              hint: 'check the profile: scopes, audience, or whether this API accepts its tokens',
            },
          );
        }
      }
    }
    state.response = response;
    ctx.lastResponse = response;
    // 6. post-processors in order (extracting a secret registers it, so it is redacted in this step's record too)
    state.phase = 'test';
    if (hasScripts(step.post)) state.request = toScriptRequest(request);
    if (needsCookies(step.post)) state.cookies = await ctx.http.cookiesFor(request.url);
    await runProcessors(step.post, state, ctx);
  } catch (error) {
    result.error = toErrorInfo(error);
  }
  // Records are made (and their bodies cut) here: a body is redacted before it is cut, so no part of a secret survives the cut.
  if (request !== undefined) result.request = recordRequest(request, limit, ctx.redactor);
  if (state.response !== undefined) result.response = recordResponse(state.response, limit, ctx.redactor);
  return finishLeafStep(result, state, started);
}

/** Sends once, or with retries (every attempt recorded in the step result). */
async function send(request: PreparedRequest, retry: Retry | undefined, result: StepResult, ctx: ScenarioContext): Promise<HttpResponse> {
  if (retry === undefined || retry.count === 0) return ctx.http.send(request);
  const outcome = await sendWithRetry((r) => ctx.http.send(r), request, retry, ctx.signal);
  result.attempts = outcome.attempts;
  if (outcome.response === undefined) throw outcome.error;
  return outcome.response;
}

/** After the one resend: an OAuth token rejected again, or a signing scheme answered with 401 again. */
async function stillRejected(auth: ResolvedAuth, request: PreparedRequest, response: HttpResponse, ctx: ScenarioContext): Promise<boolean> {
  if (auth.profile.type === 'oauth2' || auth.profile.type === 'customToken') {
    const manager = await ctx.auth.manager();
    return manager.isRejected(auth.name, auth.profile, response, request);
  }
  return response.status === 401;
}

/**
 * Credentials sent in headers are secrets from now on: the whole header value and the part after
 * the scheme (`Bearer <token>`) are redacted wherever they appear, e.g. echoed in a response body.
 */
function registerCredentials(request: PreparedRequest, ctx: ScenarioContext): void {
  for (const [name, value] of request.headers) {
    if (!SENSITIVE_HEADERS.has(name.toLowerCase())) continue;
    ctx.redactor.add(value);
    const space = value.indexOf(' ');
    if (space > 0) ctx.redactor.add(value.slice(space + 1).trim());
  }
}

function interrupted(): SortieError {
  return new SortieError(ErrorCode.INTERRUPTED, 'Interrupted', 'the run was interrupted before this request was sent');
}
