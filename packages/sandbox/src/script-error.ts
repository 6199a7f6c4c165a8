/**
 * Turns what a script threw (or the limit it hit) into a SortieError with code SCRIPT that names
 * the script and the line:column in the script's own source.
 */
import { ErrorCode, formatLocation, SortieError, type SourceLocation } from '@sortie/core';

/** An exception as the guest reports it. */
export interface GuestError {
  name?: string;
  message?: string;
  stack?: string;
  /** The script threw something that is not an Error; `value` describes it. */
  nonError?: boolean;
  value?: string;
  /** The script did not compile (a SyntaxError of its source, not one it threw while running, as JSON.parse does). */
  compile?: boolean;
}

/** The limits of a sandbox, for the messages of limit errors. */
export interface ScriptLimits {
  timeLimitMs: number;
  memoryLimitBytes: number;
  stackSizeBytes: number;
}

/** Lines the sandbox puts before the script's first line. */
export const SCRIPT_LINE_OFFSET = 1;

/** Name of the error recorded when the WebAssembly instance itself trapped. */
export const CRASHED = 'SortieInterpreterCrash';

/** Name of the error the kernel reports when the script still waits on a promise nothing is left to settle. */
export const SCRIPT_PENDING = 'SortieScriptPending';

/** The error QuickJS raises when the interrupt handler stops a script. */
export const INTERRUPTED: GuestError = { name: 'InternalError', message: 'interrupted' };

/** Name of the error recorded when the run was stopped (Ctrl-C, SIGTERM, --timeout) while the script ran. */
export const RUN_STOPPED: GuestError = { name: 'SortieRunStopped', message: 'the run was interrupted' };

const FRAME = /^\s*at (?:.*? \((.*):(\d+):(\d+)\)|(.*):(\d+):(\d+))\s*$/;

/** Finds the first stack frame in the script itself and maps it back to the script's source. */
export function findScriptLocation(
  stack: string | undefined,
  scriptName: string,
  compiledAs: string = scriptName,
): SourceLocation | undefined {
  if (stack === undefined) return undefined;
  for (const line of stack.split('\n', 64)) {
    const match = FRAME.exec(line);
    if (match === null) continue;
    const file = match[1] ?? match[4];
    if (file !== compiledAs) continue;
    const lineNumber = Number(match[2] ?? match[5]) - SCRIPT_LINE_OFFSET;
    if (lineNumber < 1) continue;
    return { file: scriptName, line: lineNumber, column: Number(match[3] ?? match[6]) };
  }
  return undefined;
}

/** QuickJS's error for a script its interrupt handler stopped. */
export function isInterruption(error: GuestError): boolean {
  return error.name === INTERRUPTED.name && error.message === INTERRUPTED.message;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function describeLimit(error: GuestError, limits: ScriptLimits): { title: string; text: string; hint: string } | undefined {
  if (error.name === CRASHED && /call stack/i.test(error.message ?? '')) {
    // The interpreter's own recursion (JSON.parse of '['.repeat(1e6)) outgrew the host's stack
    // before QuickJS's stack check: a stack problem, not a memory one.
    return {
      title: 'Script stack limit exceeded',
      text: "overflowed the script interpreter's own stack (data nested too deeply, such as JSON.parse of thousands of nested arrays, or recursion)",
      hint: 'the sandbox was restarted for the next script; nest the data less deeply',
    };
  }
  if (error.name === CRASHED) {
    return {
      title: 'Script interpreter crashed',
      text: `crashed the script interpreter (${error.message}), most likely at the memory limit of ${formatBytes(limits.memoryLimitBytes)}`,
      hint: 'the sandbox was restarted for the next script; make the script allocate less',
    };
  }
  if (error.name === RUN_STOPPED.name) {
    return {
      title: 'Script interrupted',
      text: 'was stopped before it finished: the run was interrupted',
      hint: 'the run was interrupted (Ctrl-C, SIGTERM or its time limit) while the script ran',
    };
  }
  if (error.name === SCRIPT_PENDING) {
    return {
      title: 'Script did not finish',
      text: 'did not finish: it was still waiting on a promise when nothing was left that could settle it, so the code after that await never ran',
      hint: 'a promise whose resolve is never called (await new Promise(() => {})), or a callback API that never calls back',
    };
  }
  if (error.name !== 'InternalError' && error.name !== 'RangeError') return undefined;
  switch (error.message) {
    case 'interrupted':
      return {
        title: 'Script time limit exceeded',
        text: `exceeded the time limit of ${limits.timeLimitMs} ms`,
        hint: 'an endless loop, a timer that never stops, or a pm.sendRequest that takes too long',
      };
    case 'out of memory':
      return {
        title: 'Script memory limit exceeded',
        text: `exceeded the memory limit of ${formatBytes(limits.memoryLimitBytes)}`,
        hint: 'the script allocates too much (a growing array or string)',
      };
    case 'stack overflow':
    case 'Maximum call stack size exceeded':
      return {
        title: 'Script stack limit exceeded',
        text: `exceeded the stack size limit of ${formatBytes(limits.stackSizeBytes)}`,
        hint: 'recursion too deep (a function that calls itself without end)',
      };
    default:
      return undefined;
  }
}

/** Builds the SCRIPT error for an exception or a limit of the script `scriptName`. */
export function toScriptError(
  error: GuestError,
  scriptName: string,
  limits: ScriptLimits,
  /** The name the source was compiled under, and the file its location is shown in (default: `scriptName`). */
  names: { compiledAs?: string; file?: string } = {},
): SortieError {
  const { compiledAs = scriptName, file = scriptName } = names;
  // When QuickJS interrupts a script its innermost frame still holds the position of the last call
  // or of the function's start, not the loop it was running (a loop on line 3 of a function declared
  // on line 2 reads 2:1): a time-limit error has no location rather than a wrong one.
  const location = isInterruption(error) || error.name === RUN_STOPPED.name ? undefined : findScriptLocation(error.stack, file, compiledAs);
  const where = location === undefined ? '' : ` at ${formatLocation(location)}`;
  const options = location === undefined ? {} : { location };
  if (error.nonError && error.value === 'null') {
    // QuickJS throws null when it cannot even allocate its "out of memory" error; a script's own
    // `throw null` is far rarer than that, so say both.
    return new SortieError(
      ErrorCode.SCRIPT,
      'Script memory limit exceeded',
      `Script "${scriptName}" threw null: it most likely exceeded the memory limit of ${formatBytes(limits.memoryLimitBytes)}`,
      { hint: 'QuickJS throws null when it cannot allocate its own out-of-memory error; otherwise the script threw null itself' },
    );
  }
  if (error.nonError) {
    return new SortieError(
      ErrorCode.SCRIPT,
      'Script error',
      `Script "${scriptName}" threw a non-Error value: ${error.value ?? 'undefined'}`,
      {
        hint: 'throw new Error("…") to get a line number',
      },
    );
  }
  const limit = describeLimit(error, limits);
  if (limit !== undefined) {
    return new SortieError(ErrorCode.SCRIPT, limit.title, `Script "${scriptName}" ${limit.text}${where}`, { ...options, hint: limit.hint });
  }
  const name = error.name ?? 'Error';
  return new SortieError(
    ErrorCode.SCRIPT,
    error.compile === true && name === 'SyntaxError' ? 'Script syntax error' : 'Script error',
    `Script "${scriptName}" failed${where}: ${name}: ${error.message ?? ''}`,
    options,
  );
}
