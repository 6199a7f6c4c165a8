import { describe, expect, it } from 'vitest';
import { compareOperands, parseExpression, unquoteOperand } from '../src/flow/expression.js';

describe('parseExpression', () => {
  it('splits two operands around one operator, ignoring operators inside templates and quotes', () => {
    expect(parseExpression('{{count}} < 3')).toEqual({ left: '{{count}}', operator: '<', right: '3' });
    expect(parseExpression('{{a}}>={{b}}')).toEqual({ left: '{{a}}', operator: '>=', right: '{{b}}' });
    expect(parseExpression("'a < b' == {{x}}")).toEqual({ left: "'a < b'", operator: '==', right: '{{x}}' });
    expect(parseExpression('{{ list | length }} != 0')).toMatchObject({ operator: '!=' });
    expect(parseExpression('{{tags}} contains admin')).toEqual({ left: '{{tags}}', operator: 'contains', right: 'admin' });
  });

  it('reads a single operand as a truthiness test, and "contains" inside a word as text', () => {
    expect(parseExpression('{{done}}')).toEqual({ left: '{{done}}' });
    expect(parseExpression('uncontained')).toEqual({ left: 'uncontained' });
  });

  it('rejects an empty side, an empty expression and two operators with TEMPLATE_SYNTAX', () => {
    for (const text of ['< 3', '{{a}} ==', '   ', '{{a}} < 3 < 4']) {
      expect(() => parseExpression(text), text).toThrowError(expect.objectContaining({ code: 'SORTIE_TEMPLATE_SYNTAX' }));
    }
  });
});

describe('compareOperands', () => {
  it('compares numerically when both sides are numbers, else as text', () => {
    expect(compareOperands('10', '>', '9')).toBe(true);
    expect(compareOperands('10', '>', 'a9')).toBe(false);
    expect(compareOperands(2, '==', '2.0')).toBe(true);
    expect(compareOperands('abc', '<', 'abd')).toBe(true);
    expect(compareOperands('x', '!=', 'y')).toBe(true);
    expect(compareOperands('3', '<=', 3)).toBe(true);
  });

  it('tests substrings and array elements with contains', () => {
    expect(compareOperands('hello world', 'contains', 'lo w')).toBe(true);
    expect(compareOperands(['a', 'b'], 'contains', 'b')).toBe(true);
    expect(compareOperands([1, 2], 'contains', '3')).toBe(false);
  });

  it('treats "", false, 0, null and undefined as false and anything else as true', () => {
    for (const value of ['', 'false', '0', 'null', 'undefined', ' ', 0, false, null, undefined])
      expect(compareOperands(value, undefined, undefined)).toBe(false);
    for (const value of ['yes', 'true', '1', 'no', 1, true, [], {}]) expect(compareOperands(value, undefined, undefined)).toBe(true);
  });

  it('removes one pair of quotes from an operand', () => {
    expect(unquoteOperand("'a b'")).toBe('a b');
    expect(unquoteOperand('"x"')).toBe('x');
    expect(unquoteOperand('\'x"')).toBe('\'x"');
  });
});
