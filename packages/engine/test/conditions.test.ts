import { compareOperands, parseCondition, readLiteralOperand, unquoteOperand } from '@sortie/extract';
import { describe, expect, it } from 'vitest';
import { ifStep, runFlow } from './support/run-flow.js';

describe('parseCondition', () => {
  it('splits two operands around one operator, ignoring operators inside templates and quotes', () => {
    expect(parseCondition('{{count}} < 3')).toEqual({ left: '{{count}}', operator: '<', right: '3' });
    expect(parseCondition('{{a}}>={{b}}')).toEqual({ left: '{{a}}', operator: '>=', right: '{{b}}' });
    expect(parseCondition("'a < b' == {{x}}")).toEqual({ left: "'a < b'", operator: '==', right: '{{x}}' });
    expect(parseCondition('{{ list | length }} != 0')).toMatchObject({ operator: '!=' });
    expect(parseCondition('{{tags}} contains admin')).toEqual({ left: '{{tags}}', operator: 'contains', right: 'admin' });
  });

  it('reads a single operand as a truthiness test, and "contains" inside a word as text', () => {
    expect(parseCondition('{{done}}')).toEqual({ left: '{{done}}' });
    expect(parseCondition('uncontained')).toEqual({ left: 'uncontained' });
  });

  it('rejects an empty side, an empty expression and two operators with TEMPLATE_SYNTAX', () => {
    for (const text of ['< 3', '{{a}} ==', '   ', '{{a}} < 3 < 4']) {
      expect(() => parseCondition(text), text).toThrowError(expect.objectContaining({ code: 'SORTIE_TEMPLATE_SYNTAX' }));
    }
  });
});

describe('compareOperands', () => {
  it('compares like the assertion operators: strict types for ==, numeric strings against numbers for < and >', () => {
    expect(compareOperands('10', '>', '9')).toBe(true);
    expect(compareOperands('10', '>', 'a9')).toBe(false);
    expect(compareOperands(2, '==', 2)).toBe(true);
    expect(compareOperands(2, '==', '2.0')).toBe(false);
    expect(compareOperands(200, '==', '200')).toBe(false);
    expect(compareOperands(200, '!=', '200')).toBe(true);
    expect(compareOperands({ a: [1] }, '==', { a: [1] })).toBe(true);
    expect(compareOperands('abc', '<', 'abd')).toBe(true);
    expect(compareOperands('x', '!=', 'y')).toBe(true);
    expect(compareOperands('3', '<=', 3)).toBe(true);
    expect(compareOperands({}, '<', 3)).toBe(false);
  });

  it('reads unquoted JSON numbers, true, false and null as values, anything else as text', () => {
    expect(readLiteralOperand('200')).toEqual({ value: 200 });
    expect(readLiteralOperand('-1.5e2')).toEqual({ value: -150 });
    expect(readLiteralOperand('true')).toEqual({ value: true });
    expect(readLiteralOperand('null')).toEqual({ value: null });
    for (const text of ['"200"', "'200'", '{{code}}', '007', 'admin', '1_000', '']) expect(readLiteralOperand(text), text).toBeUndefined();
  });

  it('tests substrings and array elements with contains', () => {
    expect(compareOperands('hello world', 'contains', 'lo w')).toBe(true);
    expect(compareOperands(['a', 'b'], 'contains', 'b')).toBe(true);
    expect(compareOperands([1, 2], 'contains', 3)).toBe(false);
    expect(compareOperands([1, 2], 'contains', 2)).toBe(true);
    expect(compareOperands([1, 2], 'contains', '2')).toBe(false);
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

describe('one rule for "equals" in expressions and assertion conditions', () => {
  const wait = (name: string) => ({ name, wait: 0 });
  /** Runs one `if` and says which branch it took. */
  async function branch(condition: unknown): Promise<string> {
    const run = await runFlow({
      name: 'equals',
      variables: { code: 200, text: '200' },
      steps: [ifStep(condition, [wait('yes')], [wait('no')], { name: 'c' })],
    });
    expect(run.steps.at(-1)).toMatchObject({ name: 'c', status: 'passed' });
    return run.steps[0]!.name;
  }

  it('200 equals 200, in both forms', async () => {
    expect(await branch({ expression: '{{code}} == 200' })).toBe('yes');
    expect(await branch({ variable: { name: 'code', equals: 200 } })).toBe('yes');
    expect(await branch({ expression: '{{text}} == "200"' })).toBe('yes');
    expect(await branch({ variable: { name: 'text', equals: '200' } })).toBe('yes');
  });

  it('200 does not equal "200", in both forms', async () => {
    expect(await branch({ expression: '{{code}} == "200"' })).toBe('no');
    expect(await branch({ variable: { name: 'code', equals: '200' } })).toBe('no');
    expect(await branch({ expression: '{{text}} == 200' })).toBe('no');
    expect(await branch({ variable: { name: 'text', equals: 200 } })).toBe('no');
    expect(await branch({ expression: '{{code}} != "200"' })).toBe('yes');
  });
});
