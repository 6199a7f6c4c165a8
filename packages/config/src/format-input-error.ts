/** The text the CLI prints for an input error: one block per problem, location first. */
import { formatLocation, type SortieError } from '@sortie/core';

/**
 * Formats an INVALID_INPUT SortieError (with its details) as the text the CLI prints:
 * ```
 * Invalid scenario: steps.json has 2 problems
 *
 * steps.json:7:19  $.steps[0].request.method
 *   expected an HTTP method such as GET or POST, got "GE T"
 * steps.json:12:7  $.steps[1].post[0].assert
 *   unknown property "jsonpth" (expected one of: status, header, …)
 *   hint: did you mean "jsonpath"?
 * ```
 * No trailing newline. A single located problem prints as its title and one block; an error
 * without a line (e.g. FILE_NOT_FOUND) as `title: message`.
 */
export function formatInputError(error: SortieError): string {
  if (error.details.length === 0) {
    // A single located problem (one detail on its own): its title, then the block with the message.
    if (error.location?.line !== undefined) return `${error.title}\n\n${formatProblem(error)}`;
    return [`${error.title}: ${error.message}`, ...formatHint(error)].join('\n');
  }
  return `${error.title}: ${error.message}\n\n${error.details.map(formatProblem).join('\n')}`;
}

function formatProblem(problem: SortieError): string {
  const where = problem.location === undefined ? '' : formatLocation(problem.location);
  const path = problem.location?.path;
  const heading = path === undefined ? where : `${where}  ${path}`;
  return [heading, `  ${problem.message}`, ...formatHint(problem)].filter((line) => line !== '').join('\n');
}

function formatHint(problem: SortieError): string[] {
  return problem.hint === undefined ? [] : [`  hint: ${problem.hint}`];
}
