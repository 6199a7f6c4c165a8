import { ErrorCode, type Extraction, type SelectorName, SortieError } from '@sortie/core';
import { findSelector } from './evaluate-assertion.js';
import { inexactNumberError, select } from './select.js';
import type { SelectionContext, SelectorArgument } from './types.js';

/** The selector argument of an extraction, whose selector value is the name, path or pattern. */
function toSelectorArgument(selector: SelectorName, extraction: Extraction): SelectorArgument {
  const value = extraction[selector];
  const text = typeof value === 'string' ? value : undefined;
  switch (selector) {
    case 'header':
    case 'cookie':
    case 'variable':
      return { name: text };
    case 'jsonpath':
      return { path: text, all: extraction.all, from: extraction.from };
    case 'xpath':
      return { path: text, namespaces: extraction.namespaces, all: extraction.all };
    case 'regex':
      return { pattern: text, group: extraction.group, flags: extraction.flags };
    default:
      return {};
  }
}

/**
 * Evaluates an extraction and returns the value to store in `extraction.var`. When the selector
 * finds nothing, `default` is returned if given.
 * @throws SortieError(SELECTOR) when nothing is found and no `default` is given, or when the
 *   selector cannot be evaluated (body not JSON/XML, invalid JSONPath/XPath/regex), default or not.
 */
export function evaluateExtraction(extraction: Extraction, ctx: SelectionContext): unknown {
  const selector = findSelector(extraction);
  if (selector === undefined) {
    throw new SortieError(ErrorCode.SELECTOR, 'Invalid extraction', `The extraction of "${extraction.var}" has no selector`);
  }
  const selection = select(selector, toSelectorArgument(selector, extraction), ctx);
  if (selection.inexact === true) throw inexactNumberError(selection.description);
  if (selection.found) return selection.value;
  if (extraction.default !== undefined) return extraction.default;
  throw new SortieError(ErrorCode.SELECTOR, 'Nothing extracted', `${selection.description} not found (extracting "${extraction.var}")`, {
    hint: 'Give the extraction a "default" to use when nothing is found.',
  });
}
