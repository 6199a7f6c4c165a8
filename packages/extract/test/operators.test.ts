import type { OperatorName } from '@sortie/core';
import { describe, expect, it, vi } from 'vitest';
import { applyOperator, PATTERN_TIME_LIMIT_MS, type Selection } from '../src/index.js';

function found(value: unknown, description = 'jsonpath $.v'): Selection {
  return { found: true, value, description };
}
const missing: Selection = { found: false, value: undefined, description: 'header x-missing' };

function check(operator: OperatorName, expected: unknown, selection: Selection) {
  return applyOperator(operator, expected, selection);
}

describe('equals and notEquals', () => {
  it('passes on deep equality and says nothing', () => {
    expect(check('equals', { a: [1, { b: null }] }, found({ a: [1, { b: null }] }))).toEqual({ passed: true });
    expect(check('notEquals', 201, found(200, 'status'))).toEqual({ passed: true });
  });

  it('equals an object written in a JSON scenario (null prototype, from jsonc-parser) and one parsed from a body', () => {
    const written = Object.assign(Object.create(null), { session: 'abc', nested: Object.assign(Object.create(null), { n: 1 }) });
    expect(check('equals', written, found(JSON.parse('{"session":"abc","nested":{"n":1}}')))).toEqual({ passed: true });
    expect(check('oneOf', [written], found({ session: 'abc', nested: { n: 1 } }))).toEqual({ passed: true });
    expect(check('equals', written, found({ session: 'abc', nested: { n: 2 } })).passed).toBe(false);
  });

  it('fails with a Hurl-like message', () => {
    expect(check('equals', 200, found(404, 'status'))).toEqual({ passed: false, message: 'expected status to equal 200 but was 404' });
    expect(check('equals', { a: 1 }, found({ a: 2 }))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to equal {"a":1} but was {"a":2}',
    });
    expect(check('notEquals', 'x', found('x'))).toEqual({ passed: false, message: 'expected jsonpath $.v not to equal "x" but was "x"' });
  });

  it('compares types strictly and shows the types when only they differ', () => {
    expect(check('equals', 200, found('200', 'header x-code'))).toEqual({
      passed: false,
      message: 'expected header x-code to equal 200 (number) but was "200" (string)',
    });
    expect(check('equals', true, found('true')).message).toBe('expected jsonpath $.v to equal true (boolean) but was "true" (string)');
    expect(check('equals', 'null', found(null)).message).toBe('expected jsonpath $.v to equal "null" (string) but was null (null)');
    expect(check('equals', [1], found([1, 2])).message).toBe('expected jsonpath $.v to equal [1] but was [1,2]');
  });

  it('treats key order as irrelevant and array order as relevant', () => {
    expect(check('equals', { a: 1, b: 2 }, found({ b: 2, a: 1 })).passed).toBe(true);
    expect(check('equals', [1, 2], found([2, 1])).passed).toBe(false);
  });

  it('never cuts a message between the halves of an emoji (a lone surrogate reached the terminal and the reports)', () => {
    for (const prefix of ['', 'a']) {
      const message = check('equals', 'x', found(prefix + '😀'.repeat(300))).message ?? '';
      expect(() => encodeURIComponent(message), prefix).not.toThrow(); // URIError on a lone surrogate
      expect(message).toContain(`${'😀'.repeat(95)}…`);
    }
  });

  it('cuts long values in messages to 200 characters', () => {
    const message = check('equals', 'short', found('x'.repeat(1000))).message ?? '';
    expect(message).toContain(`but was "${'x'.repeat(198)}…`);
    expect(message.length).toBeLessThan(300);
  });
});

