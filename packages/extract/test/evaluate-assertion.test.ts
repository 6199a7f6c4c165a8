import { type Assertion, AssertionSchema } from '@sortie/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluateAssertion } from '../src/index.js';
import { makeContext, makeJsonResponse, makeResponse } from './make-response.js';

/** Parses like the config loader does, so the tests use assertions as scenarios write them. */
function assertion(value: unknown): Assertion {
  return AssertionSchema.parse(value);
}

describe('evaluateAssertion', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('keeps a large object or array selected as actual as its JSON text, cut (a whole 11 MB body was kept in each report)', () => {
    const big = { items: Array.from({ length: 2_000 }, (_, i) => ({ id: i, name: `item ${i}` })) };
    const [cut] = evaluateAssertion(assertion({ jsonpath: { path: '$', equals: 1 } }), makeContext(makeJsonResponse(big)));
    expect(cut?.passed).toBe(false);
    expect(typeof cut?.actual).toBe('string');
    expect(String(cut?.actual).length).toBe(1024);
    expect(cut?.actual as string).toMatch(/^\{"items":\[\{"id":0,.*…$/);
    const small = { items: [1, 2, 3] };
    const [kept] = evaluateAssertion(assertion({ jsonpath: { path: '$', equals: 1 } }), makeContext(makeJsonResponse(small)));
    expect(kept?.actual).toEqual(small);
  });

  it('returns one result per operator, in OPERATOR_NAMES order, with the selected value', () => {
    const ctx = makeContext(makeResponse({ status: 201 }));
    const results = evaluateAssertion(assertion({ status: { oneOf: [200, 201], lt: 300, equals: 201 }, name: 'created' }), ctx);
    expect(results).toEqual([
      { selector: 'status', operator: 'equals', expected: 201, actual: 201, passed: true, name: 'created', source: 'assert' },
      { selector: 'status', operator: 'lt', expected: 300, actual: 201, passed: true, name: 'created', source: 'assert' },
      { selector: 'status', operator: 'oneOf', expected: [200, 201], actual: 201, passed: true, name: 'created', source: 'assert' },
    ]);
  });

  it('puts a message on failed results only', () => {
    const ctx = makeContext(makeResponse({ headers: [['Content-Type', 'text/html']] }));
    const [result] = evaluateAssertion(assertion({ header: { name: 'content-type', contains: 'json' } }), ctx);
    expect(result).toEqual({
      selector: 'header content-type',
      operator: 'contains',
      expected: 'json',
      actual: 'text/html',
      passed: false,
      message: 'expected header content-type to contain "json" but was "text/html"',
      source: 'assert',
    });
  });

  it('leaves actual out when nothing was found', () => {
    const ctx = makeContext(makeJsonResponse({ a: 1 }));
    const results = evaluateAssertion(assertion({ jsonpath: { path: '$.b', exists: false, equals: 1 } }), ctx);
    expect(results).toEqual([
      { selector: 'jsonpath $.b', operator: 'equals', expected: 1, passed: false, message: 'jsonpath $.b not found', source: 'assert' },
      { selector: 'jsonpath $.b', operator: 'exists', expected: false, passed: true, source: 'assert' },
    ]);
  });

  it('fails, without throwing, when the body is not JSON', () => {
    const ctx = makeContext(makeResponse({ headers: [['content-type', 'text/plain']], body: 'oops' }));
    const results = evaluateAssertion(assertion({ jsonpath: { path: '$.id', exists: true, type: 'string' } }), ctx);
    expect(results.map((r) => [r.operator, r.passed, r.message])).toEqual([
      ['exists', false, 'Body is not JSON (content-type text/plain, 4 bytes)'],
      ['type', false, 'Body is not JSON (content-type text/plain, 4 bytes)'],
    ]);
  });

  it('fails, without throwing, on malformed XML and on an invalid regex', () => {
    const ctx = makeContext(makeResponse({ body: '<a><b></a>' }));
    const [xml] = evaluateAssertion(assertion({ xpath: { path: '/a/b', exists: true } }), ctx);
    expect(xml?.passed).toBe(false);
    expect(xml?.message).toMatch(/^Body is not XML: /);
    const [regex] = evaluateAssertion(assertion({ regex: { pattern: '(', exists: true } }), ctx);
    expect(regex?.passed).toBe(false);
    expect(regex?.message).toMatch(/^Invalid regular expression/);
  });

  it('evaluates variables without a response', () => {
    const ctx = makeContext(undefined, { count: 3 });
    const [result] = evaluateAssertion(assertion({ variable: { name: 'count', gte: 3 } }), ctx);
    expect(result?.passed).toBe(true);
  });

  it('checks a SOAP response with namespaced XPath', () => {
    const body =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      '<m:Result xmlns:m="urn:calc"><m:Sum>5</m:Sum></m:Result></soap:Body></soap:Envelope>';
    const ctx = makeContext(makeResponse({ body }));
    const results = evaluateAssertion(
      assertion({ xpath: { path: '//m:Sum', namespaces: { m: 'urn:calc' }, equals: '5', matches: '^\\d+$' } }),
      ctx,
    );
    expect(results.map((r) => r.passed)).toEqual([true, true]);
  });

  it('checks the body against a JSON Schema and reports the ajv errors', () => {
    const ctx = makeContext(makeJsonResponse({ id: 'x' }));
    const [result] = evaluateAssertion(
      assertion({ jsonpath: { path: '$', schema: { type: 'object', properties: { id: { type: 'integer' } } } } }),
      ctx,
    );
    expect(result?.message).toBe('expected jsonpath $ to match the JSON Schema but /id must be integer');
  });

  it('cuts a huge string kept as actual', () => {
    const ctx = makeContext(makeResponse({ body: 'y'.repeat(100_000) }));
    const [result] = evaluateAssertion(assertion({ body: { equals: 'x' } }), ctx);
    expect(result?.actual).toBe(`${'y'.repeat(1023)}…`);
  });

  it('parses the JSON body once however many assertions read it', () => {
    const response = makeJsonResponse({ items: [1, 2, 3] });
    const ctx = makeContext(response);
    const parse = vi.spyOn(JSON, 'parse');
    for (let i = 0; i < 5; i++) {
      evaluateAssertion(assertion({ jsonpath: { path: '$.items', length: 3 } }), ctx);
    }
    expect(parse).toHaveBeenCalledTimes(1);
    evaluateAssertion(assertion({ jsonpath: { path: '$.items', length: 3 } }), makeContext(makeJsonResponse({ items: [] })));
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
