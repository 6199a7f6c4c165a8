import { suggestClosest } from '@sortie/core';

/** Formats ` Did you mean "x"?` or '' for a message. */
export function formatSuggestion(input: string, candidates: Iterable<string>, prefix = ''): string {
  const best = suggestClosest(input, candidates);
  return best === undefined ? '' : `; did you mean "${prefix}${best}"?`;
}
