import { type Assertion, type AssertionResult, isSortieError, OPERATOR_NAMES, SELECTOR_NAMES, type SelectorName } from '@sortie/core';
import { truncateActual } from './format-value.js';
import { evaluateContract } from './openapi/evaluate-contract.js';
import { applyOperator } from './operators.js';
import { describeSelector, inexactNumberError, select } from './select.js';
import type { Selection, SelectionContext, SelectorArgument } from './types.js';

/** The selector of an assertion or extraction: the one key of `value` that names a selector. */
export function findSelector(value: Record<string, unknown>): SelectorName | undefined {
  return SELECTOR_NAMES.find((name) => value[name] !== undefined);
}

/**
 * Evaluates an assertion: one selector, then every operator it holds. Returns one AssertionResult
 * per operator present, in OPERATOR_NAMES order (an `openapi` assertion: see evaluateContract). Never throws for a response's content: a selector
 * that cannot be evaluated (body not JSON, invalid JSONPath, …) fails every operator with its reason.
 */
/** Operators whose outcome does not depend on a number's exact value: they may judge an inexact one. */
const VALUE_FREE_OPERATORS: ReadonlySet<string> = new Set(['exists', 'type']);

export function evaluateAssertion(assertion: Assertion, ctx: SelectionContext): AssertionResult[] {
  if (assertion.openapi !== undefined) return evaluateContract(assertion.openapi, ctx, { name: assertion.name, source: 'assert' });
  const selector = findSelector(assertion);
  if (selector === undefined) {
    return [{ selector: 'assertion', operator: 'none', passed: false, message: 'the assertion has no selector', source: 'assert' }];
  }
  const spec = assertion[selector] as SelectorArgument & Record<string, unknown>;
  let selection: Selection | undefined;
  let failure: string | undefined;
  try {
    selection = select(selector, spec, ctx);
  } catch (error) {
    if (!isSortieError(error)) throw error;
    failure = error.message;
  }
  const description = selection?.description ?? describeSelector(selector, spec);
  const results: AssertionResult[] = [];
  for (const operator of OPERATOR_NAMES) {
    const expected = spec[operator];
    if (expected === undefined) continue;
    const result: AssertionResult = { selector: description, operator, expected, passed: false, source: 'assert' };
    if (selection === undefined) {
      result.message = failure;
    } else if (selection.inexact === true && !VALUE_FREE_OPERATORS.has(operator)) {
      result.message = inexactNumberError(description).message;
    } else {
      const outcome = applyOperator(operator, expected, selection);
      result.passed = outcome.passed;
      if (selection.found) result.actual = truncateActual(selection.value);
      if (outcome.message !== undefined) result.message = outcome.message;
    }
    if (assertion.name !== undefined) result.name = assertion.name;
    results.push(result);
  }
  return results;
}