describe('gt, gte, lt, lte', () => {
  it('compares numbers', () => {
    expect(check('gt', 5, found(6)).passed).toBe(true);
    expect(check('gt', 5, found(5))).toEqual({ passed: false, message: 'expected jsonpath $.v to be greater than 5 but was 5' });
    expect(check('gte', 5, found(5)).passed).toBe(true);
    expect(check('lt', 300, found(404, 'status'))).toEqual({ passed: false, message: 'expected status to be less than 300 but was 404' });
    expect(check('lte', 300, found(300)).passed).toBe(true);
    expect(check('lte', 3, found(4)).message).toBe('expected jsonpath $.v to be less than or equal to 3 but was 4');
    expect(check('gte', 3, found(2)).message).toBe('expected jsonpath $.v to be greater than or equal to 3 but was 2');
  });

  it('compares numeric text such as header values as numbers', () => {
    expect(check('gt', 100, found('1024', 'header content-length')).passed).toBe(true);
    expect(check('lt', '9', found('10')).passed).toBe(false);
  });

  it('reads only decimal text as a number: 0x10, 0b11 and 0o7 are not numbers (0x10 was greater than 15)', () => {
    expect(check('gt', 15, found('0x10', 'header x-version'))).toEqual({
      passed: false,
      message: 'expected header x-version to be greater than 15 but was "0x10" (string, not a number)',
    });
    expect(check('lt', 4, found('0b11')).passed).toBe(false);
    expect(check('gte', 7, found(' 0o7 ')).passed).toBe(false);
    expect(check('gt', '9', found('0x10')).passed).toBe(false); // two strings, not both numeric: by code units
    for (const text of ['1e3', '+1000', ' 1000 ', '1000.', '.5e4', '01000'])
      expect(check('gte', 1000, found(text)).passed, text).toBe(true);
  });

  it('compares strings lexically, which orders ISO dates', () => {
    expect(check('gt', '2024-01-01T00:00:00Z', found('2024-06-30T12:00:00Z')).passed).toBe(true);
    expect(check('lt', '2024-01-01', found('2025-01-01')).message).toBe(
      'expected jsonpath $.v to be less than "2024-01-01" but was "2025-01-01"',
    );
  });

  it('fails with a message when a non-numeric value is compared with a number', () => {
    expect(check('gt', 5, found('abc'))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to be greater than 5 but was "abc" (string, not a number)',
    });
    expect(check('lt', 5, found(null)).message).toBe('expected jsonpath $.v to be less than 5 but was null (null, not a number)');
    expect(check('lt', 'b', found(true)).passed).toBe(false);
  });
});

describe('contains and notContains', () => {
  it('looks for a substring in a string', () => {
    expect(check('contains', 'json', found('application/json', 'header content-type')).passed).toBe(true);
    expect(check('contains', 'json', found('text/html', 'header content-type'))).toEqual({
      passed: false,
      message: 'expected header content-type to contain "json" but was "text/html"',
    });
  });

  it('looks for a deep-equal element in an array', () => {
    expect(check('contains', { id: 2 }, found([{ id: 1 }, { id: 2 }])).passed).toBe(true);
    expect(check('contains', 3, found([1, 2])).message).toBe('expected jsonpath $.v to contain 3 but was [1,2]');
    expect(check('contains', '1', found([1, 2])).passed).toBe(false);
  });

  it('looks for a key in an object', () => {
    expect(check('contains', 'id', found({ id: 1 })).passed).toBe(true);
    expect(check('contains', 'name', found({ id: 1 })).passed).toBe(false);
  });

  it('fails on values that cannot contain anything', () => {
    expect(check('contains', 1, found(12))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to contain 1 but was 12 (number is not a string, array or object)',
    });
    expect(check('notContains', 1, found(12)).passed).toBe(false);
  });

  it('negates with notContains', () => {
    expect(check('notContains', 'error', found('all good')).passed).toBe(true);
    expect(check('notContains', 'error', found('an error'))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v not to contain "error" but was "an error"',
    });
  });
});

