import type { Assertion, Condition } from '@sortie/core';
import { evaluateAssertion, type SelectionContext } from '@sortie/extract';
import { renderValue } from '@sortie/template';
import type { ScenarioContext } from '../context.js';
import { renderAssertion } from '../render-assertion.js';
import { compareOperands, parseExpression, unquoteOperand } from './expression.js';

/** What a condition found: whether it holds, and a short text for reports. */
export interface ConditionOutcome {
  holds: boolean;
  /** E.g. `3 < 5` or `status equals 200: expected 200 but was 404`. */
  description: string;
}

/**
 * Evaluates the condition of `if`, `loop while` or `break`. An assertion-shaped condition is checked
 * against the last response and the variables (its expected values rendered as templates) and holds
 * when every operator passes; an expression
 * (`{{count}} < 3`) is parsed (never evaluated as code) and its operands rendered as templates.
 * @throws SortieError when an operand does not render (unresolved variable) or the expression is malformed.
 */
export function evaluateCondition(condition: Condition, ctx: ScenarioContext): ConditionOutcome {
  if (isExpression(condition)) return evaluateExpression(condition.expression, ctx);
  const selection: SelectionContext = { getVariable: (name) => ctx.vars.get(name) };
  if (ctx.lastResponse !== undefined) selection.response = ctx.lastResponse;
  const results = evaluateAssertion(renderAssertion(condition, ctx), selection);
  const failed = results.find((r) => !r.passed);
  const first = results[0];
  const description =
    failed === undefined
      ? `${first?.selector ?? 'condition'} ${results.map((r) => r.operator).join(', ')}`
      : `${failed.selector} ${failed.operator}${failed.message === undefined ? '' : `: ${failed.message}`}`;
  return { holds: results.length > 0 && failed === undefined, description };
}

function isExpression(condition: Condition): condition is Exclude<Condition, Assertion> {
  return typeof (condition as { expression?: unknown }).expression === 'string';
}

function evaluateExpression(expression: string, ctx: ScenarioContext): ConditionOutcome {
  const parsed = parseExpression(expression);
  const options = { strict: ctx.options.strictVariables, dynamic: ctx.options.dynamic };
  const left = renderValue(unquoteOperand(parsed.left), ctx.vars, options);
  if (parsed.operator === undefined || parsed.right === undefined) {
    const holds = compareOperands(left, undefined, undefined);
    return { holds, description: `${show(left)} is ${holds ? 'true' : 'false'}` };
  }
  const right = renderValue(unquoteOperand(parsed.right), ctx.vars, options);
  const holds = compareOperands(left, parsed.operator, right);
  return { holds, description: `${show(left)} ${parsed.operator} ${show(right)}` };
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
