/**
 * How an error is shown to a person, in one place. Each style is where the text goes:
 * - `cli`: what `sortie` prints on stderr when a command fails. Input errors (and several inputs'
 *   problems) print as `input` blocks; any other error as `error: title: message`, then `  at file:line:col`
 *   and `  hint: …`. Ends with a line feed.
 * - `input`: an input error, one block per problem, location first (no trailing line feed):
 *   ```
 *   Invalid scenario: steps.json has 2 problems
 *
 *   steps.json:7:19  $.steps[0].request.method
 *     expected an HTTP method such as GET or POST, got "GE T"
 *   steps.json:12:7  $.steps[1].post[0].assert
 *     unknown property "jsonpth" (expected one of: status, header, …)
 *     hint: did you mean "jsonpath"?
 *   ```
 *   A single located problem prints as its title and one block; an error without a line (e.g.
 *   FILE_NOT_FOUND) as `title: message` (and its hint).
 * - `scenario`: under a scenario's header in the CLI reporter: `  ! title: message`, hint under it.
 * - `step`: under a step's line in the CLI reporter: `      title: message`, `      hint: …`.
 * - `report`: the plain text of a report file (JUnit's failure text): `title: message`, `hint: …`,
 *   `at file:line:col (path)`.
 * Libraries never print: this returns the text; `paint` colours it and `clean` makes scenario and
 * response text safe for a terminal (both given by the terminal reporters).
 */
import { ErrorCode, type ErrorInfo, formatLocation } from './errors.js';

/** An error to show: a `SortieError`, or an `ErrorInfo` from a result (without details). */
export interface ShownError extends ErrorInfo {
  readonly details?: readonly ShownError[];
}

export type ErrorStyle = 'cli' | 'input' | 'scenario' | 'step' | 'report';

export interface FormatErrorOptions {
  style: ErrorStyle;
  /** Colours a part of the text (`scenario` and `step`). Default: none. */
  paint?: (style: 'red' | 'cyan', text: string) => string;
  /** Makes a title, message or hint safe to print (`scenario` and `step`). Default: unchanged. */
  clean?: (text: string) => string;
}

const STEP_INDENT = '      ';

/** The text that shows `error` to a person in the given style. */
export function formatError(error: ShownError, options: FormatErrorOptions): string {
  const paint = options.paint ?? ((_style, text) => text);
  const clean = options.clean ?? ((text) => text);
  switch (options.style) {
    case 'cli':
      return formatForCli(error);
    case 'input':
      return formatInput(error);
    case 'scenario': {
      const lines = indent(`${paint('red', '!')} ${paint('red', clean(error.title))}: ${clean(error.message)}`, '  ');
      if (error.hint !== undefined) lines.push(...indent(`${paint('cyan', 'hint')}: ${clean(error.hint)}`, '    '));
      return lines.join('\n');
    }
    case 'step': {
      const lines = indent(`${paint('red', clean(error.title))}: ${clean(error.message)}`, STEP_INDENT);
      if (error.hint !== undefined) lines.push(...indent(`${paint('cyan', 'hint')}: ${clean(error.hint)}`, STEP_INDENT));
      return lines.join('\n');
    }
    case 'report': {
      const lines = [`${error.title}: ${error.message}`];
      if (error.hint !== undefined) lines.push(`hint: ${error.hint}`);
      const { location } = error;
      if (location !== undefined) lines.push(`at ${formatLocation(location)}${location.path ? ` (${location.path})` : ''}`);
      return lines.join('\n');
    }
  }
}

function formatForCli(error: ShownError): string {
  const details = error.details ?? [];
  // Several inputs with problems (loadPlan's "Invalid input", whose details may be a file's block or
  // one located problem such as a CSV row): each in full, one after the other.
  const severalInputs = error.title === 'Invalid input' && details.length > 0;
  if (
    severalInputs ||
    (details.length > 0 && details.every((detail) => (detail.details?.length ?? 0) > 0 || detail.location === undefined))
  ) {
    return `${details.map(formatForCli).join('\n')}\n${error.message}\n`;
  }
  if (error.code === ErrorCode.INVALID_INPUT) {
    const text = formatInput(error);
    return text.endsWith('\n') ? text : `${text}\n`;
  }
  let text = `error: ${error.title}: ${error.message}\n`;
  if (error.location !== undefined) text += `  at ${formatLocation(error.location)}\n`;
  if (error.hint !== undefined) text += `  hint: ${error.hint}\n`;
  return text;
}

function formatInput(error: ShownError): string {
  const details = error.details ?? [];
  if (details.length === 0) {
    // A single located problem (one detail on its own): its title, then the block with the message.
    if (error.location?.line !== undefined) return `${error.title}\n\n${formatProblem(error)}`;
    return [`${error.title}: ${error.message}`, ...formatHint(error)].join('\n');
  }
  return `${error.title}: ${error.message}\n\n${details.map(formatProblem).join('\n')}`;
}

function formatProblem(problem: ShownError): string {
  const where = problem.location === undefined ? '' : formatLocation(problem.location);
  const path = problem.location?.path;
  const heading = path === undefined ? where : `${where}  ${path}`;
  return [heading, `  ${problem.message}`, ...formatHint(problem)].filter((line) => line !== '').join('\n');
}

function formatHint(problem: ShownError): string[] {
  return problem.hint === undefined ? [] : [`  hint: ${problem.hint}`];
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => prefix + line);
}
