/**
 * Runs a user's regular expression with a time limit. JavaScript's engine backtracks: a pattern such as `(a+)+$`
 * takes exponential time on a text like `aaaa…!`, and nothing in the process could stop it (the run hung for ever,
 * whatever --timeout said). Running the match in a `node:vm` context with `timeout` lets V8 interrupt it.
 */
import type * as Vm from 'node:vm';
import { ErrorCode, SortieError } from '@sortie/core';

/** The longest one regular expression may run on one text, in milliseconds. */
export const PATTERN_TIME_LIMIT_MS = 5000;

interface PatternRunner {
  context: Vm.Context;
  exec: Vm.Script;
}

let runner: PatternRunner | undefined;

function getRunner(): PatternRunner {
  if (runner === undefined) {
    const vm = process.getBuiltinModule('node:vm');
    runner = { context: vm.createContext({ regexp: null, text: '' }), exec: new vm.Script('regexp.exec(text)') };
  }
  return runner;
}

/**
 * `regexp.exec(text)`, stopped after `timeLimitMs`. The RegExp must not have the `g` or `y` flag (compilePattern drops them).
 * @throws SortieError(SELECTOR) when the match runs out of time.
 */
export function execPattern(regexp: RegExp, text: string, timeLimitMs = PATTERN_TIME_LIMIT_MS): RegExpExecArray | null {
  const { context, exec } = getRunner();
  context.regexp = regexp;
  context.text = text;
  try {
    return exec.runInContext(context, { timeout: timeLimitMs }) as RegExpExecArray | null;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    throw new SortieError(
      ErrorCode.SELECTOR,
      'Regular expression too slow',
      `the pattern /${regexp.source}/ ran longer than ${timeLimitMs} ms on ${text.length} characters and was stopped`,
      { hint: 'nested quantifiers such as (a+)+ or (a|a)* backtrack exponentially: make the repeated parts unambiguous' },
    );
  } finally {
    context.regexp = null;
    context.text = '';
  }
}
