/** The text the CLI prints for an input error: core's `formatError` in its `input` style. */
import { formatError, type SortieError } from '@sortie/core';

/**
 * Formats an INVALID_INPUT SortieError (with its details) as the text the CLI prints, one block per
 * problem, location first, no trailing newline. The format is described (and implemented) once, in
 * `@sortie/core`'s `formatError`.
 */
export function formatInputError(error: SortieError): string {
  return formatError(error, { style: 'input' });
}
