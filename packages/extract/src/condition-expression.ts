/**
 * The expression form of a condition (`if`, `loop while`, `break`): `<operand> <op> <operand>` or one operand.
 * Comparison follows the assertion operators exactly (`==` is `equals`, `<` is `lt`, …, through `applyOperator`),
 * so `200 == "200"` is false in both places. An unquoted operand that is a JSON number, `true`, `false` or `null` is
 * that value; a quoted one is text; `{{x}}` alone is the variable with its own type.
 * Parsing needs no variables (operators inside `{{…}}` and quotes are not operators), so the project
 * loader refuses an expression that cannot be read before anything runs; the engine renders the operands.
 */
import { ErrorCode, type OperatorName, SortieError } from '@sortie/core';
import { applyOperator } from './operators.js';

/** The comparison operators of an expression condition. */
export const EXPRESSION_OPERATORS = ['==', '!=', '<=', '>=', '<', '>', 'contains'] as const;
export type ExpressionOperator = (typeof EXPRESSION_OPERATORS)[number];

/** A parsed condition: one operand tested for truthiness, or two operands and an operator. */
export interface ParsedCondition {
  left: string;
  operator?: ExpressionOperator;
  right?: string;
}

/** Texts that are false when an operand is tested on its own. */
const FALSY = new Set(['', 'false', '0', 'null', 'undefined']);
/** A JSON number, as an unquoted operand may be written (`3`, `-1.5`, `2e3`). */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const LITERALS: Record<string, unknown> = { true: true, false: false, null: null };

/** The assertion operator each expression operator means. */
const OPERATOR_NAMES: Record<ExpressionOperator, OperatorName> = {
  '==': 'equals',
  '!=': 'notEquals',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
  contains: 'contains',
};

/**
 * Parses `<operand> <op> <operand>` or a single `<operand>`. Operands are template text (`{{count}}`,
 * `done`, `'a b'`); the operator is found outside `{{…}}` and quotes. No evaluation of code, ever.
 * @throws SortieError TEMPLATE_SYNTAX when the expression has no operand or more than one operator.
 */
export function parseCondition(text: string): ParsedCondition {
  const found: Array<{ at: number; operator: ExpressionOperator }> = [];
  let quote: string | undefined;
  let braces = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (braces > 0) {
      if (text.startsWith('}}', i)) {
        braces--;
        i++;
      }
      continue;
    }
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (text.startsWith('{{', i)) {
      braces++;
      i++;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      continue;
    }
    const operator = operatorAt(text, i);
    if (operator !== undefined) {
      found.push({ at: i, operator });
      i += operator.length - 1;
    }
  }
  if (found.length > 1) throw syntaxError(text, 'more than one operator');
  const match = found[0];
  if (match === undefined) {
    const left = text.trim();
    if (left === '') throw syntaxError(text, 'no operand');
    return { left };
  }
  const left = text.slice(0, match.at).trim();
  const right = text.slice(match.at + match.operator.length).trim();
  if (left === '' || right === '') throw syntaxError(text, `"${match.operator}" needs an operand on each side`);
  return { left, operator: match.operator, right };
}

function operatorAt(text: string, i: number): ExpressionOperator | undefined {
  for (const operator of EXPRESSION_OPERATORS) {
    if (!text.startsWith(operator, i)) continue;
    if (operator === 'contains') {
      const before = text[i - 1];
      const after = text[i + operator.length];
      if (before === undefined || after === undefined || !/\s/.test(before) || !/\s/.test(after)) continue;
    }
    return operator;
  }
  return undefined;
}

/** Whether the operand is written in quotes (`'a b'`, `"200"`): then it is text, never a number. */
export function isQuotedOperand(operand: string): boolean {
  return operand.length >= 2 && (operand[0] === '"' || operand[0] === "'") && operand.at(-1) === operand[0];
}

/** Removes one pair of matching quotes around an operand (`'a b'` → `a b`). */
export function unquoteOperand(operand: string): string {
  return isQuotedOperand(operand) ? operand.slice(1, -1) : operand;
}

/**
 * The value of an unquoted literal operand: a JSON number, `true`, `false` or `null`; undefined for anything else
 * (text, a quoted operand, a template), which is rendered as a template instead.
 */
export function readLiteralOperand(operand: string): { value: unknown } | undefined {
  if (Object.hasOwn(LITERALS, operand)) return { value: LITERALS[operand] };
  return JSON_NUMBER.test(operand) ? { value: Number(operand) } : undefined;
}

/**
 * Evaluates operands: with an operator, the assertion operator it stands for, the left operand as the actual value
 * and the right one as the expected value (strict types: `200` ≠ `"200"`; `<`/`>` compare a numeric string with a
 * number as numbers, like `lt`/`gt`); one operand alone is false when its text is "", "false", "0", "null" or
 * "undefined".
 */
export function compareOperands(left: unknown, operator: ExpressionOperator | undefined, right: unknown): boolean {
  if (operator === undefined) return !FALSY.has(toText(left).trim());
  return applyOperator(OPERATOR_NAMES[operator], right, { found: true, value: left, description: 'the left operand' }).passed;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function syntaxError(text: string, problem: string): SortieError {
  return new SortieError(ErrorCode.TEMPLATE_SYNTAX, 'Invalid condition', `cannot read the condition "${text}": ${problem}`, {
    hint: 'write `<value> <op> <value>` with ==, !=, <, <=, >, >= or contains, or a single value tested for truthiness',
  });
}
