import { ErrorCode, MAX_RETRY_FAILED, SortieError } from '@sortie/core';
import type { RunOptions } from './run-options.js';

/**
 * The run options a caller of the library sets by hand (`run(plan, { options })`), checked before
 * anything runs. The CLI and the server check their own (flags, run submissions), but a library
 * caller's options reach the engine as they are: `parallel: 'x'` ran no scenario at all and the run
 * "passed", `iterations: -1` threw a bare RangeError, `signal: 'x'` a TypeError. Each problem is
 * "<name> expects …, got …"; the first one is thrown as a SortieError (SORTIE_INVALID_INPUT).
 */
export function checkRunOptions(options: RunOptions): void {
  const problem = RUN_OPTION_CHECKS.map((check) => check(options)).find((message) => message !== undefined);
  if (problem === undefined) return;
  throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid run option', problem.message, { hint: problem.hint });
}

interface Problem {
  message: string;
  hint: string;
}

type Check = (options: RunOptions) => Problem | undefined;

const MAX_SHOWN = 40;

function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function wholeNumber(name: keyof RunOptions, min: number, max: number, expected: string, hint: string): Check {
  return (options) => {
    const value = options[name];
    if (value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)) return undefined;
    return { message: `${name} expects ${expected}, got ${shown(value)}`, hint };
  };
}

function milliseconds(name: keyof RunOptions, min: 0 | 1, hint: string): Check {
  return wholeNumber(name, min, Number.MAX_SAFE_INTEGER, `a whole number of milliseconds ≥ ${min}`, hint);
}

function oneOf(name: keyof RunOptions, values: readonly unknown[], hint: string): Check {
  return (options) => {
    const value = options[name];
    if (value === undefined || values.includes(value)) return undefined;
    return { message: `${name} expects ${values.map((v) => JSON.stringify(v)).join(' or ')}, got ${shown(value)}`, hint };
  };
}

function abortSignal(name: 'signal' | 'bailSignal'): Check {
  return (options) => {
    const value: unknown = options[name];
    if (value === undefined || value instanceof AbortSignal) return undefined;
    return { message: `${name} expects an AbortSignal, got ${shown(value)}`, hint: 'give the `signal` of an AbortController' };
  };
}

const RUN_OPTION_CHECKS: readonly Check[] = [
  wholeNumber('iterations', 1, Number.MAX_SAFE_INTEGER, 'a whole number ≥ 1', 'leave it out to run each scenario once'),
  wholeNumber('parallel', 1, Number.MAX_SAFE_INTEGER, 'a whole number ≥ 1', 'leave it out to run one scenario run at a time'),
  wholeNumber(
    'retryFailed',
    0,
    MAX_RETRY_FAILED,
    `a whole number from 0 to ${MAX_RETRY_FAILED}`,
    'each rerun runs the whole scenario run again: ask for a few',
  ),
  wholeNumber('retry', 0, Number.MAX_SAFE_INTEGER, 'a whole number ≥ 0', 'the number of retries of a request step'),
  wholeNumber('seed', 0, Number.MAX_SAFE_INTEGER, 'a whole number ≥ 0', 'the same seed gives the same generated values'),
  wholeNumber('maxResponseBytes', 1, Number.MAX_SAFE_INTEGER, 'a whole number of bytes ≥ 1', 'leave it out for the default (100 MiB)'),
  wholeNumber('maxBodyInReport', 0, Number.MAX_SAFE_INTEGER, 'a whole number of bytes ≥ 0', 'leave it out for the default (10240)'),
  milliseconds('timeoutRequest', 1, 'leave it out for the default (30000)'),
  milliseconds('timeoutRun', 1, 'leave it out for no time limit'),
  milliseconds('teardownGrace', 1, 'leave it out for the default (10000)'),
  milliseconds('scriptTimeout', 1, 'leave it out for the default (5000)'),
  milliseconds('delayRequest', 0, 'leave it out for no delay'),
  (options) =>
    options.deadline === undefined || (typeof options.deadline === 'number' && Number.isFinite(options.deadline))
      ? undefined
      : {
          message: `deadline expects a time in epoch milliseconds (Date.now() + ms), got ${shown(options.deadline)}`,
          hint: 'leave it out for no deadline',
        },
  oneOf('keepResults', ['all', 'problems'], "leave it out to keep every scenario run ('all')"),
  abortSignal('signal'),
  abortSignal('bailSignal'),
];
