/**
 * A JSON number in a response body written with more digits than a number keeps (`9007199254740993`,
 * read by JSON.parse as 9007199254740992; a 64-bit id) was compared and extracted as the rounded value,
 * silently: `equals: 9007199254740992` passed and the next request got another id. A JSONPath now refuses
 * such a number with a message saying why and what to do, except for `exists` and `type`.
 */
import { ErrorCode, type Extraction, ExtractionSchema, findInexactNumbers } from '@sortie/core';
import { catchError } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { evaluateAssertion, evaluateExtraction } from '../src/index.js';
import { makeContext, makeResponse } from './make-response.js';

const body =
  '{"id": 9007199254740993, "safe": 9007199254740991, "small": 12, "f": 1.5, "exp": 1e21, "neg": -12345678901234567891,' +
  ' "text": "9007199254740993", "ids": [1, 9007199254740995], "nested": {"n": 0.30000000000000001}}';
const ctx = makeContext(makeResponse({ headers: [['Content-Type', 'application/json']], body }));

function extraction(value: unknown): Extraction {
  return ExtractionSchema.parse(value);
}

describe('findInexactNumbers', () => {
  it('finds the numbers read as another value, not those in strings nor exact ones', () => {
    expect([...findInexactNumbers(body)].sort()).toEqual([-12345678901234567000, 0.3, 9007199254740992, 9007199254740996].sort());
    expect(findInexactNumbers('{"a": 1, "b": "12345678901234567891", "c": 123456789012345}').size).toBe(0);
    expect(findInexactNumbers('{"a": "\\"", "b": 12345678901234567891}')).toEqual(new Set([12345678901234567000]));
  });
});

describe('a JSONPath selecting an inexact number of the body', () => {
  it('fails an assertion comparing it, saying why and what to do, instead of comparing the rounded value', () => {
    for (const [path, operator, expected] of [
      ['$.id', 'equals', 9007199254740992],
      ['$.id', 'equals', '9007199254740993'],
      ['$.id', 'gt', 1],
      ['$.neg', 'lt', 0],
      ['$.nested.n', 'equals', 0.3],
      ['$.ids[*]', 'contains', 9007199254740996],
    ] as const) {
      const [result] = evaluateAssertion({ jsonpath: { path, [operator]: expected } } as never, ctx);
      expect(result?.passed, `${path} ${operator}`).toBe(false);
      expect(result?.message).toBe(
        `Cannot evaluate jsonpath ${path}: the response has this number with more digits than a number keeps exactly (15 to 17 significant digits, integers up to 2^53), so it would be compared or stored as another value; select its digits as text with a regex over the body, e.g. regex: '"id"\\s*:\\s*(-?\\d+)'`,
      );
      expect(result?.message).not.toContain('9007199254740993');
    }
  });

  it('still answers exists and type, which do not depend on the exact value', () => {
    const results = evaluateAssertion({ jsonpath: { path: '$.id', exists: true, type: 'number' } } as never, ctx);
    expect(results.map((result) => result.passed)).toEqual([true, true]);
  });

  it('refuses to extract it', () => {
    const error = catchError(() => evaluateExtraction(extraction({ var: 'id', jsonpath: '$.id' }), ctx));
    expect(error.code).toBe(ErrorCode.SELECTOR);
    expect(error.title).toBe('Inexact number');
  });

  it('leaves exact numbers, strings and a regex over the digits alone', () => {
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.safe' }), ctx)).toBe(9007199254740991);
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.exp' }), ctx)).toBe(1e21);
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.text' }), ctx)).toBe('9007199254740993');
    expect(evaluateExtraction(extraction({ var: 'v', jsonpath: '$.small' }), ctx)).toBe(12);
    expect(evaluateExtraction(extraction({ var: 'v', regex: '"id"\\s*:\\s*(-?\\d+)' }), ctx)).toBe('9007199254740993');
  });
});
