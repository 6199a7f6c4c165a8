import { ErrorCode, SortieError } from '@sortie/core';

/** The comparison operators of an expression condition. */
export const EXPRESSION_OPERATORS = ['==', '!=', '<=', '>=', '<', '>', 'contains'] as const;
export type ExpressionOperator = (typeof EXPRESSION_OPERATORS)[number];

/** A parsed expression: one operand tested for truthiness, or two operands and an operator. */
export interface ParsedExpression {
  left: string;
  operator?: ExpressionOperator;
  right?: string;
}

/** Texts that are false when an operand is tested on its own. */
const FALSY = new Set(['', 'false', '0', 'null', 'undefined']);
const NUMBER = /^\s*-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i;

/**
 * Parses `<operand> <op> <operand>` or a single `<operand>`. Operands are template text (`{{count}}`,
 * `done`, `'a b'`); the operator is found outside `{{…}}` and quotes. No evaluation of code, ever.
 * @throws SortieError TEMPLATE_SYNTAX when the expression has no operand or more than one operator.
 */
export function parseExpression(text: string): ParsedExpression {
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

/** Removes one pair of matching quotes around an operand (`'a b'` → `a b`). */
export function unquoteOperand(operand: string): string {
  if (operand.length >= 2 && (operand[0] === '"' || operand[0] === "'") && operand.at(-1) === operand[0]) return operand.slice(1, -1);
  return operand;
}

/**
 * Evaluates rendered operands: numbers compare numerically when both sides are numeric, otherwise
 * as text; `contains` tests a substring (or an element of an array value); one operand alone is
 * false when it is "", "false", "0", "null" or "undefined".
 */
export function compareOperands(left: unknown, operator: ExpressionOperator | undefined, right: unknown): boolean {
  if (operator === undefined) return !FALSY.has(toText(left).trim());
  if (operator === 'contains') {
    if (Array.isArray(left)) return left.some((item) => toText(item) === toText(right));
    return toText(left).includes(toText(right));
  }
  const a = toText(left);
  const b = toText(right);
  if (NUMBER.test(a) && NUMBER.test(b)) return compareValues(Number(a), operator, Number(b));
  return compareValues(a, operator, b);
}

function compareValues<T extends string | number>(a: T, operator: Exclude<ExpressionOperator, 'contains'>, b: T): boolean {
  switch (operator) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
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