describe('matches', () => {
  it('tests a regular expression against the value as text', () => {
    expect(check('matches', '^\\d{3}$', found(404, 'status')).passed).toBe(true);
    expect(check('matches', '^[a-f0-9-]{36}$', found('nope'))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to match /^[a-f0-9-]{36}$/ but was "nope"',
    });
  });

  it('reads leading inline flags as PCRE, Python and Hurl do: (?i) ignores case ("Invalid group" before)', () => {
    expect(check('matches', '(?i)^hello', found('Hello World'))).toEqual({ passed: true });
    expect(check('matches', '(?is)^a.b$', found('A\nB'))).toEqual({ passed: true });
    expect(check('matches', '(?m)^b$', found('a\nb'))).toEqual({ passed: true });
    expect(check('matches', '(?i)^x', found('Hello'))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to match /(?i)^x/ but was "Hello"',
    });
    expect(check('matches', 'a(?i)b', found('aB')).message).toMatch(/the pattern is invalid/); // only at the start
  });

  it('matches objects and arrays as their JSON, never as [object Object]', () => {
    expect(check('matches', '"id":7', found({ id: 7 })).passed).toBe(true);
    expect(check('matches', 'object Object', found({ id: 7 })).passed).toBe(false);
    expect(check('matches', '^\\[1,2\\]$', found([1, 2])).passed).toBe(true);
  });

  it('fails with a message for a pattern that backtracks past the time limit, instead of hanging', () => {
    expect(check('matches', '(a|a)*$', found(`${'a'.repeat(40)}!`))).toEqual({
      passed: false,
      message: `expected jsonpath $.v to match /(a|a)*$/ but the pattern /(a|a)*$/ ran longer than ${PATTERN_TIME_LIMIT_MS} ms on 41 characters and was stopped`,
    });
  }, 20_000);

  it('fails with a message for an invalid pattern', () => {
    const outcome = check('matches', '(', found('x'));
    expect(outcome.passed).toBe(false);
    expect(outcome.message).toMatch(/^expected jsonpath \$\.v to match \/\(\/ but the pattern is invalid: /);
  });
});

describe('exists and isEmpty', () => {
  it('compares whether the selector found something', () => {
    expect(check('exists', true, found('')).passed).toBe(true);
    expect(check('exists', false, missing).passed).toBe(true);
    expect(check('exists', true, missing)).toEqual({ passed: false, message: 'header x-missing not found' });
    expect(check('exists', false, found('v', 'header x-a'))).toEqual({
      passed: false,
      message: 'expected header x-a not to exist but was "v"',
    });
  });

  it('treats "", [], {}, null and not found as empty', () => {
    for (const value of ['', [], {}, null]) expect(check('isEmpty', true, found(value)).passed).toBe(true);
    expect(check('isEmpty', true, missing).passed).toBe(true);
    for (const value of [' ', [0], { a: 1 }, 0, false]) expect(check('isEmpty', false, found(value)).passed).toBe(true);
  });

  it('explains isEmpty failures', () => {
    expect(check('isEmpty', true, found('x', 'body'))).toEqual({ passed: false, message: 'expected body to be empty but was "x"' });
    expect(check('isEmpty', false, found('', 'body'))).toEqual({ passed: false, message: 'expected body not to be empty but was ""' });
    expect(check('isEmpty', false, missing)).toEqual({ passed: false, message: 'header x-missing not found' });
  });
});

describe('oneOf and type', () => {
  it('passes when the value deep-equals one of the candidates', () => {
    expect(check('oneOf', [200, 201, 204], found(201, 'status')).passed).toBe(true);
    expect(check('oneOf', [{ a: 1 }], found({ a: 1 })).passed).toBe(true);
    expect(check('oneOf', [200, 201], found(404, 'status'))).toEqual({
      passed: false,
      message: 'expected status to be one of [200,201] but was 404',
    });
    expect(check('oneOf', ['200'], found(200)).passed).toBe(false);
  });

  it('checks JSON types, integer included', () => {
    const cases: Array<[string, unknown]> = [
      ['string', 'a'],
      ['number', 1.5],
      ['number', 2],
      ['integer', 2],
      ['boolean', false],
      ['object', {}],
      ['array', []],
      ['null', null],
    ];
    for (const [type, value] of cases) expect(check('type', type, found(value)).passed, `${type}`).toBe(true);
    for (const [type, value] of [
      ['integer', 1.5],
      ['object', []],
      ['object', null],
      ['array', {}],
      ['string', 1],
    ] as Array<[string, unknown]>) {
      expect(check('type', type, found(value)).passed, `${type} ${JSON.stringify(value)}`).toBe(false);
    }
  });

  it('names the actual type on a type failure', () => {
    expect(check('type', 'string', found(5))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to be of type string but was 5 (number)',
    });
    expect(check('type', 'integer', found(1.5)).message).toBe('expected jsonpath $.v to be of type integer but was 1.5 (number)');
  });
});

