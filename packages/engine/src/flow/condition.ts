import type { Assertion, Condition } from '@sortie/core';
import {
  compareOperands,
  evaluateAssertion,
  isQuotedOperand,
  parseCondition,
  readLiteralOperand,
  type SelectionContext,
  unquoteOperand,
} from '@sortie/extract';
import { renderString, renderValue } from '@sortie/template';
import type { ScenarioContext } from '../context.js';
import { renderAssertion } from '../render-assertion.js';

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
 * (`{{count}} < 3`) is parsed (never evaluated as code), its operands read (see @sortie/extract condition-expression.ts) and compared with the
 * assertion operators, so both forms share one rule for "equals".
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
  const parsed = parseCondition(expression);
  const options = ctx.options.render;
  const read = (operand: string): unknown => {
    if (isQuotedOperand(operand)) return renderString(unquoteOperand(operand), ctx.vars, options);
    const literal = readLiteralOperand(operand);
    return literal !== undefined ? literal.value : renderValue(operand, ctx.vars, options);
  };
  const left = read(parsed.left);
  if (parsed.operator === undefined || parsed.right === undefined) {
    const holds = compareOperands(left, undefined, undefined);
    return { holds, description: `${show(left, left)} is ${holds ? 'true' : 'false'}` };
  }
  const right = read(parsed.right);
  const holds = compareOperands(left, parsed.operator, right);
  return { holds, description: `${show(left, right)} ${parsed.operator} ${show(right, left)}` };
}

/** The value as a report shows it; text in quotes when the other side prints the same but is not text (`200 == "200"`). */
function show(value: unknown, other: unknown): string {
  const printsAlike = typeof value !== typeof other && String(value) === String(other);
  const text = typeof value === 'string' && !printsAlike ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
