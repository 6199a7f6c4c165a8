import type { AssertionResult, OpenApiAssertion } from '@sortie/core';
import type { SelectionContext } from '../types.js';

export interface ContractResultOptions {
  /** The assertion's `name`, kept on every result. */
  name?: string | undefined;
  /** `assert` for an `openapi` assertion, `contract` for the scenario's `options.contract`. */
  source: 'assert' | 'contract';
}

/**
 * Evaluates a contract assertion: one passed result when the response keeps the contract, else one
 * failed result per violation (operator = what was checked: operation, status, contentType, schema,
 * header), each with its JSON pointer, expected and actual value. Never throws for a response.
 */
export function evaluateContract(assertion: OpenApiAssertion, ctx: SelectionContext, options: ContractResultOptions): AssertionResult[] {
  const fail = (message: string): AssertionResult[] => [
    finish({ selector: `openapi ${assertion.operation ?? assertion.spec}`, operator: 'contract', passed: false, message }, options),
  ];
  const response = ctx.response;
  if (response === undefined) return fail('there is no response to check');
  const contract = ctx.contract?.(assertion.spec);
  if (contract === undefined) return fail(`the OpenAPI description ${assertion.spec} was not loaded for this run`);
  const request = ctx.request ?? { method: 'GET', url: response.url };
  const outcome = contract.check(request, response, assertion.operation);
  const selector = `openapi ${outcome.operation ?? `${request.method.toUpperCase()} ${pathOf(response.url || request.url)}`}`;
  if (outcome.violations.length === 0) return [finish({ selector, operator: 'contract', passed: true }, options)];
  return outcome.violations.map((violation) => {
    const result: AssertionResult = { selector, operator: violation.check, passed: false, message: violation.message };
    if (violation.expected !== undefined) result.expected = violation.expected;
    if (violation.actual !== undefined) result.actual = violation.actual;
    if (violation.pointer !== undefined) result.pointer = violation.pointer;
    return finish(result, options);
  });
}

function finish(result: AssertionResult, options: ContractResultOptions): AssertionResult {
  result.source = options.source;
  if (options.name !== undefined) result.name = options.name;
  return result;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
