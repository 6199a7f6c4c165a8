import { ErrorCode } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { countCachedTemplates } from '../src/compile-template.js';
import { listVariables, renderString, Variables } from '../src/index.js';
import { expectSortieError } from './helpers.js';

const vars = new Variables({
  scenario: {
    host: 'api.test',
    port: 8080,
    debug: false,
    nothing: null,
    user: { name: 'Ada', address: { city: 'Paris' }, tags: ['a', 'b'] },
    items: [{ id: 7 }, { id: 8, meta: { ok: true } }],
    'api.token': 'dotted-name',
    api: { token: 'path-value', other: 'other' },
    'x-request-id': 'r1',
    matrix: [
      [1, 2],
      [3, 4],
    ],
  },
});

describe('renderString', () => {
  it('substitutes variables, with or without spaces inside the braces', () => {
    expect(renderString('https://{{host}}:{{ port }}/{{\tuser.name\t}}', vars)).toBe('https://api.test:8080/Ada');
  });

  it('returns a string without "{{" unchanged and without compiling it', () => {
    const before = countCachedTemplates();
    const text = `plain text ${Math.random()} with } and { braces`;
    expect(renderString(text, vars)).toBe(text);
    expect(countCachedTemplates()).toBe(before);
  });

  it('compiles each distinct template once', () => {
    const template = `cached {{host}} ${Math.random()}`;
    const before = countCachedTemplates();
    renderString(template, vars);
    renderString(template, vars);
    expect(countCachedTemplates()).toBe(before + 1);
  });

  it('formats numbers, booleans and null with String() and objects and arrays as JSON', () => {
    expect(renderString('{{port}}|{{debug}}|{{nothing}}', vars)).toBe('8080|false|null');
    expect(renderString('u={{user.address}} t={{user.tags}}', vars)).toBe('u={"city":"Paris"} t=["a","b"]');
  });

  it('with objects: \'string\', writes objects and arrays as String() does, as Postman does (null stays "null")', () => {
    const postman = { objects: 'string' } as const;
    expect(renderString('u={{user.address}} t={{user.tags}} i={{items}} m={{matrix}}', vars, postman)).toBe(
      'u=[object Object] t=a,b i=[object Object],[object Object] m=1,2,3,4',
    );
    expect(renderString('{{port}}|{{debug}}|{{nothing}}', vars, postman)).toBe('8080|false|null');
    const odd = new Variables({ scenario: { bare: Object.create(null), holes: [null, 1, undefined, Object.create(null)] } });
    expect(renderString('{{bare}}|{{holes}}', odd, postman)).toBe('[object Object]|,1,,[object Object]');
  });

  it('follows paths into object and array variables', () => {
    expect(renderString('{{user.address.city}}', vars)).toBe('Paris');
    expect(renderString('{{items[0].id}}-{{items[1].meta.ok}}', vars)).toBe('7-true');
    expect(renderString('{{items.1.id}}', vars)).toBe('8');
    expect(renderString('{{matrix[1][0]}}', vars)).toBe('3');
  });

  it('tries the whole name as a variable before treating it as a path', () => {
    expect(renderString('{{api.token}}', vars)).toBe('dotted-name');
    expect(renderString('{{api.other}}', vars)).toBe('other');
  });

  it('accepts letters, digits, "_", "-" and "." in names', () => {
    const local = new Variables({ local: { 'x-request-id': 'r1', my_var2: 'v', '2fa': 'code' } });
    expect(renderString('{{x-request-id}}/{{my_var2}}/{{2fa}}', local)).toBe('r1/v/code');
  });

  it('uses the highest scope', () => {
    const scoped = new Variables({ global: { v: 'global' }, environment: { v: 'env' } });
    expect(renderString('{{v}}', scoped)).toBe('env');
    scoped.set('local', 'v', 'local');
    expect(renderString('{{v}}', scoped)).toBe('local');
  });

  it('renders \\{{ as a literal "{{"', () => {
    expect(renderString('\\{{host}} is {{host}}', vars)).toBe('{{host}} is api.test');
    expect(renderString('a \\{{ b', vars)).toBe('a {{ b');
  });

  it('leaves single braces and a stray "}}" alone', () => {
    expect(renderString('{"a": {{port}}}', vars)).toBe('{"a": 8080}');
    expect(renderString('x }} {{host}}', vars)).toBe('x }} api.test');
  });

  it('throws UNRESOLVED_VARIABLE naming the variable, with a hint', () => {
    const error = expectSortieError(() => renderString('Bearer {{token}}', vars), ErrorCode.UNRESOLVED_VARIABLE);
    expect(error.title).toBe('Unresolved variable');
    expect(error.message).toBe('variable "token" is not defined');
    expect(error.hint).toContain('--global-var');
  });

  it('treats a path that leads nowhere as unresolved', () => {
    expectSortieError(() => renderString('{{user.address.zip}}', vars), ErrorCode.UNRESOLVED_VARIABLE);
    expectSortieError(() => renderString('{{items[5].id}}', vars), ErrorCode.UNRESOLVED_VARIABLE);
    expectSortieError(() => renderString('{{host.length}}', vars), ErrorCode.UNRESOLVED_VARIABLE);
  });

  it('treats a variable whose value is undefined as unresolved', () => {
    const local = new Variables({ local: { gone: undefined } });
    expectSortieError(() => renderString('{{gone}}', local), ErrorCode.UNRESOLVED_VARIABLE);
  });

  it('leaves unresolved variables as written when not strict', () => {
    expect(renderString('{{host}}/{{ token }}/{{user.zip}}', vars, { strict: false })).toBe('api.test/{{ token }}/{{user.zip}}');
  });

  it('throws TEMPLATE_SYNTAX naming the template for "{{" never closed', () => {
    const error = expectSortieError(() => renderString('GET /users/{{id', vars), ErrorCode.TEMPLATE_SYNTAX);
    expect(error.message).toContain('GET /users/{{id');
    expect(error.message).toContain('never closed');
  });

  it('throws TEMPLATE_SYNTAX for an empty "{{}}", also when not strict', () => {
    expectSortieError(() => renderString('a {{}} b', vars), ErrorCode.TEMPLATE_SYNTAX);
    expectSortieError(() => renderString('a {{   }} b', vars, { strict: false }), ErrorCode.TEMPLATE_SYNTAX);
  });

  it('throws TEMPLATE_SYNTAX for a malformed path', () => {
    for (const bad of ['{{.a}}', '{{a.}}', '{{items[x]}}', '{{a..b}}', '{{a b | upper}}', '{{$a b}}']) {
      expectSortieError(() => renderString(bad, vars), ErrorCode.TEMPLATE_SYNTAX);
    }
  });

  it('reads a name with other characters as Postman does: the whole text, as it is (Newman runs such collections)', () => {
    const named = new Variables({
      local: { 'first name': 'Ann', 'Base URL': 'http://api.test', 'api:key': 'k', 'a/b': 'ab', 'user.x y': 'dots' },
    });
    expect(renderString('{{Base URL}}/users?fn={{ first name }}&k={{api:key}}&p={{a/b}}&d={{user.x y}}', named)).toBe(
      'http://api.test/users?fn=Ann&k=k&p=ab&d=dots',
    );
    const missing = expectSortieError(() => renderString('{{last name}}', named), ErrorCode.UNRESOLVED_VARIABLE);
    expect(missing.message).toContain('last name');
    expect(renderString('{{last name}}', named, { strict: false })).toBe('{{last name}}');
  });

  it('applies filters to variables', () => {
    expect(renderString('{{user.name | upper}} {{user.name|lower}}', vars)).toBe('ADA ada');
    expect(renderString('{{user.name | json}}', vars)).toBe('"Ada"');
    expect(renderString('{{user.name | upper | json}}', vars)).toBe('"ADA"');
  });

  it('formats a date variable with the format filter', () => {
    const dates = new Variables({ local: { when: '2024-03-05T07:08:09.010Z', epoch: 0 } });
    expect(renderString('{{when | format("YYYY-MM-DD HH:mm:ss.SSS")}}', dates)).toBe('2024-03-05 07:08:09.010');
    expect(renderString("{{when | format('D/M/YY [at] H:m:s X')}}", dates)).toBe('5/3/24 at 7:8:9 1709622489');
    expect(renderString('{{epoch | format("YYYY x Z")}}', dates)).toBe('1970 0 +00:00');
  });

  it('throws TEMPLATE_SYNTAX when format is applied to something that is not a date', () => {
    const local = new Variables({ local: { word: 'hello' } });
    expectSortieError(() => renderString('{{word | format("YYYY")}}', local), ErrorCode.TEMPLATE_SYNTAX);
  });
});

describe('listVariables', () => {
  it('lists each variable once, as written, without dynamic values', () => {
    expect(listVariables('{{a}} {{ b.c }} {{$guid}} {{a}} {{items[0].id | json}} \\{{escaped}}')).toEqual(['a', 'b.c', 'items[0].id']);
  });

  it('returns nothing for a plain string', () => {
    expect(listVariables('no variables here')).toEqual([]);
  });

  it('throws TEMPLATE_SYNTAX for a malformed template', () => {
    expectSortieError(() => listVariables('{{a'), ErrorCode.TEMPLATE_SYNTAX);
  });
});
