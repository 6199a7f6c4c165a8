/**
 * Runs a user's regular expression with a time limit. JavaScript's engine backtracks: a pattern such as `(a+)+$`
 * takes exponential time on a text like `aaaa…!`, and nothing in the process could stop it (the run hung for ever,
 * whatever --timeout said). Running the match in a `node:vm` context with `timeout` lets V8 interrupt it, at a
 * price: each such run starts a watchdog thread (~70–95 µs against ~0.2 µs for the match itself, BENCHMARKS.md,
 * session 13). So where V8's linear-time engine is there as a fallback (`sortie` sets
 * `--enable-experimental-regexp-engine` and `--enable-experimental-regexp-engine-on-excessive-backtracks` at start,
 * runner/src/main.ts), a pattern that engine can run (no backreference, no lookaround: compiling it with the `l`
 * flag says so) cannot backtrack without end, since V8 switches to that engine after too many backtracks, and it
 * runs directly; the others run under the time limit.
 * @see https://v8.dev/blog/non-backtracking-regexp
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

/** Whether V8's linear-time engine is on as a fallback: it is when the `l` flag compiles (both flags are set together). */
let linearFallback: boolean | undefined;

/** Whether the linear-time engine can run a pattern, by RegExp object (patterns are compiled once and cached: regex-cache.ts). */
const linearPatterns = new WeakMap<RegExp, boolean>();

function runsInLinearTime(regexp: RegExp): boolean {
  linearFallback ??= compiles('', 'l');
  if (!linearFallback) return false;
  let linear = linearPatterns.get(regexp);
  if (linear === undefined) {
    linear = compiles(regexp.source, `${regexp.flags.replace(/[gyl]/g, '')}l`);
    linearPatterns.set(regexp, linear);
  }
  return linear;
}

function compiles(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

/**
 * `regexp.exec(text)`, stopped after `timeLimitMs`. The RegExp must not have the `g` or `y` flag (compilePattern drops them).
 * @throws SortieError(SELECTOR) when the match runs out of time.
 */
export function execPattern(regexp: RegExp, text: string, timeLimitMs = PATTERN_TIME_LIMIT_MS): RegExpExecArray | null {
  if (runsInLinearTime(regexp)) return regexp.exec(text);
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
