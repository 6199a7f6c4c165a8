import { ErrorCode } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { renderValue, Variables } from '../src/index.js';
import { expectSortieError } from './helpers.js';

const vars = new Variables({
  scenario: { id: 42, ok: true, none: null, user: { name: 'Ada', roles: ['admin'] }, list: [1, 2], name: 'Ada', key: 'dynamicKey' },
});

describe('renderValue', () => {
  it('keeps the type of a string that is exactly one {{x}}', () => {
    expect(renderValue({ id: '{{id}}', ok: '{{ ok }}', none: '{{none}}', user: '{{user}}', list: '{{list}}' }, vars)).toEqual({
      id: 42,
      ok: true,
      none: null,
      user: { name: 'Ada', roles: ['admin'] },
      list: [1, 2],
    });
  });

  it('keeps the type of a path value', () => {
    expect(renderValue(['{{user.roles}}', '{{list[1]}}'], vars)).toEqual([['admin'], 2]);
  });

  it('renders strings with text around a variable as strings', () => {
    expect(renderValue({ a: 'id-{{id}}', b: ' {{id}}', c: '{{id}}{{id}}' }, vars)).toEqual({ a: 'id-42', b: ' 42', c: '4242' });
  });

  it('applies filters before keeping the type', () => {
    expect(renderValue('{{user | json}}', vars)).toBe('{"name":"Ada","roles":["admin"]}');
    expect(renderValue('{{name | upper}}', vars)).toBe('ADA');
  });

  it('renders deeply nested arrays and objects, and object keys', () => {
    const input = { outer: [{ inner: { '{{key}}': 'Hello {{name}}', n: ['{{id}}'] } }], untouched: 5, flag: false, nil: null };
    expect(renderValue(input, vars)).toEqual({
      outer: [{ inner: { dynamicKey: 'Hello Ada', n: [42] } }],
      untouched: 5,
      flag: false,
      nil: null,
    });
  });

  it('does not modify its input', () => {
    const input = { a: ['{{id}}'] };
    renderValue(input, vars);
    expect(input).toEqual({ a: ['{{id}}'] });
  });

  it('returns a copy of an object variable, so changing the result leaves the variable alone', () => {
    const rendered = renderValue<unknown>('{{user}}', vars) as { name: string };
    rendered.name = 'changed';
    expect((vars.get('user') as { name: string }).name).toBe('Ada');
  });

  it('leaves an unresolved single {{x}} as written when not strict', () => {
    expect(renderValue({ a: '{{missing}}', b: 'x {{missing}}' }, vars, { strict: false })).toEqual({
      a: '{{missing}}',
      b: 'x {{missing}}',
    });
  });

  it('throws UNRESOLVED_VARIABLE from deep inside when strict', () => {
    expectSortieError(() => renderValue({ a: [{ b: '{{missing}}' }] }, vars), ErrorCode.UNRESOLVED_VARIABLE);
  });

  it('returns a dynamic number as a number', () => {
    const value = renderValue({ n: '{{$randomInt}}', t: '{{$timestamp}}' }, vars);
    expect(typeof value.n).toBe('number');
    expect(Number.isInteger(value.t)).toBe(true);
  });
});

describe('the number filter', () => {
  const text = new Variables({ data: { code: '200', neg: ' -1.5 ', word: 'abc', empty: '' }, scenario: { n: 7 } });

  it('turns numeric text into a number and keeps a number', () => {
    expect(renderValue({ a: '{{code | number}}', b: '{{neg | number}}', c: '{{n | number}}' }, text)).toEqual({ a: 200, b: -1.5, c: 7 });
  });

  it('throws TEMPLATE_SYNTAX for text that is not a number', () => {
    expectSortieError(() => renderValue('{{word | number}}', text), ErrorCode.TEMPLATE_SYNTAX);
    expectSortieError(() => renderValue('{{empty | number}}', text), ErrorCode.TEMPLATE_SYNTAX);
  });

  it('names a value it cannot take a filter failure, not a syntax error (the template is well formed)', () => {
    const number = expectSortieError(() => renderValue('{{word | number}}', text), ErrorCode.TEMPLATE_SYNTAX);
    expect(number.title).toBe('Filter failed');
    expect(number.message).toBe('{{word | number}}: filter "number" needs a number, got the string "abc"');
    const format = expectSortieError(() => renderValue('{{word | format("YYYY")}}', text), ErrorCode.TEMPLATE_SYNTAX);
    expect(format.title).toBe('Filter failed');
  });

  it("with objects: 'string', a template that is exactly one {{x}} gives an object or array as text; other values keep their type", () => {
    const postman = new Variables({ scenario: { o: { a: 1 }, list: [1, 2], n: 7, no: null } });
    expect(renderValue({ o: '{{o}}', list: '{{list}}', n: '{{n}}', no: '{{no}}' }, postman, { objects: 'string' })).toEqual({
      o: '[object Object]',
      list: '1,2',
      n: 7,
      no: null,
    });
  });
});
