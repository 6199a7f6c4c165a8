import { countNoun, DEFAULT_LOOP_MAX, ErrorCode, type LoopStep, SortieError } from '@sortie/core';
import { renderValue } from '@sortie/template';
import type { ScenarioContext } from '../context.js';
import type { StepPlace } from '../step-place.js';
import { evaluateCondition } from './condition.js';
import { enterContainer, runContainer } from './container-step.js';
import type { FlowFrame, StepOutcome } from './flow-frame.js';
import { runPasses, saveLocals } from './iteration.js';

/**
 * A `loop`: `count` passes (a number or a template), or passes while the `while` condition holds
 * (checked before each pass). Either way at most `max` passes (default 1000): a count above it is an
 * error before anything runs, a `while` still true after `max` passes is an error of the loop.
 * The 0-based pass number is the local variable `index` (or the loop's `index` name) inside, and
 * its previous value comes back after the loop.
 */
export function runLoopStep(step: LoopStep, place: StepPlace, frame: FlowFrame): Promise<StepOutcome> {
  return runContainer(step, place, 'loop', frame, async () => {
    const { ctx } = frame;
    const max = step.loop.max ?? DEFAULT_LOOP_MAX;
    const count = step.loop.count === undefined ? undefined : readCount(step.loop.count, ctx);
    if (count !== undefined && count > max) {
      throw new SortieError(
        ErrorCode.INVALID_INPUT,
        'Loop limit',
        `the loop count ${count} is above its maximum of ${countNoun(max, 'pass', 'passes')}`,
        {
          hint: 'raise the loop\u2019s "max" if this many passes is intended',
        },
      );
    }
    const indexName = step.loop.index ?? 'index';
    const restore = saveLocals(ctx.vars, [indexName]);
    try {
      return await runPasses(
        step.loop.steps,
        place,
        enterContainer(step, frame, true),
        (n) => {
          if (count !== undefined) {
            if (n >= count) return false;
          } else {
            const condition = step.loop.while;
            if (condition === undefined || !evaluateCondition(condition, ctx).holds) return false;
            if (n >= max) {
              throw new SortieError(
                ErrorCode.INVALID_INPUT,
                'Loop limit',
                `the loop condition still held after ${countNoun(max, 'pass', 'passes')}`,
                {
                  hint: 'check the "while" condition, or raise the loop\u2019s "max"',
                },
              );
            }
          }
          ctx.vars.set('local', indexName, n);
          return true;
        },
        step.loop.teardown,
      );
    } finally {
      restore();
    }
  });
}

function readCount(count: number | string, ctx: ScenarioContext): number {
  if (typeof count === 'number') return count;
  const value = renderValue(count, ctx.vars, ctx.options.render);
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < 0) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid loop count',
      `the loop count "${count}" gave ${JSON.stringify(value)}, not a whole number >= 0`,
    );
  }
  return number;
}