describe('length', () => {
  it('measures strings, arrays and object keys against a number', () => {
    expect(check('length', 3, found('abc')).passed).toBe(true);
    expect(check('length', 2, found([1, 2])).passed).toBe(true);
    expect(check('length', 1, found({ a: 1 })).passed).toBe(true);
    expect(check('length', 5, found('abc', 'body'))).toEqual({ passed: false, message: 'expected length of body to equal 5 but was 3' });
  });

  it('applies every bound of an object', () => {
    expect(check('length', { gt: 1, lte: 3 }, found([1, 2, 3])).passed).toBe(true);
    expect(check('length', { gte: 1, lt: 3 }, found([1, 2, 3]))).toEqual({
      passed: false,
      message: 'expected length of jsonpath $.v to be less than 3 but was 3',
    });
    expect(check('length', { notEquals: 0 }, found([])).message).toBe('expected length of jsonpath $.v not to equal 0 but was 0');
  });

  it('fails for values without a length', () => {
    expect(check('length', 3, found(123, 'status'))).toEqual({
      passed: false,
      message: 'expected length of status to be measurable but was 123 (number has no length)',
    });
  });
});

describe('schema', () => {
  const userSchema = {
    type: 'object',
    required: ['id', 'email'],
    properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' } },
  };

  it('passes a value that satisfies the schema, with formats', () => {
    expect(check('schema', userSchema, found({ id: 1, email: 'ada@example.com' }))).toEqual({ passed: true });
  });

  it('lists every ajv error with its instance path', () => {
    expect(check('schema', userSchema, found({ id: 'x', email: 'not-an-email' }))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to match the JSON Schema but /id must be integer; /email must match format "email"',
    });
    expect(check('schema', userSchema, found({ id: 1 })).message).toBe(
      "expected jsonpath $.v to match the JSON Schema but / must have required property 'email'",
    );
  });

  it('fails a schema that refers to itself without end, naming why (the step was an internal RangeError)', () => {
    const message =
      'expected jsonpath $.v to match the JSON Schema but the schema could not be applied: it refers to itself without end (Maximum call stack size exceeded)';
    expect(check('schema', { $ref: '#' }, found({ id: 1 }))).toEqual({ passed: false, message });
    expect(check('schema', { definitions: { a: { $ref: '#/definitions/a' } }, $ref: '#/definitions/a' }, found(1))).toEqual({
      passed: false,
      message,
    });
  });

  it('validates with the draft 2020-12 vocabulary when the schema declares it', () => {
    const tuple = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }],
      items: false,
    };
    expect(check('schema', tuple, found(['a'])).passed).toBe(true);
    expect(check('schema', tuple, found(['a', 'b'])).passed).toBe(false);
  });

  it('compiles an equal schema once and gives the same verdicts from the cache', () => {
    const copy = structuredClone(userSchema);
    expect(check('schema', copy, found({ id: 2, email: 'b@example.com' })).passed).toBe(true);
    expect(check('schema', copy, found({ id: 2.5, email: 'b@example.com' })).passed).toBe(false);
  });

  it('checks each of two different schemas with the same $id as written (the second passed by the first)', () => {
    // Schema generators put the same `$id` (http://example.com/example.json) in every schema they write.
    const id = 'http://example.com/example.json';
    expect(check('schema', { $id: id, type: 'object' }, found({ a: 1 })).passed).toBe(true);
    expect(check('schema', { $id: id, type: 'array' }, found({ a: 1 }))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to match the JSON Schema but / must be array',
    });
    expect(
      check(
        'schema',
        { $id: id, type: 'array', items: { $ref: '#/definitions/n' }, definitions: { n: { type: 'number' } } },
        found([1, 'x']),
      ),
    ).toEqual({ passed: false, message: 'expected jsonpath $.v to match the JSON Schema but /1 must be number' });
  });

  it('reads draft-04 (Postman tv4 schemas) and draft-06 schemas by their $schema', () => {
    const draft04 = {
      $schema: 'http://json-schema.org/draft-04/schema#',
      id: 'http://example.com/price.json',
      type: 'number',
      maximum: 1.5,
      exclusiveMaximum: true,
    };
    expect(check('schema', draft04, found(1.4))).toEqual({ passed: true });
    expect(check('schema', draft04, found(1.5))).toEqual({
      passed: false,
      message: 'expected jsonpath $.v to match the JSON Schema but / must be < 1.5',
    });
    const draft06 = {
      $schema: 'http://json-schema.org/draft-06/schema#',
      type: 'object',
      required: ['id'],
      propertyNames: { pattern: '^[a-z]+$' },
    };
    expect(check('schema', draft06, found({ id: 1 }))).toEqual({ passed: true });
    expect(check('schema', draft06, found({ ID: 1 })).message).toBe(
      'expected jsonpath $.v to match the JSON Schema but / must have required property \'id\'; / must match pattern "^[a-z]+$"; / property name must be valid',
    );
  });

  it('names the property that additionalProperties or unevaluatedProperties refuses, once each', () => {
    const closed = { type: 'object', properties: { id: {} }, additionalProperties: false };
    expect(check('schema', closed, found({ id: 1, extra: 2, 'a b': 3 })).message).toBe(
      'expected jsonpath $.v to match the JSON Schema but / must NOT have additional property "extra"; / must NOT have additional property "a b"',
    );
    const unevaluated = { $schema: 'https://json-schema.org/draft/2019-09/schema', properties: { id: {} }, unevaluatedProperties: false };
    expect(check('schema', unevaluated, found({ id: 1, extra: 2 })).message).toBe(
      'expected jsonpath $.v to match the JSON Schema but / must NOT have unevaluated property "extra"',
    );
  });

  it('lists at most 10 errors and counts the rest', () => {
    const message = check('schema', { type: 'array', items: { type: 'string' } }, found(Array.from({ length: 25 }, (_, i) => i))).message;
    expect(message).toBe(
      `expected jsonpath $.v to match the JSON Schema but ${Array.from({ length: 10 }, (_, i) => `/${i} must be string`).join('; ')}; and 15 more`,
    );
  });

  it('ignores an unknown format without printing anything (ajv warned on stderr in the middle of the run output)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(check('schema', { type: 'string', format: 'snowflake-id' }, found('x'))).toEqual({ passed: true });
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('fails with a message for an invalid schema', () => {
    const outcome = check('schema', { type: 'no-such-type' }, found(1));
    expect(outcome.passed).toBe(false);
    expect(outcome.message).toMatch(/^expected jsonpath \$\.v to match the JSON Schema but the schema is invalid: /);
  });
});

describe('a selection that found nothing', () => {
  it('fails every operator except exists: false and isEmpty: true', () => {
    const expectations: Array<[OperatorName, unknown]> = [
      ['equals', 'a'],
      ['notEquals', 'a'],
      ['gt', 1],
      ['gte', 1],
      ['lt', 1],
      ['lte', 1],
      ['contains', 'a'],
      ['notContains', 'a'],
      ['matches', '.*'],
      ['exists', true],
      ['isEmpty', false],
      ['oneOf', [null]],
      ['type', 'null'],
      ['length', 0],
      ['schema', {}],
    ];
    for (const [operator, expected] of expectations) {
      expect(check(operator, expected, missing), operator).toEqual({ passed: false, message: 'header x-missing not found' });
    }
  });
});
