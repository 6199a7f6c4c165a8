import { checkValue } from '@sortie/config';
import { describeInterruption, ErrorCode, SortieError, type StepResult, sleep, WaitMillisecondsSchema, type WaitStep } from '@sortie/core';
import { renderValue } from '@sortie/template';
import type { ScenarioContext } from '../context.js';
import { finishLeafStep, type LeafEnd } from '../finish-step.js';
import { createProcessorState } from '../processor-state.js';
import { runProcessors } from '../processors.js';
import type { StepPlace } from '../step-place.js';
import { startResult } from './step-results.js';

/** A `wait` step: pre-processors, then waits the milliseconds given (a number or a template), then post-processors. */
export async function runWaitStep(step: WaitStep, place: StepPlace, ctx: ScenarioContext): Promise<StepResult> {
  const started = performance.now();
  const result = startResult(place, 'wait');
  const state = createProcessorState(result);
  const end: LeafEnd = {};
  try {
    if (ctx.lastResponse !== undefined) state.response = ctx.lastResponse;
    await runProcessors(step.pre, state, ctx, 'pre');
    const ms = readMilliseconds(step.wait, ctx);
    const waitStarted = performance.now();
    await sleep(ms, ctx.signal);
    // Cut short by an interrupt (Ctrl-C, SIGTERM, --timeout): the wait did not happen, as a request
    // cut in flight did not (it was reported as passed).
    if (ctx.signal?.aborted === true) {
      const waited = Math.round(performance.now() - waitStarted);
      throw new SortieError(
        ErrorCode.INTERRUPTED,
        'Interrupted',
        `${describeInterruption(ctx.signal)} during this wait, after ${waited} of ${ms} ms`,
      );
    }
    await runProcessors(step.post, state, ctx, 'post');
  } catch (error) {
    end.error = error;
  }
  return finishLeafStep(result, state, started, end);
}

/**
 * The milliseconds of a wait: a literal was checked at load; a template's rendering obeys the same
 * rules ({@link WaitMillisecondsSchema}: a whole number from 0 to 2^53 - 1). Rendered text is read
 * as a JSON number (RFC 8259 section 6), the form a literal takes, so "1e3" is 1000 and "2.5" is
 * refused as it is written literally.
 */
function readMilliseconds(wait: number | string, ctx: ScenarioContext): number {
  if (typeof wait === 'number') return wait;
  const value = renderValue(wait, ctx.vars, ctx.options.render);
  const ms = typeof value === 'number' ? value : typeof value === 'string' && JSON_NUMBER.test(value) ? Number(value) : undefined;
  const problem = ms === undefined ? 'not a number of milliseconds' : checkValue(WaitMillisecondsSchema, ms);
  if (ms === undefined || problem !== undefined) {
    const separator = ms === undefined ? ', ' : ': ';
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid wait', `wait "${wait}" gave ${describeRendered(value)}${separator}${problem}`);
  }
  return ms;
}

/** A JSON number (RFC 8259 section 6), with spaces around it allowed. */
const JSON_NUMBER = /^\s*-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;

function describeRendered(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
